using System.Buffers.Binary;
using Vna.Codecs.Pixels;
using Vna.Core;

namespace Vna.Codecs.Codecs;

/// <summary>
/// RLE Lossless (1.2.840.10008.1.2.5, PS3.5 Annex G) in managed code: one segment per byte of each sample, most significant
/// byte first, each row PackBits-coded separately; a 64-byte header of segment offsets.
/// </summary>
internal sealed class RleCodec : IFrameCodec
{
    private const int HeaderLength = 64;

    public string TransferSyntaxUid => "1.2.840.10008.1.2.5";

    public bool IsLossy => false;

    public bool CanEncode => true;

    public bool CanDecode => true;

    public string? UnavailableReason => null;

    public void CheckEncodable(in FrameInfo info, string photometric)
    {
        if (info.BitsAllocated is not (8 or 16 or 32))
        {
            throw new TranscodeException($"RLE encodes 8, 16 or 32 bits allocated, not {info.BitsAllocated}.");
        }

        if (info.SamplesPerPixel * info.BytesPerSample > 15)
        {
            throw new TranscodeException("RLE holds at most 15 segments.");
        }
    }

    public EncodedFrame Encode(ReadOnlySpan<byte> frame, in FrameInfo info, string photometric, EncodeParameters parameters)
    {
        CheckEncodable(info, photometric);
        var bps = info.BytesPerSample;
        var spp = info.SamplesPerPixel;
        var segments = spp * bps;
        var width = info.Columns;
        var pixels = width * info.Rows;
        var stride = spp * bps;

        // Worst case PackBits: one header byte per 128 literal bytes, per row; plus even padding.
        var worst = HeaderLength + (segments * (pixels + ((width / 128) + 2) * info.Rows + 1));
        var output = new byte[worst];
        var row = new byte[width];
        var position = HeaderLength;
        BinaryPrimitives.WriteUInt32LittleEndian(output, (uint)segments);
        var segment = 0;
        for (var c = 0; c < spp; c++)
        {
            for (var b = bps - 1; b >= 0; b--)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(output.AsSpan(4 + (segment * 4)), (uint)position);
                var offset = (c * bps) + b;
                for (var y = 0; y < info.Rows; y++)
                {
                    var src = frame.Slice(y * width * stride);
                    for (var x = 0; x < width; x++)
                    {
                        row[x] = src[(x * stride) + offset];
                    }

                    position += PackBits(row, output.AsSpan(position));
                }

                if ((position & 1) != 0)
                {
                    output[position++] = 0;
                }

                segment++;
            }
        }

        return new EncodedFrame(output.AsSpan(0, position).ToArray(), photometric);
    }

    public string Decode(ReadOnlySpan<byte> encoded, in FrameInfo info, string photometric, Span<byte> destination)
    {
        if (encoded.Length < HeaderLength)
        {
            throw new TranscodeException($"RLE frame of {encoded.Length} bytes is shorter than its 64-byte header.");
        }

        var bps = info.BytesPerSample;
        var spp = info.SamplesPerPixel;
        var expected = spp * bps;
        var count = BinaryPrimitives.ReadUInt32LittleEndian(encoded);
        if (count != expected)
        {
            throw new TranscodeException($"RLE header has {count} segments; {spp} sample(s) of {info.BitsAllocated} bits need {expected}.");
        }

        var pixels = info.Columns * info.Rows;
        var stride = spp * bps;
        var plane = new byte[pixels];
        for (var s = 0; s < expected; s++)
        {
            var start = BinaryPrimitives.ReadUInt32LittleEndian(encoded.Slice(4 + (s * 4)));
            var end = s + 1 < expected ? BinaryPrimitives.ReadUInt32LittleEndian(encoded.Slice(8 + (s * 4))) : (uint)encoded.Length;
            if (start < HeaderLength || start > end || end > encoded.Length)
            {
                throw new TranscodeException($"RLE segment {s + 1} has offsets {start}..{end} outside the {encoded.Length}-byte frame.");
            }

            var produced = UnpackBits(encoded[(int)start..(int)end], plane);
            if (produced < pixels)
            {
                throw new TranscodeException($"RLE segment {s + 1} decodes to {produced} bytes; the frame needs {pixels}.");
            }

            var c = s / bps;
            var b = bps - 1 - (s % bps);
            var offset = (c * bps) + b;
            for (var i = 0; i < pixels; i++)
            {
                destination[(i * stride) + offset] = plane[i];
            }
        }

        return photometric;
    }

    private static int PackBits(ReadOnlySpan<byte> row, Span<byte> output)
    {
        var n = row.Length;
        var o = 0;
        var i = 0;
        while (i < n)
        {
            // A run of at least 3 equal bytes is replicated; shorter ones join a literal.
            var run = 1;
            while (i + run < n && run < 128 && row[i + run] == row[i])
            {
                run++;
            }

            if (run >= 3 || (run == 2 && i + run == n))
            {
                output[o++] = (byte)(sbyte)(1 - run);
                output[o++] = row[i];
                i += run;
                continue;
            }

            var start = i;
            var length = 0;
            while (i < n && length < 128)
            {
                if (i + 2 < n && row[i] == row[i + 1] && row[i] == row[i + 2])
                {
                    break;
                }

                i++;
                length++;
            }

            output[o++] = (byte)(length - 1);
            row.Slice(start, length).CopyTo(output.Slice(o));
            o += length;
        }

        return o;
    }

    private static int UnpackBits(ReadOnlySpan<byte> input, Span<byte> output)
    {
        var i = 0;
        var o = 0;
        var limit = output.Length;
        while (i < input.Length && o < limit)
        {
            var header = (sbyte)input[i++];
            if (header >= 0)
            {
                var length = Math.Min(header + 1, Math.Min(input.Length - i, limit - o));
                input.Slice(i, length).CopyTo(output.Slice(o));
                i += header + 1;
                o += length;
            }
            else if (header != -128)
            {
                if (i >= input.Length)
                {
                    break;
                }

                var length = Math.Min(1 - header, limit - o);
                output.Slice(o, length).Fill(input[i++]);
                o += length;
            }
        }

        return o;
    }
}
