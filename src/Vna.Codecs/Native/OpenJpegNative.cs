using System.Runtime.InteropServices;

namespace Vna.Codecs.Native;

/// <summary>
/// OpenJPEG 2.5 (libopenjp2.so.7, Debian libopenjp2-7) through its C API. Struct layouts are LP64 and checked by
/// OpenJpegLayoutTests; the big parameter structs are declared with only the fields Vna sets, at their C offsets.
/// </summary>
internal static unsafe partial class OpenJpegNative
{
    public const string Library = "libopenjp2.so.7";
    public const string Package = "libopenjp2-7";

    public const int CodecJ2k = 0;
    public const int CodecJp2 = 2;
    public const int ColorSpaceSrgb = 1;
    public const int ColorSpaceGray = 2;
    public const int ProgressionLrcp = 0;
    public const int ProgressionRpcl = 2;

    [LibraryImport(Library)]
    public static partial nint opj_create_compress(int format);

    [LibraryImport(Library)]
    public static partial nint opj_create_decompress(int format);

    [LibraryImport(Library)]
    public static partial void opj_destroy_codec(nint codec);

    [LibraryImport(Library)]
    public static partial void opj_set_default_encoder_parameters(OpjCParameters* parameters);

    [LibraryImport(Library)]
    public static partial void opj_set_default_decoder_parameters(OpjDParameters* parameters);

    [LibraryImport(Library)]
    public static partial int opj_setup_encoder(nint codec, OpjCParameters* parameters, OpjImage* image);

    [LibraryImport(Library)]
    public static partial int opj_setup_decoder(nint codec, OpjDParameters* parameters);

    [LibraryImport(Library)]
    public static partial int opj_codec_set_threads(nint codec, int threads);

    [LibraryImport(Library)]
    public static partial int opj_decoder_set_strict_mode(nint codec, int strict);

    [LibraryImport(Library)]
    public static partial OpjImage* opj_image_create(uint numberOfComponents, OpjImageComponentParameters* parameters, int colorSpace);

    [LibraryImport(Library)]
    public static partial void opj_image_destroy(OpjImage* image);

    [LibraryImport(Library)]
    public static partial nint opj_stream_create(nuint bufferSize, int isInput);

    [LibraryImport(Library)]
    public static partial void opj_stream_destroy(nint stream);

    [LibraryImport(Library)]
    public static partial void opj_stream_set_read_function(nint stream, delegate* unmanaged[Cdecl]<void*, nuint, void*, nuint> read);

    [LibraryImport(Library)]
    public static partial void opj_stream_set_write_function(nint stream, delegate* unmanaged[Cdecl]<void*, nuint, void*, nuint> write);

    [LibraryImport(Library)]
    public static partial void opj_stream_set_skip_function(nint stream, delegate* unmanaged[Cdecl]<long, void*, long> skip);

    [LibraryImport(Library)]
    public static partial void opj_stream_set_seek_function(nint stream, delegate* unmanaged[Cdecl]<long, void*, int> seek);

    [LibraryImport(Library)]
    public static partial void opj_stream_set_user_data(nint stream, void* data, void* free);

    [LibraryImport(Library)]
    public static partial void opj_stream_set_user_data_length(nint stream, ulong length);

    [LibraryImport(Library)]
    public static partial int opj_start_compress(nint codec, OpjImage* image, nint stream);

    [LibraryImport(Library)]
    public static partial int opj_encode(nint codec, nint stream);

    [LibraryImport(Library)]
    public static partial int opj_end_compress(nint codec, nint stream);

    [LibraryImport(Library)]
    public static partial int opj_read_header(nint stream, nint codec, OpjImage** image);

    [LibraryImport(Library)]
    public static partial int opj_decode(nint codec, nint stream, OpjImage* image);

    [LibraryImport(Library)]
    public static partial int opj_end_decompress(nint codec, nint stream);

    [LibraryImport(Library)]
    public static partial int opj_set_error_handler(nint codec, delegate* unmanaged[Cdecl]<byte*, void*, void> handler, void* client);

    [LibraryImport(Library)]
    public static partial int opj_set_warning_handler(nint codec, delegate* unmanaged[Cdecl]<byte*, void*, void> handler, void* client);

    [LibraryImport(Library)]
    public static partial int opj_set_info_handler(nint codec, delegate* unmanaged[Cdecl]<byte*, void*, void> handler, void* client);
}
