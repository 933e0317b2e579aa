using Vna.Codecs.Native;
using Vna.Codecs.Pixels;
using Vna.Core;

namespace Vna.Codecs.Codecs;

/// <summary>
/// HTJ2K (ISO/IEC 15444-15): lossless (.201), lossless RPCL with TLM (.202) and lossy (.203). Encoded by OpenJPH through the
/// shim. Decoded by OpenJPH, with OpenJPEG as fallback when OpenJPH refuses a codestream (or is absent), when the codestream is
/// the archive's own (<see cref="DecodeSealed"/>, see <see cref="CodestreamSeal"/>) or OpenJPH is preferred for all; every
/// other codestream by OpenJPEG, which is robust against corrupt input. OpenJPH 0.9.0 is not safe on untrusted codestreams:
/// see <see cref="CodecsOptions.PreferOpenJphDecoder"/>.
/// </summary>
internal sealed unsafe class Htj2kCodec : IFrameCodec
{
    public const string Lossless = "1.2.840.10008.1.2.4.201";
    public const string LosslessRpcl = "1.2.840.10008.1.2.4.202";
    public const string Lossy = "1.2.840.10008.1.2.4.203";

    private readonly bool _preferOpenJph;

    public Htj2kCodec(string transferSyntaxUid, bool preferOpenJph = false)
    {
        if (transferSyntaxUid is not (Lossless or LosslessRpcl or Lossy))
        {
            throw new ArgumentException($"{transferSyntaxUid} is not an HTJ2K transfer syntax.", nameof(transferSyntaxUid));
        }

        TransferSyntaxUid = transferSyntaxUid;
        _preferOpenJph = preferOpenJph;
    }

    public string TransferSyntaxUid { get; }

    public bool IsLossy => TransferSyntaxUid == Lossy;

    public bool CanEncode => OpenJphShim.Unavailable is null;

    public bool CanDecode => true;

    /// <summary>Decoding needs OpenJPH or OpenJPEG; encoding needs OpenJPH (see <see cref="CanEncode"/>).</summary>
    public string? UnavailableReason => OpenJphShim.Unavailable is null || OpenJpegCodec.Unavailable is null ? null : OpenJphShim.Unavailable;

    public void CheckEncodable(in FrameInfo info, string photometric)
    {
        if (info.BitsAllocated is not (8 or 16) || info.BitsStored > 16)
        {
            throw new TranscodeException($"HTJ2K here encodes 8- or 16-bit samples, not {info.BitsStored}/{info.BitsAllocated}.");
        }

        if (Photometric.IsSubsampled(photometric))
        {
            throw new TranscodeException($"{photometric} input cannot be encoded as HTJ2K.");
        }

        if (OpenJphShim.Unavailable is { } reason)
        {
            throw new TranscodeException(reason);
        }
    }

    public EncodedFrame Encode(ReadOnlySpan<byte> frame, in FrameInfo info, string photometric, EncodeParameters parameters)
    {
        CheckEncodable(info, photometric);
        var colour = info.SamplesPerPixel == 3 && photometric == Photometric.Rgb;
        var decompositions = TransferSyntaxUid == LosslessRpcl ? DecompositionsForRpcl(info.Columns, info.Rows) : -1;
        byte[] bytes;
        if (IsLossy)
        {
            bytes = EncodeToRatio(frame, info, colour, Math.Max(1, parameters.Quality ?? 10));
        }
        else
        {
            bytes = EncodeOnce(frame, info, reversible: true, 0, colour, decompositions);
        }

        if (TransferSyntaxUid == LosslessRpcl)
        {
            bytes = Htj2kTlm.Insert(bytes);
        }

        var outPhotometric = colour ? (IsLossy ? Photometric.YbrIct : Photometric.YbrRct) : photometric;
        return new EncodedFrame(bytes, outPhotometric);
    }

    public string Decode(ReadOnlySpan<byte> encoded, in FrameInfo info, string photometric, Span<byte> destination) =>
        Decode(encoded, info, photometric, destination, _preferOpenJph);

    /// <summary>
    /// Decodes a codestream the archive encoded itself (its <see cref="CodestreamSeal"/> verified): with OpenJPH, OpenJPEG as
    /// fallback. Never call it for a codestream from outside.
    /// </summary>
    public string DecodeSealed(ReadOnlySpan<byte> encoded, in FrameInfo info, string photometric, Span<byte> destination) =>
        Decode(encoded, info, photometric, destination, useOpenJph: true);

    private static string Decode(ReadOnlySpan<byte> encoded, in FrameInfo info, string photometric, Span<byte> destination, bool useOpenJph)
    {
        var result = photometric is Photometric.YbrRct or Photometric.YbrIct ? Photometric.Rgb : photometric;
        if (!OpenJpegCodec.IsJp2(encoded))
        {
            Jpeg2000Structure.Check(encoded);
        }

        if (!useOpenJph || OpenJphShim.Unavailable is not null)
        {
            var signedByOpenJpeg = DecodeWithOpenJpeg(encoded, info, destination);
            SampleConversion.ApplyDatasetSignedness(destination, info, signedByOpenJpeg);
            return result;
        }

        bool signed;
        try
        {
            signed = DecodeWithOpenJph(encoded, info, destination);
        }
        catch (TranscodeException first) when (OpenJpegCodec.Unavailable is null)
        {
            try
            {
                signed = OpenJpegCodec.DecodeCore(encoded, info, destination, 1);
            }
            catch (TranscodeException second)
            {
                throw new TranscodeException($"HTJ2K decode failed in OpenJPH ({first.Message}) and in OpenJPEG ({second.Message}).", second);
            }
        }

        SampleConversion.ApplyDatasetSignedness(destination, info, signed);
        return result;
    }

