using System.Buffers.Binary;

namespace Vna.Dicom.Network;

/// <summary>
/// Reads PDUs from the transport for one association: a header, then either the whole body of a small control PDU (bounded
/// by <see cref="DicomNetworkDefaults.MaxControlPduLength"/>) or, for P-DATA-TF, the PDV items one by one with their data
/// read by the caller in pieces, never buffered whole. Lengths are checked against the limits before anything is read
/// into memory: a P-DATA-TF longer than this side's maximum PDU length, a PDV longer than its PDU, or a control PDU over
/// its limit is a <see cref="DicomNetworkException"/>. Not thread-safe: one reader at a time.
/// </summary>
internal sealed class PduReader
{
    private const int BufferSize = 64 * 1024;

    private readonly Stream _stream;
    private readonly byte[] _buffer = new byte[BufferSize];
    private int _position;
    private int _count;

    /// <summary>Bytes of the current P-DATA-TF not yet read (PDV headers and data).</summary>
    private long _pduRemaining;

    public PduReader(Stream stream, uint maxPduLength)
    {
        _stream = stream;
        MaxPduLength = maxPduLength;
    }

    public uint MaxPduLength { get; set; }

    /// <summary>Data bytes of the current PDV not yet read.</summary>
    public int PdvRemaining { get; private set; }

    /// <summary>True when inside a P-DATA-TF PDU with PDV items left.</summary>
    public bool InDataPdu => _pduRemaining > 0;

    /// <summary>Reads a PDU header; null at a clean end of stream (the peer closed between PDUs).</summary>
    public async ValueTask<(PduType Type, uint Length)?> ReadHeaderAsync(CancellationToken cancellationToken)
    {
        var first = await FillAsync(1, cancellationToken, allowEnd: true).ConfigureAwait(false);
        if (!first)
        {
            return null;
        }

        await FillAsync(PduCodec.HeaderLength, cancellationToken, allowEnd: false).ConfigureAwait(false);
        var type = _buffer[_position];
        var length = BinaryPrimitives.ReadUInt32BigEndian(_buffer.AsSpan(_position + 2));
        _position += PduCodec.HeaderLength;
        if (type is < 1 or > 7)
        {
            throw new DicomNetworkException($"Unrecognized PDU type 0x{type:X2}.", AbortReason.UnrecognizedPdu);
        }

        var pduType = (PduType)type;
        if (pduType == PduType.DataTransfer)
        {
            if (MaxPduLength != 0 && length > MaxPduLength)
            {
                throw new DicomNetworkException($"A P-DATA-TF PDU of {length} bytes exceeds the maximum length {MaxPduLength}.", AbortReason.InvalidPduParameterValue);
            }

            if (length < 6)
            {
                throw new DicomNetworkException($"A P-DATA-TF PDU of {length} bytes holds no PDV.", AbortReason.InvalidPduParameterValue);
            }

            _pduRemaining = length;
        }
        else if (length > DicomNetworkDefaults.MaxControlPduLength)
        {
            throw new DicomNetworkException($"A {pduType} PDU of {length} bytes exceeds the limit {DicomNetworkDefaults.MaxControlPduLength}.", AbortReason.InvalidPduParameterValue);
        }

        return (pduType, length);
    }

    /// <summary>Reads the body of a control PDU whose header was just read.</summary>
    public async ValueTask<byte[]> ReadBodyAsync(uint length, CancellationToken cancellationToken)
    {
        var body = new byte[length];
        var done = 0;
        while (done < body.Length)
        {
            if (_count - _position == 0)
            {
                await FillAsync(1, cancellationToken, allowEnd: false).ConfigureAwait(false);
            }

            var n = Math.Min(body.Length - done, _count - _position);
            _buffer.AsSpan(_position, n).CopyTo(body.AsSpan(done));
            _position += n;
            done += n;
        }

        return body;
    }

