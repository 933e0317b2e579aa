using System.Runtime.InteropServices;

namespace Vna.Codecs.Native;

/// <summary>
/// The C shim over OpenJPH (src/Vna.Codecs/native/ojph_shim.cpp, compiled at build time to libvna_ojph_shim.so beside the
/// assembly; it links libopenjph.so.0.9 from Debian's libopenjph0.9). Every function returns 0 or -1 with
/// <see cref="vna_ojph_last_error"/> holding the calling thread's message.
/// </summary>
internal static unsafe partial class OpenJphShim
{
    public const string Library = "libvna_ojph_shim.so";
    public const string OpenJphLibrary = "libopenjph.so.0.9";
    public const string OpenJphPackage = "libopenjph0.9";

    [LibraryImport(Library)]
    public static partial byte* vna_ojph_last_error();

    [LibraryImport(Library)]
    public static partial void vna_ojph_release(nint handle);

    [LibraryImport(Library)]
    public static partial int vna_ojph_encode(void* pixels, uint width, uint height, uint components, uint bytesPerSample, uint bitDepth,
        int isSigned, int reversible, float qstep, int colorTransform, int progression, int decompositions, nint* handle, byte** data, nuint* size);

    [LibraryImport(Library)]
    public static partial int vna_ojph_read_header(byte* data, nuint size, uint* width, uint* height, uint* components, uint* bitDepth,
        int* isSigned, int* reversible, int* colorTransform);

    [LibraryImport(Library)]
    public static partial int vna_ojph_decode(byte* data, nuint size, void* output, nuint outputSize, uint width, uint height, uint components, uint bytesPerSample);

    public static string LastError()
    {
        var text = Marshal.PtrToStringUTF8((nint)vna_ojph_last_error()) ?? "";
        return text.Trim().Length > 0 ? text.Trim() : "no message";
    }

    /// <summary>Null when the shim and OpenJPH load; else what to install.</summary>
    public static string? Unavailable =>
        NativeLibraryProbe.Check(OpenJphLibrary, OpenJphPackage, "HTJ2K")
        ?? (NativeLibraryProbe.Check(Library, "libopenjph-dev", "HTJ2K") is null
            ? null
            : $"HTJ2K needs {Library}, which the build compiles from src/Vna.Codecs/native/ojph_shim.cpp: install the Debian packages libopenjph-dev and g++, then rebuild");
}
