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
    public DepartmentOptions? Of(DicomAssociation association)
    {
        ArgumentNullException.ThrowIfNull(association);
        return Vna.Dimse.DimseAccess.GetDepartment(association) ?? new DepartmentResolver(archive.CurrentValue).ResolveByAeTitle(association.CallingAeTitle);
    }
}
