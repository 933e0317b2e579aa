using System.Runtime.InteropServices;
using Vna.Codecs.Native;
using Vna.Codecs.Pixels;
using Vna.Core;

namespace Vna.Codecs.Codecs;

/// <summary>
/// JPEG 2000 Part 1 through OpenJPEG: lossless (.90, reversible 5/3, YBR_RCT for colour) and lossy (.91, irreversible 9/7,
/// rate-controlled, YBR_ICT). Writes raw codestreams; reads raw codestreams and JP2-wrapped ones. Also the general decoder
/// for HTJ2K codestreams (Part 15), as fallback and cross-check of OpenJPH.
/// </summary>
internal sealed unsafe class OpenJpegCodec : IFrameCodec
{
    private static readonly byte[] s_comment = "Vna\0"u8.ToArray();
    private static readonly GCHandle s_commentHandle = GCHandle.Alloc(s_comment, GCHandleType.Pinned);

    private readonly bool _lossy;

    public OpenJpegCodec(bool lossy, string? transferSyntaxUid = null)
    {
        _lossy = lossy;
        TransferSyntaxUid = transferSyntaxUid ?? (lossy ? "1.2.840.10008.1.2.4.91" : "1.2.840.10008.1.2.4.90");
    }

    public string TransferSyntaxUid { get; }

    public bool IsLossy => _lossy;

    public bool CanEncode => true;

    public bool CanDecode => true;

    public string? UnavailableReason => Unavailable;

    public static string? Unavailable => NativeLibraryProbe.Check(OpenJpegNative.Library, OpenJpegNative.Package, "JPEG 2000");

    public void CheckEncodable(in FrameInfo info, string photometric)
    {
        if (info.BitsAllocated is not (8 or 16) || info.BitsStored > 16)
        {
            throw new TranscodeException($"JPEG 2000 here encodes 8- or 16-bit samples, not {info.BitsStored}/{info.BitsAllocated}.");
        }

        if (Photometric.IsSubsampled(photometric))
        {
            throw new TranscodeException($"{photometric} input cannot be encoded as JPEG 2000.");
        }
    }

    public EncodedFrame Encode(ReadOnlySpan<byte> frame, in FrameInfo info, string photometric, EncodeParameters parameters)
    {
        CheckEncodable(info, photometric);
        Require();
        var mct = info.SamplesPerPixel == 3 && photometric == Photometric.Rgb;
        var bytes = EncodeCore(frame, info, _lossy ? Math.Max(1, parameters.Quality ?? 10) : 0, mct, parameters.CodecThreads);
        var outPhotometric = mct ? (_lossy ? Photometric.YbrIct : Photometric.YbrRct) : photometric;
        return new EncodedFrame(bytes, outPhotometric);
    }

    public string Decode(ReadOnlySpan<byte> encoded, in FrameInfo info, string photometric, Span<byte> destination)
    {
        Require();
        var signed = DecodeCore(encoded, info, destination, 1);
        SampleConversion.ApplyDatasetSignedness(destination, info, signed);
        return photometric is Photometric.YbrRct or Photometric.YbrIct ? Photometric.Rgb : photometric;
    }

    private static void Require()
    {
        if (Unavailable is { } reason)
        {
            throw new TranscodeException(reason);
        }
    }

    /// <summary>Resolution levels: at most 6, and 2^(levels-1) no larger than the smaller side.</summary>
    public static int ResolutionsFor(int width, int height, int max = 6)
    {
        var smallest = Math.Min(width, height);
        var levels = 1;
        while (levels < max && (1 << levels) <= smallest)
        {
            levels++;
        }

        return levels;
    }

