namespace Vna.Dicom;

/// <summary>Where bulk data values live when they are kept by reference: a file on disk, a spooled temporary file, a blob.</summary>
public interface IBulkDataSource
{
    /// <summary>A name for the source (a path or URI) for messages and for BulkDataURIs; never PHI.</summary>
    string Name { get; }

    /// <summary>Opens the source for reading; the caller seeks and disposes.</summary>
    Stream OpenRead();
}
