namespace Vna.Dicom;

/// <summary>
/// Reads Part 10 files and bare data sets, streaming: values above <see cref="DicomReaderOptions.BulkDataThreshold"/> stay
/// where they are (offset and length in the file) or are spooled to a temporary file, so a header never costs the pixels.
/// Bad input raises <see cref="DicomReadException"/> with the byte offset and tag; tolerated defects become warnings.
/// </summary>
public static class DicomReader
{
    /// <summary>Reads a file; bulk data is kept by reference into the file.</summary>
    public static async Task<DicomFile> ReadFileAsync(string path, DicomReaderOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1, FileOptions.SequentialScan);
        await using (stream.ConfigureAwait(false))
        {
            return await ReadAsync(stream, options, new FileBulkDataSource(path), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Reads a Part 10 file, or a bare data set (transfer syntax detected), from <paramref name="stream"/>.
    /// Bulk data is referenced into <paramref name="bulkDataSource"/> when given and the stream can seek (it must be that
    /// source's content, positioned at the same place); otherwise it is spooled to a temporary file the result owns.
    /// </summary>
    public static Task<DicomFile> ReadAsync(Stream stream, DicomReaderOptions? options = null, IBulkDataSource? bulkDataSource = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (bulkDataSource is null && stream is FileStream fs && stream.CanSeek)
        {
            bulkDataSource = new FileBulkDataSource(fs.Name);
        }

        var parser = new DicomParser(stream, options ?? DicomReaderOptions.Default, stream.CanSeek ? bulkDataSource : null);
        return parser.ReadFileAsync(cancellationToken);
    }

    /// <summary>Reads a Part 10 file or bare data set from a pipe (bulk data is spooled, since a pipe cannot seek).</summary>
    public static Task<DicomFile> ReadAsync(System.IO.Pipelines.PipeReader reader, DicomReaderOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return ReadAsync(reader.AsStream(leaveOpen: true), options, null, cancellationToken);
    }

    /// <summary>Reads a bare data set encoded in a known transfer syntax (a DIMSE data set, a data set inside another container).</summary>
    public static Task<DicomFile> ReadDatasetAsync(Stream stream, DicomTransferSyntax transferSyntax, DicomReaderOptions? options = null, IBulkDataSource? bulkDataSource = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(transferSyntax);
        var parser = new DicomParser(stream, options ?? DicomReaderOptions.Default, stream.CanSeek ? bulkDataSource : null);
        return parser.ReadBareDatasetAsync(transferSyntax, cancellationToken);
    }
}