    /// <summary>Encodes one frame; <paramref name="ratio"/> 0 is reversible (lossless).</summary>
    public static byte[] EncodeCore(ReadOnlySpan<byte> frame, in FrameInfo info, double ratio, bool mct, int threads)
    {
        var spp = info.SamplesPerPixel;
        var components = stackalloc OpjImageComponentParameters[spp];
        for (var c = 0; c < spp; c++)
        {
            components[c] = new OpjImageComponentParameters
            {
                Dx = 1,
                Dy = 1,
                Width = (uint)info.Columns,
                Height = (uint)info.Rows,
                Precision = (uint)info.BitsStored,
                Signed = info.Signed ? 1u : 0u,
            };
        }

        var image = OpenJpegNative.opj_image_create((uint)spp, components, spp >= 3 ? OpenJpegNative.ColorSpaceSrgb : OpenJpegNative.ColorSpaceGray);
        if (image == null)
        {
            throw new TranscodeException("OpenJPEG could not allocate the image.");
        }

        nint codec = 0;
        nint stream = 0;
        var writer = default(OpjMemoryStreams.Writer);
        using var messages = new NativeMessages();
        try
        {
            image->X1 = (uint)info.Columns;
            image->Y1 = (uint)info.Rows;
            FillComponents(frame, info, image);

            OpjCParameters parameters;
            OpenJpegNative.opj_set_default_encoder_parameters(&parameters);
            parameters.NumberOfLayers = 1;
            parameters.DistortionAllocation = 1;
            parameters.Rates[0] = ratio > 0 ? (float)ratio : 0;
            parameters.Irreversible = ratio > 0 ? 1 : 0;
            parameters.NumberOfResolutions = ResolutionsFor(info.Columns, info.Rows);
            parameters.MultipleComponentTransform = (byte)(mct ? 1 : 0);
            parameters.Comment = (byte*)s_commentHandle.AddrOfPinnedObject();

            codec = OpenJpegNative.opj_create_compress(OpenJpegNative.CodecJ2k);
            SetHandlers(codec, messages);
            if (OpenJpegNative.opj_setup_encoder(codec, &parameters, image) == 0)
            {
                throw new TranscodeException("OpenJPEG encoder setup failed: " + messages.Describe("no message"));
            }

            OpenJpegNative.opj_codec_set_threads(codec, Math.Max(1, threads));
            stream = OpjMemoryStreams.CreateWriter(&writer);
            if (OpenJpegNative.opj_start_compress(codec, image, stream) == 0
                || OpenJpegNative.opj_encode(codec, stream) == 0
                || OpenJpegNative.opj_end_compress(codec, stream) == 0)
            {
                throw new TranscodeException("OpenJPEG encode failed: " + messages.Describe("no message"));
            }

            return new ReadOnlySpan<byte>(writer.Data, (int)writer.Length).ToArray();
        }
        finally
        {
            if (stream != 0)
            {
                OpenJpegNative.opj_stream_destroy(stream);
            }

            if (codec != 0)
            {
                OpenJpegNative.opj_destroy_codec(codec);
            }

            OpjMemoryStreams.Free(&writer);
            OpenJpegNative.opj_image_destroy(image);
        }
    }

    /// <summary>
    /// Decodes a J2K or JP2 (or HTJ2K) codestream into interleaved samples after checking its header against
    /// <paramref name="info"/>; returns whether the codestream says signed.
    /// </summary>
    public static bool DecodeCore(ReadOnlySpan<byte> encoded, in FrameInfo info, Span<byte> destination, int threads)
    {
        if (encoded.Length < 12)
        {
            throw new TranscodeException($"JPEG 2000 codestream of {encoded.Length} bytes is too short.");
        }

        var format = IsJp2(encoded) ? OpenJpegNative.CodecJp2 : OpenJpegNative.CodecJ2k;
        if (format == OpenJpegNative.CodecJ2k && !(encoded[0] == 0xFF && encoded[1] == 0x4F))
        {
            throw new TranscodeException("Not a JPEG 2000 codestream (no SOC marker FF4F, no JP2 signature).");
        }

        nint codec = 0;
        nint stream = 0;
        OpjImage* image = null;
        using var messages = new NativeMessages();
        fixed (byte* data = encoded)
        {
            var reader = new OpjMemoryStreams.Reader { Data = data, Length = encoded.Length };
            try
            {
                codec = OpenJpegNative.opj_create_decompress(format);
                SetHandlers(codec, messages);
                OpjDParameters parameters;
                OpenJpegNative.opj_set_default_decoder_parameters(&parameters);
                if (OpenJpegNative.opj_setup_decoder(codec, &parameters) == 0)
                {
                    throw new TranscodeException("OpenJPEG decoder setup failed: " + messages.Describe("no message"));
                }

                OpenJpegNative.opj_decoder_set_strict_mode(codec, 1);
                OpenJpegNative.opj_codec_set_threads(codec, Math.Max(1, threads));
                stream = OpjMemoryStreams.CreateReader(&reader);
                if (OpenJpegNative.opj_read_header(stream, codec, &image) == 0 || image == null)
                {
                    throw new TranscodeException("JPEG 2000 header unreadable: " + messages.Describe("no message"));
                }

                var precision = CheckHeader(image, info);
                if (OpenJpegNative.opj_decode(codec, stream, image) == 0 || OpenJpegNative.opj_end_decompress(codec, stream) == 0)
                {
                    throw new TranscodeException("JPEG 2000 decode failed: " + messages.Describe("no message"));
                }

                return CopyOut(image, info, precision, destination);
            }
            finally
            {
                if (stream != 0)
                {
                    OpenJpegNative.opj_stream_destroy(stream);
                }

                if (codec != 0)
                {
                    OpenJpegNative.opj_destroy_codec(codec);
                }

                if (image != null)
                {
                    OpenJpegNative.opj_image_destroy(image);
                }
            }
        }
    }

