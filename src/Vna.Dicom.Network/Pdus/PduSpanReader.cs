using System.Buffers.Binary;

namespace Vna.Dicom.Network;

/// <summary>Reads big-endian fields from a PDU body; every read is checked against what remains.</summary>
internal ref struct PduSpanReader
{
    private ReadOnlySpan<byte> _rest;

    public PduSpanReader(ReadOnlySpan<byte> body) => _rest = body;

    public readonly bool End => _rest.IsEmpty;

    public readonly int Remaining => _rest.Length;

    public byte Byte() => Take(1)[0];

    public ushort UInt16() => BinaryPrimitives.ReadUInt16BigEndian(Take(2));

    public uint UInt32() => BinaryPrimitives.ReadUInt32BigEndian(Take(4));

    public void Skip(int count) => Take(count);

    public ReadOnlySpan<byte> Take(int count)
    {
        if (count < 0 || count > _rest.Length)
        {
            throw new DicomNetworkException($"Malformed PDU: a field of {count} bytes where {_rest.Length} remain.", AbortReason.InvalidPduParameterValue);
        }

        var taken = _rest[..count];
        _rest = _rest[count..];
        return taken;
    }

    /// <summary>An item: type (1), reserved (1), length (2), value.</summary>
    public byte Item(out ReadOnlySpan<byte> value)
    {
        var type = Byte();
        Skip(1);
        var length = UInt16();
        value = Take(length);
        return type;
    }
}
