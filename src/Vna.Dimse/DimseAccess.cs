using Vna.Core;
using Vna.Dicom.Network;

namespace Vna.Dimse;

/// <summary>
/// What the access policy established for an association, for the services to check: the caller's department (resolved
/// from the calling AE title, or the user identity's department) and the user. Every DIMSE service checks its operation
/// with <see cref="Allows"/> before acting and answers "refused: not authorized" (0x0124) when it may not.
/// </summary>
public static class DimseAccess
{
    internal const string DepartmentItem = "vna.department";
    internal const string UserItem = "vna.user";

    /// <summary>The department the association acts for (set by the policy when it accepted the association).</summary>
    public static DepartmentOptions? GetDepartment(DicomAssociation association)
    {
        ArgumentNullException.ThrowIfNull(association);
        return association.Items.TryGetValue(DepartmentItem, out var value) ? value as DepartmentOptions : null;
    }

    /// <summary>The user identity's username, when one was negotiated.</summary>
    public static string? GetUser(DicomAssociation association)
    {
        ArgumentNullException.ThrowIfNull(association);
        return association.Items.TryGetValue(UserItem, out var value) ? value as string : null;
    }

    /// <summary>True when the association's department may perform <paramref name="operation"/> (<see cref="DimseOperation"/>).</summary>
    public static bool Allows(DicomAssociation association, string operation) => GetDepartment(association)?.Allows(operation) ?? false;

    /// <summary>Who to name in audit records: the calling AE title, with the user when there is one.</summary>
    public static string Actor(DicomAssociation association)
    {
        ArgumentNullException.ThrowIfNull(association);
        var user = GetUser(association);
        return user is null ? $"dimse:{association.CallingAeTitle}" : $"dimse:{association.CallingAeTitle}/{user}";
    }
}
