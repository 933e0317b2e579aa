using System.Buffers.Binary;
using System.Text;

namespace Vna.Dicom.Tests;

/// <summary>Builds encoded data sets byte by byte, independently of the writer under test.</summary>
internal sealed class DatasetBytes
{
    private readonly MemoryStream _stream = new();
    private readonly bool _bigEndian;

    public DatasetBytes(bool bigEndian = false) => _bigEndian = bigEndian;

    public DatasetBytes Tag(ushort group, ushort element)
    {
        U16(group);
        U16(element);
        return this;
    }

    public DatasetBytes U16(ushort v)
    {
        Span<byte> b = stackalloc byte[2];
        if (_bigEndian) BinaryPrimitives.WriteUInt16BigEndian(b, v); else BinaryPrimitives.WriteUInt16LittleEndian(b, v);
        _stream.Write(b);
        return this;
    }

    public DatasetBytes U32(uint v)
    {
        Span<byte> b = stackalloc byte[4];
        if (_bigEndian) BinaryPrimitives.WriteUInt32BigEndian(b, v); else BinaryPrimitives.WriteUInt32LittleEndian(b, v);
        _stream.Write(b);
        return this;
    }

    public DatasetBytes Raw(params byte[] bytes)
    {
        _stream.Write(bytes);
        return this;
    }

    public DatasetBytes Ascii(string text) => Raw(Encoding.ASCII.GetBytes(text));

    /// <summary>Explicit VR element with a short (16-bit) length.</summary>
    public DatasetBytes Explicit(ushort group, ushort element, string vr, byte[] value)
    {
        Tag(group, element).Ascii(vr);
        if (vr is "OB" or "OW" or "OF" or "OD" or "OL" or "OV" or "SQ" or "UN" or "UT" or "UC" or "UR" or "SV" or "UV")
        {
            U16(0).U32((uint)value.Length);
        }
        else
        {
            U16((ushort)value.Length);
        }

        return Raw(value);
    }

    public DatasetBytes Explicit(ushort group, ushort element, string vr, string value) =>
        Explicit(group, element, vr, Encoding.ASCII.GetBytes(value));

    public DatasetBytes Implicit(ushort group, ushort element, byte[] value) => Tag(group, element).U32((uint)value.Length).Raw(value);

    public DatasetBytes Implicit(ushort group, ushort element, string value) => Implicit(group, element, Encoding.ASCII.GetBytes(value));

    public byte[] ToArray() => _stream.ToArray();

    /// <summary>A Part 10 file: preamble, DICM, a minimal meta group in explicit VR LE, then <paramref name="body"/>.</summary>
    public static byte[] Part10(string transferSyntaxUid, byte[] body)
    {
        var meta = new DatasetBytes();
        var ts = transferSyntaxUid.Length % 2 == 1 ? transferSyntaxUid + "\0" : transferSyntaxUid;
        var elements = new DatasetBytes()
            .Explicit(0x0002, 0x0001, "OB", [0, 1])
            .Explicit(0x0002, 0x0002, "UI", "1.2.840.10008.5.1.4.1.1.7\0")
            .Explicit(0x0002, 0x0003, "UI", "1.2.3.4\0")
            .Explicit(0x0002, 0x0010, "UI", ts)
            .ToArray();
        meta.Explicit(0x0002, 0x0000, "UL", BitConverter.GetBytes((uint)elements.Length)).Raw(elements);
        var file = new MemoryStream();
        file.Write(new byte[128]);
        file.Write("DICM"u8);
        file.Write(meta.ToArray());
        file.Write(body);
        return file.ToArray();
    }
}
