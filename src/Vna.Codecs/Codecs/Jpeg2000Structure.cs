using System.Buffers.Binary;
using Vna.Core;

namespace Vna.Codecs.Codecs;

/// <summary>
/// A cheap structural check of a raw JPEG 2000 codestream before a decoder sees it: main header segments within bounds,
/// every tile-part (SOT Psot) within the data, and EOC where the last tile-part ends. OpenJPH decodes a truncated
/// codestream without complaint (it fills in what is missing), so truncation is caught here.
/// </summary>
internal static class Jpeg2000Structure
{
    public static void Check(ReadOnlySpan<byte> codestream)
    {
        // Fragments are padded to even length with a trailing zero.
        var end = codestream.Length;
        while (end > 2 && codestream[end - 1] == 0 && !(codestream[end - 2] == 0xFF && codestream[end - 1] == 0xD9))
        {
            end--;
        }

        if (end < 4 || BinaryPrimitives.ReadUInt16BigEndian(codestream) != 0xFF4F)
        {
            throw new TranscodeException("Not a JPEG 2000 codestream (no SOC marker FF4F).");
        }

        var p = 2;
        while (true)
        {
            if (p + 4 > end)
            {
                throw new TranscodeException("JPEG 2000 main header is truncated.");
            }

            var marker = BinaryPrimitives.ReadUInt16BigEndian(codestream[p..]);
            if (marker == 0xFF90)
            {
                break;
            }

            if ((marker & 0xFF00) != 0xFF00)
            {
                throw new TranscodeException($"JPEG 2000 main header has no marker at offset {p}.");
            }

            p += 2 + BinaryPrimitives.ReadUInt16BigEndian(codestream[(p + 2)..]);
        }

        while (p + 12 <= end && BinaryPrimitives.ReadUInt16BigEndian(codestream[p..]) == 0xFF90)
        {
            var psot = BinaryPrimitives.ReadUInt32BigEndian(codestream[(p + 6)..]);
            if (psot == 0)
            {
                p = end - 2; // the last tile-part runs to EOC
                break;
            }

            if (psot < 14 || p + (long)psot > end)
            {
                throw new TranscodeException($"JPEG 2000 tile-part at offset {p} claims {psot} bytes; the codestream is truncated or corrupt.");
            }

            p += (int)psot;
        }

        if (p + 2 > end || BinaryPrimitives.ReadUInt16BigEndian(codestream[p..]) != 0xFFD9)
        {
            throw new TranscodeException("JPEG 2000 codestream does not end with EOC after its tile-parts: truncated or corrupt.");
        }
    }
}
