using System.Buffers;
using System.Runtime.InteropServices;
using Vna.Codecs.Native;
using Vna.Codecs.Pixels;
using Vna.Core;

namespace Vna.Codecs.Codecs;

/// <summary>
/// JPEG-LS lossless (.80) and near-lossless (.81) through CharLS 2.4, both ways. JPEG-LS has no signed samples: signed data
/// is masked to Bits Stored before encoding and sign-extended after decoding. Colour stays RGB (no colour transform), pixel
/// interleaved; a stream coded without interleave (planar) is re-interleaved on decode.
/// </summary>
internal sealed unsafe class JpegLsCodec : IFrameCodec
{
    public const string Lossless = "1.2.840.10008.1.2.4.80";
    public const string NearLossless = "1.2.840.10008.1.2.4.81";

    public JpegLsCodec(bool nearLossless) => TransferSyntaxUid = nearLossless ? NearLossless : Lossless;

    public string TransferSyntaxUid { get; }

    public bool IsLossy => TransferSyntaxUid == NearLossless;

    public bool CanEncode => true;

    public bool CanDecode => true;

    public string? UnavailableReason => NativeLibraryProbe.Check(CharLsNative.Library, CharLsNative.Package, "JPEG-LS");

    public void CheckEncodable(in FrameInfo info, string photometric)
    {
        if (info.BitsAllocated is not (8 or 16) || info.BitsStored is < 2 or > 16)
        {
            throw new TranscodeException($"JPEG-LS encodes 2..16 bits stored in 8 or 16 allocated, not {info.BitsStored}/{info.BitsAllocated}.");
        }

        if (Photometric.IsSubsampled(photometric))
        {
            throw new TranscodeException($"{photometric} input cannot be encoded as JPEG-LS.");
        }
    }

    public EncodedFrame Encode(ReadOnlySpan<byte> frame, in FrameInfo info, string photometric, EncodeParameters parameters)
    {
        CheckEncodable(info, photometric);
        Require();
        var near = IsLossy ? (int)Math.Clamp(Math.Round(parameters.Quality ?? 2), 0, 255) : 0;
        // CharLS takes 1-byte samples up to 8 bits and 2-byte samples above: 8-or-fewer bits in 16 are narrowed first.
        var narrow = info.BitsStored <= 8 && info.BytesPerSample == 2;
        var size = (int)(narrow ? info.Samples : info.FrameBytes);
        var masked = ArrayPool<byte>.Shared.Rent(size);
        var encoder = CharLsNative.charls_jpegls_encoder_create();
        if (encoder == 0)
        {
            throw new TranscodeException("CharLS could not create an encoder.");
        }

        try
        {
            MaskToBitsStored(frame[..(int)info.FrameBytes], masked.AsSpan(0, size), info, narrow);
            var frameInfo = new CharLsNative.FrameInfo
            {
                Width = (uint)info.Columns,
                Height = (uint)info.Rows,
                BitsPerSample = info.BitsStored,
                ComponentCount = info.SamplesPerPixel,
            };
            Check(CharLsNative.charls_jpegls_encoder_set_frame_info(encoder, &frameInfo), "frame info");
            if (info.SamplesPerPixel > 1)
            {
                Check(CharLsNative.charls_jpegls_encoder_set_interleave_mode(encoder, CharLsNative.InterleaveSample), "interleave mode");
            }

            Check(CharLsNative.charls_jpegls_encoder_set_near_lossless(encoder, near), "NEAR");
            nuint capacity;
            Check(CharLsNative.charls_jpegls_encoder_get_estimated_destination_size(encoder, &capacity), "size estimate");
            var output = new byte[(int)capacity];
            nuint written;
            fixed (byte* dst = output)
            fixed (byte* src = masked)
            {
                Check(CharLsNative.charls_jpegls_encoder_set_destination_buffer(encoder, dst, capacity), "destination");
                Check(CharLsNative.charls_jpegls_encoder_encode_from_buffer(encoder, src, (nuint)size, 0), "encode");
                Check(CharLsNative.charls_jpegls_encoder_get_bytes_written(encoder, &written), "bytes written");
            }

            return new EncodedFrame(output.AsSpan(0, (int)written).ToArray(), photometric);
        }
        finally
        {
            CharLsNative.charls_jpegls_encoder_destroy(encoder);
            ArrayPool<byte>.Shared.Return(masked);
        }
    }

