using System.Runtime.InteropServices;

namespace Vna.Codecs.Native;

/// <summary>CharLS 2.4 (libcharls.so.2, Debian libcharls2) through its C API: opaque handles, every call returns an error code (0 = ok).</summary>
internal static unsafe partial class CharLsNative
{
    public const string Library = "libcharls.so.2";
    public const string Package = "libcharls2";

    public const int InterleaveNone = 0;
    public const int InterleaveLine = 1;
    public const int InterleaveSample = 2;

    [StructLayout(LayoutKind.Sequential)]
    public struct FrameInfo
    {
        public uint Width;
        public uint Height;
        public int BitsPerSample;
        public int ComponentCount;
    }

    [LibraryImport(Library)]
    public static partial nint charls_jpegls_encoder_create();

    [LibraryImport(Library)]
    public static partial void charls_jpegls_encoder_destroy(nint encoder);

    [LibraryImport(Library)]
    public static partial int charls_jpegls_encoder_set_frame_info(nint encoder, FrameInfo* frameInfo);

    [LibraryImport(Library)]
    public static partial int charls_jpegls_encoder_set_near_lossless(nint encoder, int near);

    [LibraryImport(Library)]
    public static partial int charls_jpegls_encoder_set_interleave_mode(nint encoder, int mode);

    [LibraryImport(Library)]
    public static partial int charls_jpegls_encoder_get_estimated_destination_size(nint encoder, nuint* size);

    [LibraryImport(Library)]
    public static partial int charls_jpegls_encoder_set_destination_buffer(nint encoder, void* destination, nuint size);

    [LibraryImport(Library)]
    public static partial int charls_jpegls_encoder_encode_from_buffer(nint encoder, void* source, nuint size, uint stride);

    [LibraryImport(Library)]
    public static partial int charls_jpegls_encoder_get_bytes_written(nint encoder, nuint* written);

    [LibraryImport(Library)]
    public static partial nint charls_jpegls_decoder_create();

    [LibraryImport(Library)]
    public static partial void charls_jpegls_decoder_destroy(nint decoder);

    [LibraryImport(Library)]
    public static partial int charls_jpegls_decoder_set_source_buffer(nint decoder, void* source, nuint size);

    [LibraryImport(Library)]
    public static partial int charls_jpegls_decoder_read_header(nint decoder);

    [LibraryImport(Library)]
    public static partial int charls_jpegls_decoder_get_frame_info(nint decoder, FrameInfo* frameInfo);

    [LibraryImport(Library)]
    public static partial int charls_jpegls_decoder_get_interleave_mode(nint decoder, int* mode);

    [LibraryImport(Library)]
    public static partial int charls_jpegls_decoder_get_destination_size(nint decoder, uint stride, nuint* size);

    [LibraryImport(Library)]
    public static partial int charls_jpegls_decoder_decode_to_buffer(nint decoder, void* destination, nuint size, uint stride);

    [LibraryImport(Library)]
    public static partial byte* charls_get_error_message(int error);

    public static string Message(int error) => Marshal.PtrToStringUTF8((nint)charls_get_error_message(error)) ?? $"CharLS error {error}";
}