    public static bool IsJp2(ReadOnlySpan<byte> data) =>
        data.Length >= 12 && data[0] == 0 && data[1] == 0 && data[2] == 0 && data[3] == 0x0C && data[4] == 0x6A && data[5] == 0x50 && data[6] == 0x20 && data[7] == 0x20;

    private static void SetHandlers(nint codec, NativeMessages messages)
    {
        if (codec == 0)
        {
            throw new TranscodeException("OpenJPEG could not create a codec.");
        }

        OpenJpegNative.opj_set_error_handler(codec, NativeMessages.ErrorHandler, messages.ClientData);
        OpenJpegNative.opj_set_warning_handler(codec, NativeMessages.IgnoreHandler, null);
        OpenJpegNative.opj_set_info_handler(codec, NativeMessages.IgnoreHandler, null);
    }

    private static int CheckHeader(OpjImage* image, in FrameInfo info)
    {
        var count = (int)image->NumberOfComponents;
        if (count != info.SamplesPerPixel)
        {
            throw new TranscodeException($"The codestream has {count} component(s); Samples per Pixel says {info.SamplesPerPixel}.");
        }

        var width = image->X1 - image->X0;
        var height = image->Y1 - image->Y0;
        if (width != info.Columns || height != info.Rows)
        {
            throw new TranscodeException($"The codestream is {width}x{height}; Columns/Rows say {info.Columns}x{info.Rows}.");
        }

        var precision = (int)image->Components[0].Precision;
        for (var c = 0; c < count; c++)
        {
            var comp = image->Components[c];
            if (comp.Dx != 1 || comp.Dy != 1)
            {
                throw new TranscodeException("Subsampled JPEG 2000 components are not supported.");
            }

            if (comp.Precision != precision || comp.Signed != image->Components[0].Signed)
            {
                throw new TranscodeException("JPEG 2000 components differ in precision or sign.");
            }
        }

        if (precision < 1 || precision > info.BitsAllocated)
        {
            throw new TranscodeException($"The codestream has {precision}-bit samples; Bits Allocated is {info.BitsAllocated}.");
        }

        return precision;
    }

    private static void FillComponents(ReadOnlySpan<byte> frame, in FrameInfo info, OpjImage* image)
    {
        var spp = info.SamplesPerPixel;
        var pixels = info.Columns * info.Rows;
        var shift = 32 - info.BitsStored;
        var mask = (uint)((1L << info.BitsStored) - 1);
        var signed = info.Signed;
        for (var c = 0; c < spp; c++)
        {
            var dst = image->Components[c].Data;
            if (info.BytesPerSample == 1)
            {
                for (var i = 0; i < pixels; i++)
                {
                    var v = frame[(i * spp) + c] & mask;
                    dst[i] = signed ? (int)(v << shift) >> shift : (int)v;
                }
            }
            else
            {
                var s = MemoryMarshal.Cast<byte, ushort>(frame);
                for (var i = 0; i < pixels; i++)
                {
                    var v = s[(i * spp) + c] & mask;
                    dst[i] = signed ? (int)(v << shift) >> shift : (int)v;
                }
            }
        }
    }

    private static bool CopyOut(OpjImage* image, in FrameInfo info, int precision, Span<byte> destination)
    {
        var spp = info.SamplesPerPixel;
        var pixels = info.Columns * info.Rows;
        var signed = image->Components[0].Signed != 0;
        var lo = signed ? -(1 << (precision - 1)) : 0;
        var hi = signed ? (1 << (precision - 1)) - 1 : (int)((1L << precision) - 1);
        for (var c = 0; c < spp; c++)
        {
            var comp = image->Components[c];
            if (comp.Data == null || comp.Width != info.Columns || comp.Height != info.Rows)
            {
                throw new TranscodeException("OpenJPEG returned no data for a component.");
            }

            var src = comp.Data;
            if (info.BytesPerSample == 1)
            {
                for (var i = 0; i < pixels; i++)
                {
                    destination[(i * spp) + c] = (byte)Math.Clamp(src[i], lo, hi);
                }
            }
            else
            {
                var d = MemoryMarshal.Cast<byte, ushort>(destination);
                for (var i = 0; i < pixels; i++)
                {
                    d[(i * spp) + c] = (ushort)Math.Clamp(src[i], lo, hi);
                }
            }
        }

        return signed;
    }
}
