namespace Vna.Codecs.Transcoding;

/// <summary>
/// Where transcoded frames go, in frame order: memory while small, else a temporary file deleted on dispose (so a 2 GB
/// multi-frame object costs a window of frames in memory, not the object).
/// </summary>
internal sealed class FrameOutput : Vna.Dicom.IBulkDataSource, IDisposable
{
    private readonly bool _spool;
    private readonly MemoryStream? _memory;
    private readonly FileStream? _file;
    private readonly string? _path;
    private readonly List<(long Offset, long Length)> _frames = [];

    public FrameOutput(long expectedBytes, CodecsOptions options)
    {
        _spool = expectedBytes > options.InMemoryOutputLimit;
        if (_spool)
        {
            var dir = options.SpoolDirectory ?? Path.GetTempPath();
            _path = Path.Combine(dir, "vna-transcode-" + Guid.NewGuid().ToString("N") + ".tmp");
            _file = new FileStream(_path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete, 1 << 16, FileOptions.DeleteOnClose);
        }
        else
        {
            _memory = new MemoryStream((int)Math.Max(0, expectedBytes));
        }
    }

    public string Name => _path ?? "memory";

    public IReadOnlyList<(long Offset, long Length)> Frames => _frames;

    public long Length => _spool ? _file!.Length : _memory!.Length;

    /// <summary>Appends one frame, padded to an even length when <paramref name="padToEven"/>.</summary>
    public async ValueTask AppendAsync(ReadOnlyMemory<byte> frame, bool padToEven, CancellationToken cancellationToken)
    {
        Stream target = _spool ? _file! : _memory!;
        var offset = target.Position;
        await target.WriteAsync(frame, cancellationToken).ConfigureAwait(false);
        var length = (long)frame.Length;
        if (padToEven && (length & 1) != 0)
        {
            target.WriteByte(0);
            length++;
        }

        _frames.Add((offset, length));
    }

    /// <summary>Pads the whole output to an even length (native Pixel Data).</summary>
    public void PadToEven()
    {
        Stream target = _spool ? _file! : _memory!;
        if ((target.Length & 1) != 0)
        {
            target.WriteByte(0);
        }
    }

    public Stream OpenRead()
    {
        if (_spool)
        {
            _file!.Flush();
            return new FileStream(_path!, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16, FileOptions.SequentialScan);
        }

        return new MemoryStream(_memory!.GetBuffer(), 0, (int)_memory.Length, writable: false);
    }

    public void Dispose()
    {
        _file?.Dispose();
        _memory?.Dispose();
    }
}
