using Vna.Core;
using Vna.Dicom;

namespace Vna.Web.Metadata;

/// <summary>The Store feature's <see cref="IInstanceDocumentBuilder"/>: the DICOMweb metadata of <see cref="InstanceMetadataBuilder"/>.</summary>
internal sealed class DicomWebDocumentBuilder : IInstanceDocumentBuilder
{
    public InstanceDocument Build(DicomFile file, string studyInstanceUid, string seriesInstanceUid, string sopInstanceUid)
    {
        ArgumentNullException.ThrowIfNull(file);
        return InstanceMetadataBuilder.BuildDocument(file, studyInstanceUid, seriesInstanceUid, sopInstanceUid, file.TransferSyntax.Uid);
    }
}
