using System.ComponentModel;
using System.Runtime.InteropServices;

namespace Vna.Storage;

/// <summary>
/// fsync of a folder, so that the entries created or renamed in it (a new file name, a new sub-folder) survive a power loss.
/// .NET has no API for it: the folder is opened with <c>open(O_RDONLY | O_DIRECTORY)</c> and flushed with <c>fsync</c>.
/// On Windows, where folders cannot be opened that way and NTFS journals its metadata, it does nothing.
/// </summary>
internal static partial class DirectorySync
{
    private const int ORdOnly = 0;
    private const int EIntr = 4;

    /// <summary>O_DIRECTORY differs between architectures (asm-generic and x86 headers, and the BSDs).</summary>
    private static readonly int s_oDirectory = OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD()
        ? 0x100000
        : RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm ? 0x4000 : 0x10000;

    /// <summary>Flushes the entries of <paramref name="path"/> to stable storage.</summary>
    /// <exception cref="IOException">The folder cannot be opened or flushed.</exception>
    public static void Flush(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var fd = Open(path, ORdOnly | s_oDirectory);
        if (fd < 0)
        {
            throw Error("open", path, Marshal.GetLastPInvokeError());
        }

        try
        {
            int result;
            do
            {
                result = Fsync(fd);
            }
            while (result != 0 && Marshal.GetLastPInvokeError() == EIntr);

            if (result != 0)
            {
                throw Error("fsync", path, Marshal.GetLastPInvokeError());
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    private static IOException Error(string call, string path, int errno) =>
        new($"{call} of folder '{path}' failed: {new Win32Exception(errno).Message} (errno {errno}).", errno);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
