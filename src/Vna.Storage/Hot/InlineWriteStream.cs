namespace Vna.Storage;

/// <summary>
/// The write side of a hot-tier temporary file, written on the calling thread. On Linux .NET has no asynchronous file I/O:
/// an awaited write to a <see cref="FileStream"/> is a synchronous <c>pwrite</c> queued to another thread-pool thread,
/// then a second hop back. Receiving an object calls it once per 64 KiB; the write itself only copies into the page cache
/// (tens of microseconds), so doing it inline costs the caller less than the two thread switches around it. Durability is
/// <see cref="FileSystemHotWrite.CommitAsync"/>'s business (fsync before rename), not this stream's.
/// </summary>
internal sealed class InlineWriteStream(FileStream file) : Stream
{
    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => file.Length;

    public override long Position
    {
        get => file.Position;
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => file.Write(buffer, offset, count);

    public override void Write(ReadOnlySpan<byte> buffer) => file.Write(buffer);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        file.Write(buffer, offset, count);
        return Task.CompletedTask;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        file.Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override void Flush() => file.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        file.Flush();
        return Task.CompletedTask;
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