    public string Decode(ReadOnlySpan<byte> encoded, in FrameInfo info, string photometric, Span<byte> destination)
    {
        Require();
        CheckFraming(encoded);
        var decoder = CharLsNative.charls_jpegls_decoder_create();
        if (decoder == 0)
        {
            throw new TranscodeException("CharLS could not create a decoder.");
        }

        try
        {
            fixed (byte* src = encoded)
            {
                Check(CharLsNative.charls_jpegls_decoder_set_source_buffer(decoder, src, (nuint)encoded.Length), "source");
                Check(CharLsNative.charls_jpegls_decoder_read_header(decoder), "header");
                CharLsNative.FrameInfo frameInfo;
                Check(CharLsNative.charls_jpegls_decoder_get_frame_info(decoder, &frameInfo), "frame info");
                if (frameInfo.Width != info.Columns || frameInfo.Height != info.Rows || frameInfo.ComponentCount != info.SamplesPerPixel)
                {
                    throw new TranscodeException(
                        $"The JPEG-LS stream is {frameInfo.Width}x{frameInfo.Height}x{frameInfo.ComponentCount}; the data set says {info.Columns}x{info.Rows}x{info.SamplesPerPixel}.");
                }

                if (frameInfo.BitsPerSample < 2 || frameInfo.BitsPerSample > info.BitsAllocated)
                {
                    throw new TranscodeException($"The JPEG-LS stream has {frameInfo.BitsPerSample}-bit samples; Bits Allocated is {info.BitsAllocated}.");
                }

                int mode;
                Check(CharLsNative.charls_jpegls_decoder_get_interleave_mode(decoder, &mode), "interleave mode");
                nuint needed;
                Check(CharLsNative.charls_jpegls_decoder_get_destination_size(decoder, 0, &needed), "destination size");
                var narrow = frameInfo.BitsPerSample <= 8 && info.BytesPerSample == 2;
                var expected = narrow ? info.Samples : info.FrameBytes;
                if (needed != (nuint)expected)
                {
                    throw new TranscodeException($"The JPEG-LS stream decodes to {needed} bytes; the frame needs {expected}.");
                }

                var planar = mode == CharLsNative.InterleaveNone && info.SamplesPerPixel > 1;
                var buffer = narrow || planar ? new byte[expected] : null;
                fixed (byte* dst = buffer is null ? destination : buffer)
                {
                    Check(CharLsNative.charls_jpegls_decoder_decode_to_buffer(decoder, dst, needed, 0), "decode");
                }

                if (buffer is not null)
                {
                    var narrowInfo = narrow ? info with { BitsAllocated = 8 } : info;
                    var interleaved = buffer;
                    if (planar)
                    {
                        interleaved = new byte[expected];
                        SampleConversion.PlanarToInterleaved(buffer, interleaved, narrowInfo);
                    }

                    if (narrow)
                    {
                        var d = MemoryMarshal.Cast<byte, ushort>(destination);
                        for (var i = 0; i < interleaved.Length; i++)
                        {
                            d[i] = interleaved[i];
                        }
                    }
                    else
                    {
                        interleaved.CopyTo(destination);
                    }
                }
            }

            SampleConversion.ApplyDatasetSignedness(destination, info, codestreamSigned: false);
            return photometric;
        }
        finally
        {
            CharLsNative.charls_jpegls_decoder_destroy(decoder);
        }
    }

    /// <summary>
    /// SOI first and EOI last (after the even-length padding, 00 or an FF fill byte as some encoders write). CharLS 2.4 spends seconds on a truncated stream before it
    /// refuses it; a stream that does not end in EOI is refused here at once.
    /// </summary>
    private static void CheckFraming(ReadOnlySpan<byte> encoded)
    {
        var end = encoded.Length;
        while (end > 2 && encoded[end - 1] is 0x00 or 0xFF)
        {
            end--;
        }

        if (end < 4 || encoded[0] != 0xFF || encoded[1] != 0xD8)
        {
            throw new TranscodeException("Not a JPEG-LS stream (no SOI marker FFD8).");
        }

        if (encoded[end - 2] != 0xFF || encoded[end - 1] != 0xD9)
        {
            throw new TranscodeException("The JPEG-LS stream does not end with EOI (FFD9): truncated or corrupt.");
        }
    }

    private void Require()
    {
        if (UnavailableReason is { } reason)
        {
            throw new TranscodeException(reason);
        }
    }

    private static void Check(int error, string step)
    {
        if (error != 0)
        {
            throw new TranscodeException($"JPEG-LS {step}: {CharLsNative.Message(error)}");
        }
    }

    private static void MaskToBitsStored(ReadOnlySpan<byte> frame, Span<byte> destination, in FrameInfo info, bool narrow)
    {
        var mask = (uint)((1L << info.BitsStored) - 1);
        if (narrow)
        {
            var s16 = MemoryMarshal.Cast<byte, ushort>(frame);
            for (var i = 0; i < s16.Length; i++)
            {
                destination[i] = (byte)(s16[i] & mask);
            }
        }
        else if (info.BytesPerSample == 1)
        {
            for (var i = 0; i < frame.Length; i++)
            {
                destination[i] = (byte)(frame[i] & mask);
            }
        }
        else
        {
            var s = MemoryMarshal.Cast<byte, ushort>(frame);
            var d = MemoryMarshal.Cast<byte, ushort>(destination);
            for (var i = 0; i < s.Length; i++)
            {
                d[i] = (ushort)(s[i] & mask);
            }
        }
    }
}
