using System.Runtime.InteropServices;

namespace Vna.Codecs.Pixels;

/// <summary>Conversions between sample layouts and representations (planar/interleaved, bit depth, signedness).</summary>
internal static class SampleConversion
{
    /// <summary>Planar Configuration 1 (RRR…GGG…BBB…) to 0 (RGBRGB…), one frame.</summary>
    public static void PlanarToInterleaved(ReadOnlySpan<byte> planar, Span<byte> interleaved, in FrameInfo info)
    {
        if (info.BytesPerSample == 1)
        {
            Reorder(planar, interleaved, info.Columns * info.Rows, info.SamplesPerPixel, toPlanar: false);
        }
        else
        {
            Reorder(MemoryMarshal.Cast<byte, ushort>(planar), MemoryMarshal.Cast<byte, ushort>(interleaved), info.Columns * info.Rows, info.SamplesPerPixel, toPlanar: false);
        }
    }

    /// <summary>Planar Configuration 0 to 1, one frame.</summary>
    public static void InterleavedToPlanar(ReadOnlySpan<byte> interleaved, Span<byte> planar, in FrameInfo info)
    {
        if (info.BytesPerSample == 1)
        {
            Reorder(interleaved, planar, info.Columns * info.Rows, info.SamplesPerPixel, toPlanar: true);
        }
        else
        {
            Reorder(MemoryMarshal.Cast<byte, ushort>(interleaved), MemoryMarshal.Cast<byte, ushort>(planar), info.Columns * info.Rows, info.SamplesPerPixel, toPlanar: true);
        }
    }

    private static void Reorder<T>(ReadOnlySpan<T> source, Span<T> destination, int pixels, int spp, bool toPlanar)
    {
        for (var c = 0; c < spp; c++)
        {
            for (var i = 0; i < pixels; i++)
            {
                if (toPlanar)
                {
                    destination[(c * pixels) + i] = source[(i * spp) + c];
                }
                else
                {
                    destination[(i * spp) + c] = source[(c * pixels) + i];
                }
            }
        }
    }

    /// <summary>
    /// After a decode that followed the codestream's own precision and sign: make the samples what the data set says
    /// (PS3.5 8.2: the data set's Pixel Representation wins). A codestream that says unsigned for signed data is
    /// sign-extended from Bits Stored; values stay as decoded otherwise.
    /// </summary>
    public static void ApplyDatasetSignedness(Span<byte> frame, in FrameInfo info, bool codestreamSigned)
    {
        if (!info.Signed || codestreamSigned || info.BitsStored >= info.BitsAllocated)
        {
            return;
        }

        var shift = 32 - info.BitsStored;
        if (info.BytesPerSample == 1)
        {
            for (var i = 0; i < frame.Length; i++)
            {
                frame[i] = (byte)((int)((uint)frame[i] << shift) >> shift);
            }
        }
        else
        {
            var s = MemoryMarshal.Cast<byte, ushort>(frame);
            for (var i = 0; i < s.Length; i++)
            {
                s[i] = (ushort)((int)((uint)s[i] << shift) >> shift);
            }
        }
    }

    /// <summary>
    /// Reads sample <paramref name="index"/> as the data set means it: masked to Bits Stored, sign-extended when signed.
    /// </summary>
    public static int ReadSample(ReadOnlySpan<byte> frame, in FrameInfo info, long index)
    {
        uint raw = info.BytesPerSample == 1 ? frame[(int)index] : MemoryMarshal.Cast<byte, ushort>(frame)[(int)index];
        var shift = 32 - info.BitsStored;
        return info.Signed ? (int)(raw << shift) >> shift : (int)(raw & (uint)((1L << info.BitsStored) - 1));
    }

    /// <summary>Writes every sample as the data set means it: masked to Bits Stored, sign-extended to the sample size when signed.</summary>
    public static void Normalize(ReadOnlySpan<byte> frame, Span<byte> destination, in FrameInfo info)
    {
        var shift = 32 - info.BitsStored;
        var mask = (uint)((1L << info.BitsStored) - 1);
        if (info.BytesPerSample == 1)
        {
            for (var i = 0; i < frame.Length; i++)
            {
                destination[i] = info.Signed ? (byte)((int)((uint)frame[i] << shift) >> shift) : (byte)(frame[i] & mask);
            }
        }
        else
        {
            var s = MemoryMarshal.Cast<byte, ushort>(frame);
            var d = MemoryMarshal.Cast<byte, ushort>(destination);
            for (var i = 0; i < s.Length; i++)
            {
                d[i] = info.Signed ? (ushort)((int)((uint)s[i] << shift) >> shift) : (ushort)(s[i] & mask);
            }
        }
    }
}
