using System.Runtime.InteropServices;
using Vna.Codecs.Pixels;
using Vna.Core;

namespace Vna.Codecs.Codecs;

/// <summary>
/// Decode-only codecs on <see cref="ManagedJpegDecoder"/>: JPEG extended 12-bit (.51), lossless process 14 (.57) and its
/// selection value 1 (.70). Debian 12's TurboJPEG 2.1 reads neither 12-bit nor lossless; DCMTK's libijg12/16 would need a
/// C shim over headers Debian does not ship (no libdcmtk-dev in the image) — a managed decoder needs no package, cannot
/// fault on hostile input, and is the fallback of the baseline codec too.
/// </summary>
internal sealed class ManagedJpegCodec(string transferSyntaxUid) : IFrameCodec
{
    public const string Extended = "1.2.840.10008.1.2.4.51";
    public const string LosslessProcess14 = "1.2.840.10008.1.2.4.57";
    public const string LosslessSv1 = "1.2.840.10008.1.2.4.70";

    public string TransferSyntaxUid { get; } = transferSyntaxUid;

    public bool IsLossy => TransferSyntaxUid == Extended;

    public bool CanEncode => false;

    public bool CanDecode => true;

    public string? UnavailableReason => null;

    public void CheckEncodable(in FrameInfo info, string photometric) =>
        throw new TranscodeException($"{TransferSyntaxUid} is decoded here, not encoded.");

    public EncodedFrame Encode(ReadOnlySpan<byte> frame, in FrameInfo info, string photometric, EncodeParameters parameters) =>
        throw new TranscodeException($"{TransferSyntaxUid} is decoded here, not encoded.");

    public string Decode(ReadOnlySpan<byte> encoded, in FrameInfo info, string photometric, Span<byte> destination) =>
        DecodeInto(encoded, info, photometric, destination);

    /// <summary>Decodes any Huffman sequential or lossless JPEG frame into <paramref name="destination"/>; returns the resulting photometric.</summary>
    public static string DecodeInto(ReadOnlySpan<byte> encoded, in FrameInfo info, string photometric, Span<byte> destination)
    {
        var (header, samples) = ManagedJpegDecoder.Decode(encoded, info.Samples);
        if (header.Width != info.Columns || header.Height != info.Rows || header.Components != info.SamplesPerPixel)
        {
            throw new TranscodeException(
                $"The JPEG stream is {header.Width}x{header.Height}x{header.Components}; the data set says {info.Columns}x{info.Rows}x{info.SamplesPerPixel}.");
        }

        if (header.Precision > info.BitsAllocated)
        {
            throw new TranscodeException($"The JPEG stream has {header.Precision}-bit samples; Bits Allocated is {info.BitsAllocated}.");
        }

        var result = photometric;
        if (!header.Lossless && header.Components == 3 && photometric.StartsWith("YBR", StringComparison.Ordinal))
        {
            YCbCrToRgb(samples, header.Precision);
            result = Photometric.Rgb;
        }

        if (info.BytesPerSample == 1)
        {
            for (var i = 0; i < samples.Length; i++)
            {
                destination[i] = (byte)samples[i];
            }
        }
        else
        {
            var d = MemoryMarshal.Cast<byte, ushort>(destination);
            for (var i = 0; i < samples.Length; i++)
            {
                d[i] = (ushort)samples[i];
            }
        }

        SampleConversion.ApplyDatasetSignedness(destination, info, codestreamSigned: false);
        return result;
    }

    private static void YCbCrToRgb(int[] samples, int precision)
    {
        var max = (1 << precision) - 1;
        double center = 1 << (precision - 1);
        for (var i = 0; i + 2 < samples.Length; i += 3)
        {
            double y = samples[i], cb = samples[i + 1] - center, cr = samples[i + 2] - center;
            samples[i] = Math.Clamp((int)Math.Round(y + (1.402 * cr)), 0, max);
            samples[i + 1] = Math.Clamp((int)Math.Round(y - (0.344136 * cb) - (0.714136 * cr)), 0, max);
            samples[i + 2] = Math.Clamp((int)Math.Round(y + (1.772 * cb)), 0, max);
        }
    }
}
