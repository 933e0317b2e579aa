using Vna.Dicom;

namespace Vna.Core;

/// <summary>
/// Makes an instance's <see cref="InstanceDocument"/> from the data set the Store feature parsed (bulk data by reference,
/// values over 1 KiB never read), so ingest needs no second read of the object. Optional: without one (or when it
/// fails), the document is made later from the stored object.
/// </summary>
public interface IInstanceDocumentBuilder
{
    /// <summary>
    /// The document of the object stored as <paramref name="file"/> (the version written to the hot tier, after coercion).
    /// May add to <paramref name="file"/>'s data set: the caller does not use it afterwards.
    /// </summary>
    InstanceDocument Build(DicomFile file, string studyInstanceUid, string seriesInstanceUid, string sopInstanceUid);
}
