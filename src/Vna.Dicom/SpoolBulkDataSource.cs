namespace Vna.Dicom;

/// <summary>
/// A temporary file that holds bulk data read from a stream that cannot seek (a network stream, a deflated data set).
/// Deleted when disposed; the <see cref="DicomFile"/> that created it owns it.
/// </summary>
public sealed class SpoolBulkDataSource : IBulkDataSource, IDisposable
{
    private readonly FileStream _writer;
    private bool _disposed;

    public SpoolBulkDataSource(string? directory = null)
    {
        var dir = directory ?? System.IO.Path.GetTempPath();
        Path = System.IO.Path.Combine(dir, "vna-spool-" + Guid.NewGuid().ToString("N") + ".tmp");
        _writer = new FileStream(Path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete, 1 << 16,
            FileOptions.DeleteOnClose);
    }

    public string Path { get; }

    public string Name => Path;

    /// <summary>The stream values are appended to (the reader copies into it).</summary>
    internal Stream Writer => _writer;

    /// <summary>Bytes written so far: the offset of the next value appended.</summary>
    public long Length => _writer.Length;

    internal async ValueTask<long> AppendAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var offset = _writer.Position;
        await _writer.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        return offset;
    }

    public Stream OpenRead()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _writer.Flush();
        return new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.RandomAccess);
    }

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _writer.Dispose();
        }
    }
}
