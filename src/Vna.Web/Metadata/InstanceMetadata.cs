namespace Vna.Web.Metadata;

/// <summary>
/// The aggregated metadata of one instance: its DICOM JSON object without bulk data (BulkDataURIs relative to the DICOMweb
/// root), for the content with <see cref="Sha256"/>, and the image attributes QIDO-RS returns at instance level.
/// </summary>
public sealed record InstanceMetadata
{
    public required string StudyInstanceUid { get; init; }

    public required string SeriesInstanceUid { get; init; }

    public required string SopInstanceUid { get; init; }

    public required string Sha256 { get; init; }

    /// <summary>UTF-8 DICOM JSON object.</summary>
    public required byte[] Json { get; init; }

    public int? Rows { get; init; }

    public int? Columns { get; init; }

    public int? BitsAllocated { get; init; }

    public int? NumberOfFrames { get; init; }
}
