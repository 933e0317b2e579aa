using System.Buffers.Binary;
using System.Text;

namespace Vna.Dicom.Network;

/// <summary>Builds one small PDU (association, release, abort) in memory: big-endian fields and length-prefixed items.</summary>
internal sealed class PduBuilder
{
    private readonly List<byte> _bytes = new(512);

    public PduBuilder(PduType type)
    {
        _bytes.Add((byte)type);
        _bytes.Add(0);
        _bytes.AddRange([0, 0, 0, 0]);
    }

    public PduBuilder Byte(byte value)
    {
        _bytes.Add(value);
        return this;
    }

    public PduBuilder UInt16(ushort value)
    {
        _bytes.Add((byte)(value >> 8));
        _bytes.Add((byte)value);
        return this;
    }

    public PduBuilder UInt32(uint value)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(b, value);
        foreach (var x in b)
        {
            _bytes.Add(x);
        }

        return this;
    }

    public PduBuilder Bytes(ReadOnlySpan<byte> value)
    {
        foreach (var x in value)
        {
            _bytes.Add(x);
        }

        return this;
    }

    public PduBuilder Zeros(int count)
    {
        for (var i = 0; i < count; i++)
        {
            _bytes.Add(0);
        }

        return this;
    }

    /// <summary>An AE title in its 16-byte field, space padded.</summary>
    public PduBuilder AeTitle(string aeTitle)
    {
        var text = aeTitle.Trim();
        if (text.Length is 0 or > 16 || text.Any(c => c is < ' ' or > '~' or '\\'))
        {
            throw new ArgumentException($"'{aeTitle}' is not an AE title (1 to 16 printable characters, no backslash).", nameof(aeTitle));
        }

        return Bytes(Encoding.ASCII.GetBytes(text.PadRight(16)));
    }

    /// <summary>Starts an item; returns where its length goes, for <see cref="EndItem"/>.</summary>
    public int BeginItem(byte type)
    {
        _bytes.Add(type);
        _bytes.Add(0);
        var at = _bytes.Count;
        _bytes.Add(0);
        _bytes.Add(0);
        return at;
    }

    public void EndItem(int lengthAt)
    {
        var length = _bytes.Count - lengthAt - 2;
        if (length > ushort.MaxValue)
        {
            throw new InvalidOperationException("A PDU item longer than 65535 bytes.");
        }

        _bytes[lengthAt] = (byte)(length >> 8);
        _bytes[lengthAt + 1] = (byte)length;
    }

    public PduBuilder Item(byte type, string asciiValue)
    {
        var at = BeginItem(type);
        Bytes(Encoding.ASCII.GetBytes(asciiValue));
        EndItem(at);
        return this;
    }

    public byte[] ToPdu()
    {
        var pdu = _bytes.ToArray();
        BinaryPrimitives.WriteUInt32BigEndian(pdu.AsSpan(2), (uint)(pdu.Length - PduCodec.HeaderLength));
        return pdu;
    }
}
