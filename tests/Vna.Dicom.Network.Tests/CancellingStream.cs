namespace Vna.Dicom.Network.Tests;

/// <summary>A stream of zeros that cancels a token once <paramref name="after"/> bytes have been read from it.</summary>
internal sealed class CancellingStream(long length, long after, CancellationTokenSource cancel) : Stream
{
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        var n = (int)Math.Min(count, length - _position);
        Array.Clear(buffer, offset, n);
        _position += n;
        if (_position >= after)
        {
            cancel.Cancel();
        }

        return n;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var n = (int)Math.Min(buffer.Length, length - _position);
        buffer.Span[..n].Clear();
        _position += n;
        if (_position >= after)
        {
            cancel.Cancel();
        }

        return ValueTask.FromResult(n);
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
