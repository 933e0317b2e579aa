using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Vna.Web.Rendering;

/// <summary>Writes 8-bit grey or RGB PNG (ISO/IEC 15948) in managed code: IHDR, one zlib-compressed IDAT (Sub filter), IEND.</summary>
public static class PngEncoder
{
    private static readonly uint[] s_crcTable = BuildCrcTable();

    public static byte[] Encode(RenderedImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        using var output = new MemoryStream((image.Width * image.Height * image.Channels / 2) + 1024);
        output.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);

        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, image.Width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), image.Height);
        header[8] = 8; // bit depth
        header[9] = image.Channels == 3 ? (byte)2 : (byte)0; // colour type: truecolour or greyscale
        WriteChunk(output, "IHDR", header);

        var stride = image.Width * image.Channels;
        using (var compressed = new MemoryStream())
        {
            using (var zlib = new ZLibStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
            {
                var line = new byte[stride + 1];
                line[0] = 1; // Sub: each byte minus the one a pixel to its left
                for (var y = 0; y < image.Height; y++)
                {
                    var row = image.Pixels.AsSpan(y * stride, stride);
                    for (var x = 0; x < stride; x++)
                    {
                        line[x + 1] = (byte)(row[x] - (x >= image.Channels ? row[x - image.Channels] : 0));
                    }

                    zlib.Write(line);
                }
            }

            WriteChunk(output, "IDAT", compressed.ToArray());
        }

        WriteChunk(output, "IEND", []);
        return output.ToArray();
    }

    private static void WriteChunk(Stream output, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        output.Write(length);
        var typeBytes = Encoding.ASCII.GetBytes(type);
        output.Write(typeBytes);
        output.Write(data);
        var crc = Crc(0xFFFFFFFFu, typeBytes);
        crc = Crc(crc, data) ^ 0xFFFFFFFFu;
        Span<byte> crcBytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crcBytes, crc);
        output.Write(crcBytes);
    }

    private static uint Crc(uint crc, ReadOnlySpan<byte> data)
    {
        foreach (var b in data)
        {
            crc = s_crcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return crc;
    }

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }
}
