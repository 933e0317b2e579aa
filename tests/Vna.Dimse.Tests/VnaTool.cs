using System.Diagnostics;
using Vna.Testing;

namespace Vna.Dimse.Tests;

/// <summary>Runs the built <c>vna</c> command line (vna.dll) as a process, optionally inside a network namespace.</summary>
internal static class VnaTool
{
    public static string Dll
    {
        get
        {
            var dll = Path.Combine(RepositoryPaths.Root, "src", "Vna.Cli", "bin", "Release", "net10.0", "vna.dll");
            var debug = dll.Replace("Release", "Debug", StringComparison.Ordinal);
            return File.Exists(dll) && (!File.Exists(debug) || File.GetLastWriteTimeUtc(dll) >= File.GetLastWriteTimeUtc(debug)) ? dll : debug;
        }
    }

    public static Task<(int ExitCode, string Output, string Errors)> RunAsync(IEnumerable<string> arguments, CancellationToken cancellationToken, NetworkNamespace? ns = null)
    {
        var start = ns is null ? new ProcessStartInfo("dotnet") : ns.Wrap("dotnet");
        start.ArgumentList.Add(Dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return Vna.Dicom.Network.Tests.PeerTool.RunAsync(start, TimeSpan.FromSeconds(120), cancellationToken);
    }
}
