using System.Buffers.Binary;
using System.Text;
using Vna.Codecs.Pixels;

namespace Vna.Benchmarks;

/// <summary>The codec benchmark's images: 16-bit binary PGM files (big-endian samples) read into little-endian frames.</summary>
internal static class CodecBenchImages
{
    public static string Directory =>
        Environment.GetEnvironmentVariable("VNA_BENCH_CODEC_DIR") is { Length: > 0 } dir
            ? dir
            : throw new InvalidOperationException("VNA_BENCH_CODEC_DIR is not set: run tests/bench/codecs.sh, which writes the images first.");

    public static string Syntax(string codec) => codec switch
    {
        "j2k" => "1.2.840.10008.1.2.4.90",
        "htj2k" or "htj2k-sealed" => "1.2.840.10008.1.2.4.201",
        "jpegls" => "1.2.840.10008.1.2.4.80",
        "rle" => "1.2.840.10008.1.2.5",
        _ => throw new ArgumentOutOfRangeException(nameof(codec), codec, "unknown codec"),
    };

    /// <summary>The frame shape and the offset of the samples.</summary>
    public static (FrameInfo Info, int Offset) Header(string path)
    {
        using var stream = File.OpenRead(path);
        var head = new byte[64];
        var read = stream.Read(head);
        var fields = new List<string>();
        var offset = 0;
        var current = new StringBuilder();
        while (fields.Count < 4 && offset < read)
        {
            var c = (char)head[offset++];
            if (char.IsWhiteSpace(c))
            {
                if (current.Length > 0)
                {
                    fields.Add(current.ToString());
                    current.Clear();
                }
            }
            else
            {
                current.Append(c);
            }
        }

        if (fields.Count < 4 || fields[0] != "P5")
        {
            throw new InvalidDataException($"{path} is not a binary PGM.");
        }

        var max = int.Parse(fields[3], System.Globalization.CultureInfo.InvariantCulture);
        var bits = 32 - int.LeadingZeroCount(max);
        return (new FrameInfo(int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture), int.Parse(fields[2], System.Globalization.CultureInfo.InvariantCulture), 1, 16, bits, false), offset);
    }

    public static (FrameInfo Info, byte[] Pixels) ReadPgm(string path)
    {
        var (info, offset) = Header(path);
        var bytes = File.ReadAllBytes(path);
        var pixels = new byte[info.FrameBytes];
        for (var i = 0; i < info.Samples; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(pixels.AsSpan(i * 2), BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(offset + (i * 2))));
        }

        return (info, pixels);
    }
}
