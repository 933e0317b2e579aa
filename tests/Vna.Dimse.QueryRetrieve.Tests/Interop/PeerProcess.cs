using System.Diagnostics;
using System.Text;
using Vna.Testing;

namespace Vna.Dimse.QueryRetrieve.Tests.Interop;

/// <summary>A peer (storescp, Orthanc) or a tool (findscu, movescu, getscu, curl) run in the test's network namespace.</summary>
public sealed class PeerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Lock _lock = new();

    private PeerProcess(Process process) => _process = process;

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Output
    {
        get
        {
            lock (_lock)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts a long-running peer in <paramref name="ns"/>.</summary>
    public static PeerProcess Start(NetworkNamespace ns, string workingDirectory, string fileName, params IEnumerable<string> arguments)
    {
        var start = ns.Wrap(fileName, arguments);
        start.WorkingDirectory = workingDirectory;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var peer = new PeerProcess(process);
        process.OutputDataReceived += (_, e) => peer.Append(e.Data);
        process.ErrorDataReceived += (_, e) => peer.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return peer;
    }

    /// <summary>Runs a tool in <paramref name="ns"/> to its end (killed after <paramref name="timeout"/>).</summary>
    public static async Task<ToolRun> RunAsync(NetworkNamespace ns, string workingDirectory, TimeSpan timeout, string fileName, params IEnumerable<string> arguments)
    {
        var start = ns.Wrap(fileName, arguments);
        start.WorkingDirectory = workingDirectory;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            throw new TimeoutException($"{fileName} did not finish within {timeout.TotalSeconds:0} s: {await output}{await errors}");
        }

        return new ToolRun(process.ExitCode, await output, await errors);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None);
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lock)
        {
            _output.Append(line).Append('\n');
        }
    }
}
