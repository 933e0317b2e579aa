using System.Diagnostics;
using System.Reflection;

namespace Vna.Lifecycle.Tests;

/// <summary>Runs the built <c>vna</c> command (dotnet vna.dll) against a server, capturing its output and exit code.</summary>
internal static class VnaCli
{
    private static readonly string Dll =
        typeof(VnaCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == "VnaCliDll").Value!;

    public static Task<(int ExitCode, string Output, string Errors)> RunAsync(Uri server, string workDirectory, CancellationToken cancellationToken, params string[] arguments) =>
        RunWithAsync(server, workDirectory, new Dictionary<string, string>(), cancellationToken, arguments);

    /// <summary>As <see cref="RunAsync"/>, with further environment variables (e.g. VNA_TOKEN, or VNA_USER replaced).</summary>
    public static async Task<(int ExitCode, string Output, string Errors)> RunWithAsync(Uri server, string workDirectory, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workDirectory,
        };
        start.ArgumentList.Add(Dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["VNA_URL"] = server.ToString();
        start.Environment["VNA_USER"] = "officer";
        start.Environment.Remove("VNA_TOKEN");
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).WaitAsync(TimeSpan.FromMinutes(2), cancellationToken);
        return (process.ExitCode, await output, await errors);
    }
}
