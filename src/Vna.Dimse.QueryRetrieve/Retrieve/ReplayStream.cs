namespace Vna.Dimse.QueryRetrieve;

/// <summary>A read-only stream that returns some bytes already read ahead, then the rest of another stream (which it does not own).</summary>
internal sealed class ReplayStream(byte[] readAhead, Stream rest) : Stream
{
    private int _replayed;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_replayed < readAhead.Length)
        {
            var n = Math.Min(buffer.Length, readAhead.Length - _replayed);
            readAhead.AsSpan(_replayed, n).CopyTo(buffer);
            _replayed += n;
            return n;
        }

        return rest.Read(buffer);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_replayed < readAhead.Length)
        {
            var n = Math.Min(buffer.Length, readAhead.Length - _replayed);
            readAhead.AsMemory(_replayed, n).CopyTo(buffer);
            _replayed += n;
            return n;
        }

        return await rest.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
