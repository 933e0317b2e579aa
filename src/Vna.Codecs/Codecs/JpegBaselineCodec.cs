using System.Runtime.InteropServices;
using Vna.Codecs.Native;
using Vna.Codecs.Pixels;
using Vna.Core;

namespace Vna.Codecs.Codecs;

/// <summary>
/// JPEG baseline (.50, 8-bit) through TurboJPEG: colour is encoded as YBR_FULL_422 (4:2:2), grey as is. Decoding trusts
/// TurboJPEG's colour inference except for 4:4:4 streams a data set calls RGB, which are read as raw planes (no markers
/// means libjpeg would wrongly convert them); streams TurboJPEG refuses (12-bit labelled baseline) go to the managed decoder.
/// </summary>
internal sealed unsafe class JpegBaselineCodec : IFrameCodec
{
    public const string Uid = "1.2.840.10008.1.2.4.50";

    public string TransferSyntaxUid => Uid;

    public bool IsLossy => true;

    public bool CanEncode => true;

    public bool CanDecode => true;

    public string? UnavailableReason => Unavailable;

    private static string? Unavailable => NativeLibraryProbe.Check(TurboJpegNative.Library, TurboJpegNative.Package, "JPEG baseline");

    public void CheckEncodable(in FrameInfo info, string photometric)
    {
        if (info.BitsAllocated != 8 || info.Signed)
        {
            throw new TranscodeException($"JPEG baseline encodes unsigned 8-bit samples, not {info.BitsStored}/{info.BitsAllocated} {(info.Signed ? "signed" : "unsigned")}.");
        }

        if (info.SamplesPerPixel is not (1 or 3) || (info.SamplesPerPixel == 3 && photometric != Photometric.Rgb))
        {
            throw new TranscodeException($"JPEG baseline encodes MONOCHROME or RGB input, not {photometric} with {info.SamplesPerPixel} samples.");
        }
    }

    public EncodedFrame Encode(ReadOnlySpan<byte> frame, in FrameInfo info, string photometric, EncodeParameters parameters)
    {
        CheckEncodable(info, photometric);
        if (Unavailable is { } reason)
        {
            throw new TranscodeException(reason);
        }

        var quality = (int)Math.Clamp(Math.Round(parameters.Quality ?? 90), 1, 100);
        var colour = info.SamplesPerPixel == 3;
        var handle = TurboJpegNative.tjInitCompress();
        if (handle == 0)
        {
            throw new TranscodeException("TurboJPEG could not create a compressor.");
        }

        byte* jpeg = null;
        try
        {
            var source = frame;
            if (info.BitsStored < 8)
            {
                var masked = new byte[frame.Length];
                var mask = (byte)((1 << info.BitsStored) - 1);
                for (var i = 0; i < frame.Length; i++)
                {
                    masked[i] = (byte)(frame[i] & mask);
                }

                source = masked;
            }

            CULong size = default;
            fixed (byte* src = source)
            {
                if (TurboJpegNative.tjCompress2(handle, src, info.Columns, 0, info.Rows, colour ? TurboJpegNative.PixelFormatRgb : TurboJpegNative.PixelFormatGray,
                        &jpeg, &size, colour ? TurboJpegNative.Subsampling422 : TurboJpegNative.SubsamplingGray, quality, TurboJpegNative.FlagAccurateDct) != 0)
                {
                    throw new TranscodeException("JPEG encode failed: " + TurboJpegNative.Error(handle));
                }
            }

            var bytes = new ReadOnlySpan<byte>(jpeg, checked((int)size.Value)).ToArray();
            return new EncodedFrame(bytes, colour ? Photometric.YbrFull422 : photometric);
        }
        finally
        {
            if (jpeg != null)
            {
                TurboJpegNative.tjFree(jpeg);
            }

            TurboJpegNative.tjDestroy(handle);
        }
    }

    public string Decode(ReadOnlySpan<byte> encoded, in FrameInfo info, string photometric, Span<byte> destination)
    {
        if (Unavailable is not null || info.BitsAllocated != 8)
        {
            return ManagedJpegCodec.DecodeInto(encoded, info, photometric, destination);
        }

        var handle = TurboJpegNative.tjInitDecompress();
        if (handle == 0)
        {
            throw new TranscodeException("TurboJPEG could not create a decompressor.");
        }

        try
        {
            fixed (byte* src = encoded)
            fixed (byte* dst = destination)
            {
                int width, height, subsampling, colorSpace;
                var length = new CULong((nuint)encoded.Length);
                if (TurboJpegNative.tjDecompressHeader3(handle, src, length, &width, &height, &subsampling, &colorSpace) != 0)
                {
                    // Not something TurboJPEG reads (e.g. 12-bit data labelled baseline): the managed decoder says what is wrong.
                    return ManagedJpegCodec.DecodeInto(encoded, info, photometric, destination);
                }

                var components = colorSpace == TurboJpegNative.ColorSpaceGray ? 1 : 3;
                if (width != info.Columns || height != info.Rows || components != info.SamplesPerPixel)
                {
                    throw new TranscodeException(
                        $"The JPEG stream is {width}x{height}x{components}; the data set says {info.Columns}x{info.Rows}x{info.SamplesPerPixel}.");
                }

                const int flags = TurboJpegNative.FlagAccurateDct | TurboJpegNative.FlagStopOnWarning | TurboJpegNative.FlagLimitScans;
                if (components == 3 && colorSpace == TurboJpegNative.ColorSpaceYCbCr && subsampling == TurboJpegNative.Subsampling444 && photometric == Photometric.Rgb)
                {
                    DecodeRawPlanes(handle, src, length, info, destination, flags);
                    return Photometric.Rgb;
                }

                var format = components == 1 ? TurboJpegNative.PixelFormatGray : TurboJpegNative.PixelFormatRgb;
                if (TurboJpegNative.tjDecompress2(handle, src, length, dst, width, 0, height, format, flags) != 0)
                {
                    throw new TranscodeException("JPEG decode failed: " + TurboJpegNative.Error(handle));
                }

                return components == 3 ? Photometric.Rgb : photometric;
            }
        }
        finally
        {
            TurboJpegNative.tjDestroy(handle);
        }
    }

    private static void DecodeRawPlanes(nint handle, byte* src, CULong length, in FrameInfo info, Span<byte> destination, int flags)
    {
        var pixels = info.Columns * info.Rows;
        var planes = new byte[pixels * 3];
        fixed (byte* p = planes)
        {
            var pointers = stackalloc byte*[3] { p, p + pixels, p + (2 * pixels) };
            var strides = stackalloc int[3] { info.Columns, info.Columns, info.Columns };
            if (TurboJpegNative.tjDecompressToYUVPlanes(handle, src, length, pointers, info.Columns, strides, info.Rows, flags) != 0)
            {
                throw new TranscodeException("JPEG decode failed: " + TurboJpegNative.Error(handle));
            }
        }

        SampleConversion.PlanarToInterleaved(planes, destination, info);
    }
}
