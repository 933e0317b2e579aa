using System.Diagnostics;
using Vna.Testing;

namespace Vna.Integration.Tests;

/// <summary>Command-line peers (curl, DCMTK): found on the machine or the test is skipped (failed under CI); run to the end.</summary>
internal static class PeerTool
{
    /// <summary>The tool's path in /usr/bin or /bin; skips (with CI=true, fails) the calling test when it is missing.</summary>
    public static string Require(string name, string package)
    {
        var path = new[] { "/usr/bin/" + name, "/bin/" + name }.FirstOrDefault(File.Exists);
        if (path is not null)
        {
            return path;
        }

        var message = $"{name} is not installed (Debian package {package}; deploy/local/test installs it)";
        if (TestPostgres.InCi)
        {
            Assert.Fail("CI=true, so this fails rather than skips: " + message);
        }

        Assert.Skip(message);
        throw new UnreachableException();
    }

    /// <summary>Runs the tool with no proxy and TCP_NODELAY=1 (DCMTK then disables Nagle); its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output, string Errors)> RunAsync(string file, IEnumerable<string> arguments, CancellationToken cancellationToken, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        if (workingDirectory is not null)
        {
            start.WorkingDirectory = workingDirectory;
        }

        foreach (var proxy in new[] { "https_proxy", "HTTPS_PROXY", "http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY" })
        {
            start.Environment.Remove(proxy);
        }

        start.Environment["TCP_NODELAY"] = "1";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {file}");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, await output, await errors);
    }
}
