using System.Diagnostics;

namespace Vna.Codecs.Tests;

/// <summary>
/// The peer programs the tests compare with (pydicom with Debian's python3, DCMTK, OpenJPEG's and OpenJPH's CLIs, dciodvfy).
/// A missing one skips the test with a message naming its Debian package, except under CI=true where it fails.
/// </summary>
internal static class PeerTools
{
    public static string Python
    {
        get
        {
            var python = Environment.GetEnvironmentVariable("VNA_PYTHON");
            python = string.IsNullOrEmpty(python) ? "/usr/bin/python3" : python;
            Require(python, "python3-pydicom (with /usr/bin/python3)");
            return python;
        }
    }

    public static string Tool(string name, string package)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(':'))
        {
            var path = Path.Combine(dir, name);
            if (File.Exists(path))
            {
                return path;
            }
        }

        Require(null, package, name);
        return name;
    }

    public static string Script(string name) => Path.Combine(AppContext.BaseDirectory, "tools", name);

    /// <summary>Runs a program; returns exit code, stdout and stderr.</summary>
    public static async Task<(int Code, string Out, string Err)> RunAsync(string file, IEnumerable<string> args, TimeSpan? timeout = null)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["TCP_NODELAY"] = "1";
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"{file} did not start");
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(2));
        var stdout = process.StandardOutput.ReadToEndAsync(cts.Token);
        var stderr = process.StandardError.ReadToEndAsync(cts.Token);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    private static void Require(string? path, string package, string? name = null)
    {
        if (path is not null && File.Exists(path))
        {
            return;
        }

        var message = $"{name ?? path} is not installed (Debian package {package}; deploy/local/test installs it)";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail(message);
        }

        Assert.Skip(message);
    }
}
