namespace Vna.Core.Tests;

/// <summary>A hot store whose writes fail after some bytes, as on a full disk.</summary>
internal sealed class FullDiskHotStore(IHotStore inner, long capacity) : IHotStore
{
    public async Task<IHotWrite> BeginWriteAsync(CancellationToken cancellationToken) =>
        new FullDiskWrite(await inner.BeginWriteAsync(cancellationToken), capacity);

    public Task<Stream> OpenReadAsync(string location, CancellationToken cancellationToken) => inner.OpenReadAsync(location, cancellationToken);

    public Task<bool> ExistsAsync(string location, CancellationToken cancellationToken) => inner.ExistsAsync(location, cancellationToken);

    public Task DeleteAsync(string location, CancellationToken cancellationToken) => inner.DeleteAsync(location, cancellationToken);

    public string GetFullPath(string location) => inner.GetFullPath(location);

    public Task<HotStoreReconciliation> ReconcileAsync(CancellationToken cancellationToken) => inner.ReconcileAsync(cancellationToken);

    private sealed class FullDiskWrite(IHotWrite inner, long capacity) : IHotWrite
    {
        private readonly LimitedStream _stream = new(inner.Stream, capacity);

        public Stream Stream => _stream;

        public string TemporaryPath => inner.TemporaryPath;

        public Task<string> CommitAsync(string studyInstanceUid, string seriesInstanceUid, string sopInstanceUid, string sha256, CancellationToken cancellationToken) =>
            inner.CommitAsync(studyInstanceUid, seriesInstanceUid, sopInstanceUid, sha256, cancellationToken);

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }

    private sealed class LimitedStream(Stream inner, long capacity) : Stream
    {
        private long _written;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => _written;
            set => throw new NotSupportedException();
        }

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            Check(buffer.Length);
            inner.Write(buffer);
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Check(buffer.Length);
            return inner.WriteAsync(buffer, cancellationToken);
        }

        private void Check(int count)
        {
            _written += count;
            if (_written > capacity)
            {
                throw new IOException("No space left on device");
            }
        }
    }
}
