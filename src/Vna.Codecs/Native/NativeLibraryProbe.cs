using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace Vna.Codecs.Native;

/// <summary>
/// Checks once per process that a native library loads by its versioned soname, and says which Debian package provides it
/// when it does not (the codecs' P/Invoke declarations use the same sonames, never the -dev symlinks).
/// </summary>
internal static class NativeLibraryProbe
{
    private static readonly ConcurrentDictionary<string, string?> s_results = new(StringComparer.Ordinal);

    /// <summary>Null when <paramref name="soname"/> loads; else a message naming <paramref name="package"/>.</summary>
    public static string? Check(string soname, string package, string purpose) =>
        s_results.GetOrAdd(soname, name =>
        {
            if (NativeLibrary.TryLoad(name, typeof(NativeLibraryProbe).Assembly, DllImportSearchPath.AssemblyDirectory | DllImportSearchPath.SafeDirectories, out _))
            {
                return null;
            }

            return $"{purpose} needs {soname}, which is not installed: install the Debian package {package} (deploy/local/run and deploy/local/test install it)";
        });
}
