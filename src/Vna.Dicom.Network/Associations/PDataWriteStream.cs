using System.Buffers;
using System.Buffers.Binary;

namespace Vna.Dicom.Network;

/// <summary>
/// A write-only stream that cuts what is written into P-DATA-TF PDUs of one PDV each (at most the peer's maximum length)
/// and writes them to the transport. A full fragment is held back until more bytes arrive, so <see cref="CompleteAsync"/>
/// can mark the final one "last" without an empty fragment. Used under the association's send lock.
/// </summary>
internal sealed class PDataWriteStream : Stream
{
    private const int Overhead = PduCodec.HeaderLength + 6;

    private readonly Stream _transport;
    private readonly byte _contextId;
    private readonly bool _isCommand;
    private readonly Func<CancellationToken, ValueTask> _beforeWrite;
    private readonly CancellationToken _transportToken;
    private readonly byte[] _pdu;
    private readonly int _maxPayload;
    private int _filled;

    public PDataWriteStream(Stream transport, byte contextId, bool isCommand, uint peerMaxPduLength, Func<CancellationToken, ValueTask> beforeWrite, CancellationToken transportToken)
    {
        _transport = transport;
        _contextId = contextId;
        _isCommand = isCommand;
        _beforeWrite = beforeWrite;
        _transportToken = transportToken;
        var max = peerMaxPduLength == 0 ? DicomNetworkDefaults.MaxSendPduLength : Math.Min(peerMaxPduLength, DicomNetworkDefaults.MaxSendPduLength);
        _maxPayload = (int)Math.Max(max, 16) - 6;
        _pdu = ArrayPool<byte>.Shared.Rent(_maxPayload + Overhead);
    }

    /// <summary>PDUs written so far.</summary>
    public long PdusWritten { get; private set; }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (!buffer.IsEmpty)
        {
            if (_filled == _maxPayload)
            {
                await SendAsync(last: false, cancellationToken).ConfigureAwait(false);
            }

            var n = Math.Min(buffer.Length, _maxPayload - _filled);
            buffer.Span[..n].CopyTo(_pdu.AsSpan(Overhead + _filled));
            _filled += n;
            buffer = buffer[n..];
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Sends what is held as the last fragment.</summary>
    public ValueTask CompleteAsync(CancellationToken cancellationToken) => SendAsync(last: true, cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            ArrayPool<byte>.Shared.Return(_pdu);
        }

        base.Dispose(disposing);
    }

    private async ValueTask SendAsync(bool last, CancellationToken cancellationToken)
    {
        // The caller's token is looked at only between fragments: a write, once begun, is finished or the association aborted.
        await _beforeWrite(cancellationToken).ConfigureAwait(false);
        var pduLength = (uint)(_filled + 6);
        PduCodec.WriteHeader(_pdu, PduType.DataTransfer, pduLength);
        BinaryPrimitives.WriteUInt32BigEndian(_pdu.AsSpan(6), (uint)(_filled + 2));
        _pdu[10] = _contextId;
        _pdu[11] = (byte)((_isCommand ? 1 : 0) | (last ? 2 : 0));
        await _transport.WriteAsync(_pdu.AsMemory(0, Overhead + _filled), _transportToken).ConfigureAwait(false);
        PdusWritten++;
        _filled = 0;
    }
}