    /// <summary>The body of a control PDU; a P-DATA-TF where a control PDU is expected is an error (its body is not read).</summary>
    public ValueTask<byte[]> ReadBodyOrFailAsync(PduType type, uint length, CancellationToken cancellationToken)
    {
        if (type == PduType.DataTransfer)
        {
            _pduRemaining = 0;
            return ValueTask.FromResult(Array.Empty<byte>());
        }

        return ReadBodyAsync(length, cancellationToken);
    }

    /// <summary>Reads the next PDV item header of the current P-DATA-TF (call only while <see cref="InDataPdu"/>).</summary>
    public async ValueTask<(byte ContextId, bool IsCommand, bool IsLast, int Length)> ReadPdvHeaderAsync(CancellationToken cancellationToken)
    {
        if (_pduRemaining < 6)
        {
            throw new DicomNetworkException("A P-DATA-TF PDU ends inside a PDV item header.", AbortReason.InvalidPduParameterValue);
        }

        await FillAsync(6, cancellationToken, allowEnd: false).ConfigureAwait(false);
        var length = BinaryPrimitives.ReadUInt32BigEndian(_buffer.AsSpan(_position));
        var contextId = _buffer[_position + 4];
        var control = _buffer[_position + 5];
        _position += 6;
        _pduRemaining -= 6;
        if (length < 2 || length - 2 > _pduRemaining)
        {
            throw new DicomNetworkException($"A PDV item of {length} bytes does not fit its P-DATA-TF PDU.", AbortReason.InvalidPduParameterValue);
        }

        if ((contextId & 1) == 0 || (control & 0xFC) != 0)
        {
            throw new DicomNetworkException($"A PDV item with presentation context {contextId} and control header 0x{control:X2}.", AbortReason.InvalidPduParameterValue);
        }

        PdvRemaining = (int)(length - 2);
        return (contextId, (control & 1) != 0, (control & 2) != 0, PdvRemaining);
    }

    /// <summary>Reads data of the current PDV (at most what remains of it); 0 only when the PDV is exhausted.</summary>
    public async ValueTask<int> ReadPdvDataAsync(Memory<byte> destination, CancellationToken cancellationToken)
    {
        if (PdvRemaining == 0 || destination.IsEmpty)
        {
            return 0;
        }

        var want = Math.Min(destination.Length, PdvRemaining);
        int n;
        if (_count - _position > 0)
        {
            n = Math.Min(want, _count - _position);
            _buffer.AsMemory(_position, n).CopyTo(destination);
            _position += n;
        }
        else if (want >= BufferSize / 2)
        {
            // Large reads go straight into the destination: no copy through the buffer.
            n = await _stream.ReadAsync(destination[..want], cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                throw new DicomAssociationAbortedException("The connection closed in the middle of a PDU.");
            }
        }
        else
        {
            await FillAsync(1, cancellationToken, allowEnd: false).ConfigureAwait(false);
            n = Math.Min(want, _count - _position);
            _buffer.AsMemory(_position, n).CopyTo(destination);
            _position += n;
        }

        PdvRemaining -= n;
        _pduRemaining -= n;
        return n;
    }

    /// <summary>Ensures <paramref name="needed"/> bytes are buffered; false only at a clean end when <paramref name="allowEnd"/>.</summary>
    private async ValueTask<bool> FillAsync(int needed, CancellationToken cancellationToken, bool allowEnd)
    {
        if (_count - _position >= needed)
        {
            return true;
        }

        if (_position > 0)
        {
            Buffer.BlockCopy(_buffer, _position, _buffer, 0, _count - _position);
            _count -= _position;
            _position = 0;
        }

        while (_count < needed)
        {
            var n = await _stream.ReadAsync(_buffer.AsMemory(_count), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                if (allowEnd && _count == 0)
                {
                    return false;
                }

                throw new DicomAssociationAbortedException("The connection closed in the middle of a PDU.");
            }

            _count += n;
        }

        return true;
    }
}