    /// <summary>Decodes with OpenJPH only (after checking the header against <paramref name="info"/>); returns the codestream's signedness.</summary>
    public static bool DecodeWithOpenJph(ReadOnlySpan<byte> encoded, in FrameInfo info, Span<byte> destination)
    {
        if (OpenJphShim.Unavailable is { } reason)
        {
            throw new TranscodeException(reason);
        }

        if (encoded.Length < 4 || encoded[0] != 0xFF || encoded[1] != 0x4F)
        {
            throw new TranscodeException("Not a JPEG 2000 codestream (no SOC marker FF4F).");
        }

        fixed (byte* data = encoded)
        fixed (byte* output = destination)
        {
            uint width, height, components, depth;
            int signed, reversible, colour;
            if (OpenJphShim.vna_ojph_read_header(data, (nuint)encoded.Length, &width, &height, &components, &depth, &signed, &reversible, &colour) != 0)
            {
                throw new TranscodeException("HTJ2K header unreadable: " + OpenJphShim.LastError());
            }

            if (width != info.Columns || height != info.Rows || components != info.SamplesPerPixel)
            {
                throw new TranscodeException($"The codestream is {width}x{height}x{components}; the data set says {info.Columns}x{info.Rows}x{info.SamplesPerPixel}.");
            }

            if (depth < 1 || depth > info.BitsAllocated)
            {
                throw new TranscodeException($"The codestream has {depth}-bit samples; Bits Allocated is {info.BitsAllocated}.");
            }

            if (OpenJphShim.vna_ojph_decode(data, (nuint)encoded.Length, output, (nuint)destination.Length, width, height, components, (uint)info.BytesPerSample) != 0)
            {
                throw new TranscodeException("HTJ2K decode failed: " + OpenJphShim.LastError());
            }

            return signed != 0;
        }
    }

    /// <summary>Decodes with OpenJPEG only; returns the codestream's signedness.</summary>
    public static bool DecodeWithOpenJpeg(ReadOnlySpan<byte> encoded, in FrameInfo info, Span<byte> destination)
    {
        if (OpenJpegCodec.Unavailable is { } reason)
        {
            throw new TranscodeException(reason);
        }

        return OpenJpegCodec.DecodeCore(encoded, info, destination, 1);
    }

    /// <summary>PS3.5 A.4.7 (.202): enough decompositions that the lowest resolution is at most 64 pixels on its longer side.</summary>
    public static int DecompositionsForRpcl(int width, int height)
    {
        var longest = Math.Max(width, height);
        var levels = 5;
        while ((longest >> levels) > 64 && levels < 32)
        {
            levels++;
        }

        return levels;
    }

    /// <summary>OpenJPH has no rate control: bisect the quantisation step (log scale) towards the requested ratio.</summary>
    private static byte[] EncodeToRatio(ReadOnlySpan<byte> frame, in FrameInfo info, bool colour, double ratio)
    {
        var target = info.FrameBytes / ratio;
        double lo = Math.Log(1e-5), hi = Math.Log(0.5);
        byte[]? best = null;
        var bestError = double.MaxValue;
        for (var i = 0; i < 7; i++)
        {
            var mid = (lo + hi) / 2;
            var bytes = EncodeOnce(frame, info, reversible: false, (float)Math.Exp(mid), colour, -1);
            var error = Math.Abs(bytes.Length - target) / target;
            if (error < bestError)
            {
                best = bytes;
                bestError = error;
            }

            if (error < 0.05)
            {
                break;
            }

            // Larger steps give smaller codestreams.
            if (bytes.Length > target)
            {
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }

        return best!;
    }

    private static byte[] EncodeOnce(ReadOnlySpan<byte> frame, in FrameInfo info, bool reversible, float qstep, bool colour, int decompositions)
    {
        fixed (byte* pixels = frame)
        {
            nint handle;
            byte* data;
            nuint size;
            var status = OpenJphShim.vna_ojph_encode(pixels, (uint)info.Columns, (uint)info.Rows, (uint)info.SamplesPerPixel, (uint)info.BytesPerSample,
                (uint)info.BitsStored, info.Signed ? 1 : 0, reversible ? 1 : 0, qstep, colour ? 1 : 0, 0, decompositions, &handle, &data, &size);
            if (status != 0)
            {
                throw new TranscodeException("HTJ2K encode failed: " + OpenJphShim.LastError());
            }

            try
            {
                // The one copy out of native memory, into an array the GC does not zero first (it is overwritten whole).
                var bytes = GC.AllocateUninitializedArray<byte>(checked((int)size));
                new ReadOnlySpan<byte>(data, bytes.Length).CopyTo(bytes);
                return bytes;
            }
            finally
            {
                OpenJphShim.vna_ojph_release(handle);
            }
        }
    }
}
