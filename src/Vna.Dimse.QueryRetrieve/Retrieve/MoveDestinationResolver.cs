using Vna.Core;

namespace Vna.Dimse.QueryRetrieve;

/// <summary>
/// Finds where a C-MOVE goes: the Move Destination (0000,0600) must be one of the caller's department's configured
/// destinations (AE title compared exactly, surrounding spaces ignored); anything else is unknown (0xA801), so a caller
/// cannot send the archive's images to an address of its choosing. The same list gives the address of a storage
/// commitment requester that must be reported to on a new association.
/// </summary>
public static class MoveDestinationResolver
{
    public static MoveDestinationOptions? Resolve(DepartmentOptions? department, string? aeTitle)
    {
        var ae = aeTitle?.Trim();
        if (department is null || string.IsNullOrEmpty(ae))
        {
            return null;
        }

        return department.MoveDestinations.FirstOrDefault(d => string.Equals(d.AeTitle?.Trim(), ae, StringComparison.Ordinal));
    }
}
