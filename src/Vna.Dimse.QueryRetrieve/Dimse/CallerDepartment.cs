using Microsoft.Extensions.Options;
using Vna.Core;
using Vna.Dicom.Network;

namespace Vna.Dimse.QueryRetrieve;

/// <summary>
/// The department an association acts for: the one the DIMSE listener's access policy put on the association (calling AE
/// title or user identity), else the one the calling AE title resolves to (a server composed without that policy).
/// </summary>
public sealed class CallerDepartment(IOptionsMonitor<ArchiveOptions> archive)
{
    /// <summary>The key under which the listener's policy keeps the department in <see cref="DicomAssociation.Items"/>.</summary>
    public const string AssociationItem = "vna.department";

    public DepartmentOptions? Of(DicomAssociation association)
    {
        ArgumentNullException.ThrowIfNull(association);
        if (association.Items.TryGetValue(AssociationItem, out var value) && value is DepartmentOptions department)
        {
            return department;
        }

        return new DepartmentResolver(archive.CurrentValue).ResolveByAeTitle(association.CallingAeTitle);
    }
}
