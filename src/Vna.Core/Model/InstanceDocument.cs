namespace Vna.Core;

/// <summary>
/// An instance's metadata document, made at ingest from the data set the Store feature has already parsed and indexed in
/// the same transaction as the instance: its DICOM JSON object without bulk data (what DICOMweb metadata answers), and the
/// image attributes QIDO-RS returns that the index's instance row does not hold.
/// </summary>
public sealed record InstanceDocument
{
    /// <summary>UTF-8 DICOM JSON object (PS3.18 F), bulk data as BulkDataURIs relative to the DICOMweb root.</summary>
    public required byte[] Json { get; init; }

    public int? Rows { get; init; }

    public int? Columns { get; init; }

    public int? BitsAllocated { get; init; }

    public int? NumberOfFrames { get; init; }
}
