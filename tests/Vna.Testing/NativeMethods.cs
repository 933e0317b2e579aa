using System.Runtime.InteropServices;

namespace Vna.Testing;

internal static partial class NativeMethods
{
    public const int SigKill = 9;

    public const int SigTerm = 15;

    /// <summary>kill(2): sends a signal to a process.</summary>
    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static partial int Kill(int pid, int signal);
}
