namespace Vna.Dicom.Network;

/// <summary>
/// The data set of one DIMSE message as it arrives: reads pull P-DATA-TF fragments from the network (crossing PDUs), so the
/// data set is never held whole in memory. Ends after the fragment marked "last". A protocol error or the association's
/// end while reading surfaces as a <see cref="DicomAssociationAbortedException"/> (an <see cref="IOException"/>).
/// </summary>
internal sealed class DimseDataStream : Stream
{
    private readonly DicomAssociation _association;
    private readonly byte _contextId;
    private readonly TaskCompletionSource _consumed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _position;

    public DimseDataStream(DicomAssociation association, byte contextId)
    {
        _association = association;
        _contextId = contextId;
    }

    /// <summary>Completes when the last fragment has been read (or reading failed).</summary>
    public Task Consumed => _consumed.Task;

    public bool IsComplete => _consumed.Task.IsCompleted;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (IsComplete || buffer.IsEmpty)
        {
            return 0;
        }

        try
        {
            while (true)
            {
                var (read, last) = await _association.ReadDataAsync(_contextId, buffer, cancellationToken).ConfigureAwait(false);
                _position += read;
                if (last)
                {
                    _consumed.TrySetResult();
                }

                if (read > 0 || last)
                {
                    return read;
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var failure = await _association.FailDataAsync(ex).ConfigureAwait(false);
            _consumed.TrySetResult();
            if (ReferenceEquals(failure, ex))
            {
                throw;
            }

            throw failure;
        }
        catch (OperationCanceledException)
        {
            // Cancelled part-way through a data set: the rest cannot be skipped reliably; the association goes.
            await _association.FailDataAsync(new DicomNetworkException("Receiving a data set was cancelled.", AbortReason.NotSpecified)).ConfigureAwait(false);
            _consumed.TrySetResult();
            throw;
        }
    }

    /// <summary>Reads and discards what is left of the data set.</summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        while (await ReadAsync(buffer, cancellationToken).ConfigureAwait(false) > 0)
        {
        }
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
