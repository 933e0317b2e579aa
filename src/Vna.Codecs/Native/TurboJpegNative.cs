using System.Runtime.InteropServices;

namespace Vna.Codecs.Native;

/// <summary>libjpeg-turbo's TurboJPEG 2.x API (libturbojpeg.so.0, Debian libturbojpeg0): 8-bit JPEG only.</summary>
internal static unsafe partial class TurboJpegNative
{
    public const string Library = "libturbojpeg.so.0";
    public const string Package = "libturbojpeg0";

    public const int PixelFormatRgb = 0;
    public const int PixelFormatGray = 6;
    public const int Subsampling444 = 0;
    public const int Subsampling422 = 1;
    public const int SubsamplingGray = 3;
    public const int ColorSpaceRgb = 0;
    public const int ColorSpaceYCbCr = 1;
    public const int ColorSpaceGray = 2;
    public const int FlagAccurateDct = 4096;
    public const int FlagStopOnWarning = 8192;
    public const int FlagLimitScans = 32768;

    [LibraryImport(Library)]
    public static partial nint tjInitCompress();

    [LibraryImport(Library)]
    public static partial nint tjInitDecompress();

    [LibraryImport(Library)]
    public static partial int tjDestroy(nint handle);

    [LibraryImport(Library)]
    public static partial int tjCompress2(nint handle, byte* source, int width, int pitch, int height, int pixelFormat, byte** jpeg, CULong* jpegSize, int subsampling, int quality, int flags);

    [LibraryImport(Library)]
    public static partial int tjDecompressHeader3(nint handle, byte* jpeg, CULong jpegSize, int* width, int* height, int* subsampling, int* colorSpace);

    [LibraryImport(Library)]
    public static partial int tjDecompress2(nint handle, byte* jpeg, CULong jpegSize, byte* destination, int width, int pitch, int height, int pixelFormat, int flags);

    [LibraryImport(Library)]
    public static partial int tjDecompressToYUVPlanes(nint handle, byte* jpeg, CULong jpegSize, byte** planes, int width, int* strides, int height, int flags);

    [LibraryImport(Library)]
    public static partial void tjFree(byte* buffer);

    [LibraryImport(Library)]
    public static partial byte* tjGetErrorStr2(nint handle);

    public static string Error(nint handle) => Marshal.PtrToStringUTF8((nint)tjGetErrorStr2(handle)) ?? "unknown TurboJPEG error";
}
