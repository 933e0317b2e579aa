using System.Buffers.Binary;
using Vna.Core;

namespace Vna.Codecs.Codecs;

/// <summary>
/// Inserts a TLM marker segment (tile-part lengths, ISO/IEC 15444-1 A.7.1) before the first SOT: DICOM's HTJ2K RPCL syntax
/// (.202, PS3.5 A.4.7) requires one, and OpenJPH 0.9 writes TLM only under its broadcast/IMF profiles.
/// </summary>
internal static class Htj2kTlm
{
    private const ushort Soc = 0xFF4F;
    private const ushort Sot = 0xFF90;
    private const ushort Tlm = 0xFF55;
    private const ushort Eoc = 0xFFD9;

    public static byte[] Insert(byte[] codestream)
    {
        if (codestream.Length < 4 || BinaryPrimitives.ReadUInt16BigEndian(codestream) != Soc)
        {
            throw new TranscodeException("HTJ2K codestream does not start with SOC.");
        }

        // Main header: marker segments up to the first SOT.
        var position = 2;
        while (true)
        {
            if (position + 4 > codestream.Length)
            {
                throw new TranscodeException("HTJ2K main header runs past the end of the codestream.");
            }

            var marker = BinaryPrimitives.ReadUInt16BigEndian(codestream.AsSpan(position));
            if (marker == Sot)
            {
                break;
            }

            if (marker == Tlm)
            {
                return codestream;
            }

            position += 2 + BinaryPrimitives.ReadUInt16BigEndian(codestream.AsSpan(position + 2));
        }

        var firstSot = position;
        var parts = new List<(ushort Tile, uint Length)>();
        while (position + 12 <= codestream.Length && BinaryPrimitives.ReadUInt16BigEndian(codestream.AsSpan(position)) == Sot)
        {
            var tile = BinaryPrimitives.ReadUInt16BigEndian(codestream.AsSpan(position + 4));
            var length = BinaryPrimitives.ReadUInt32BigEndian(codestream.AsSpan(position + 6));
            if (length == 0)
            {
                // The last tile-part may leave Psot 0: it runs to EOC.
                var end = codestream.Length - 2;
                if (BinaryPrimitives.ReadUInt16BigEndian(codestream.AsSpan(end)) != Eoc)
                {
                    throw new TranscodeException("HTJ2K codestream does not end with EOC.");
                }

                length = (uint)(end - position);
            }

            parts.Add((tile, length));
            position += (int)length;
        }

        if (parts.Count == 0 || parts.Count > (ushort.MaxValue - 4) / 6)
        {
            throw new TranscodeException($"HTJ2K codestream has {parts.Count} tile-parts; a TLM segment holds 1..10921.");
        }

        var segment = new byte[2 + 4 + (6 * parts.Count)];
        BinaryPrimitives.WriteUInt16BigEndian(segment, Tlm);
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(2), (ushort)(segment.Length - 2));
        segment[4] = 0; // Ztlm
        segment[5] = 0x60; // Stlm: ST=2 (16-bit Ttlm), SP=1 (32-bit Ptlm)
        for (var i = 0; i < parts.Count; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(6 + (i * 6)), parts[i].Tile);
            BinaryPrimitives.WriteUInt32BigEndian(segment.AsSpan(8 + (i * 6)), parts[i].Length);
        }

        var result = new byte[codestream.Length + segment.Length];
        codestream.AsSpan(0, firstSot).CopyTo(result);
        segment.CopyTo(result.AsSpan(firstSot));
        codestream.AsSpan(firstSot).CopyTo(result.AsSpan(firstSot + segment.Length));
        return result;
    }
}
