using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Vna.Testing;

/// <summary>
/// The built archive server (<see cref="RepositoryPaths.ServerDll"/>) running as a child process, configured through
/// environment variables (<c>VNA_Vna__*</c>), its output captured to a log file. <see cref="StartAsync"/> returns once
/// <c>GET /health</c> answers. <see cref="KillAsync"/> is a crash (SIGKILL: nothing runs in the server, its Orleans
/// membership row stays Active); <see cref="StopAsync"/> a graceful stop (SIGTERM: the host shuts down, the silo leaves the
/// cluster). Whatever is still running when the test process exits is killed.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private static readonly ConcurrentDictionary<ServerProcess, bool> s_running = new();
    private static readonly HttpClient s_health = new() { Timeout = TimeSpan.FromSeconds(2) };

    private readonly Process _process;
    private readonly StreamWriter _logWriter;
    private readonly StringBuilder _log = new();
    private readonly Lock _logLock = new();

    static ServerProcess()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var server in s_running.Keys)
            {
                server.KillQuietly();
            }
        };
    }

    private ServerProcess(ServerSettings settings, Process process, StreamWriter logWriter, string logPath)
    {
        Settings = settings;
        _process = process;
        _logWriter = logWriter;
        LogPath = logPath;
    }

    public ServerSettings Settings { get; }

    public Uri BaseAddress => Settings.BaseAddress;

    public int Pid { get; private set; }

    public bool HasExited => _process.HasExited;

    /// <summary>From process start to the first healthy answer.</summary>
    public TimeSpan StartupTime { get; private set; }

    /// <summary>The captured output (standard output and error, with timestamps).</summary>
    public string LogPath { get; }

    /// <summary>The output so far.</summary>
    public string Log
    {
        get
        {
            lock (_logLock)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>Starts the server and waits until <c>/health</c> answers (default: 3 minutes; a crash or a timeout throws, with the log's tail).</summary>
    public static async Task<ServerProcess> StartAsync(ServerSettings settings, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var dll = RepositoryPaths.ServerDll;
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"The server is not built: {dll} is missing (dotnet build src/Vna.Server).", dll);
        }

        Directory.CreateDirectory(settings.WorkDirectory);
        Directory.CreateDirectory(settings.DataDirectory);
        var logFolder = Path.Combine(settings.WorkDirectory, "logs");
        Directory.CreateDirectory(logFolder);
        var logPath = Path.Combine(logFolder, $"{settings.Name}-{DateTime.UtcNow.ToString("HHmmss.fff", CultureInfo.InvariantCulture)}.log");

        var start = settings.Namespace?.Wrap(DotnetHost(), dll) ?? new ProcessStartInfo(DotnetHost()) { ArgumentList = { dll } };
        start.WorkingDirectory = settings.WorkDirectory;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.RedirectStandardInput = false;
        start.UseShellExecute = false;
        Configure(start.Environment, settings);

        var logWriter = new StreamWriter(logPath, append: false, new UTF8Encoding(false)) { AutoFlush = true };
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var server = new ServerProcess(settings, process, logWriter, logPath);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);

        var clock = Stopwatch.StartNew();
        if (!process.Start())
        {
            throw new InvalidOperationException($"Could not start {start.FileName} {dll}.");
        }

        server.Pid = process.Id;
        s_running[server] = true;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        server.Note($"started pid {server.Pid}: HTTP {settings.HttpPort}, silo {settings.SiloPort}, gateway {settings.GatewayPort}, cluster {settings.ClusterId}");

        try
        {
            await server.WaitHealthyAsync(timeout ?? TimeSpan.FromMinutes(3), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await server.KillAsync().ConfigureAwait(false);
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        server.StartupTime = clock.Elapsed;
        server.Note($"healthy after {clock.Elapsed.TotalSeconds:0.00} s");
        return server;
    }

    /// <summary>The exit code once exited.</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>A crash: SIGKILL, then waits for the process to be gone.</summary>
    public async Task KillAsync(CancellationToken cancellationToken = default)
    {
        if (!_process.HasExited)
        {
            Note("SIGKILL");
            KillQuietly();
        }

        await _process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        s_running.TryRemove(this, out _);
    }

    /// <summary>A graceful stop: SIGTERM, then waits up to <paramref name="grace"/> (default 30 s) for the exit; how long it took.</summary>
    /// <exception cref="TimeoutException">It did not exit in time (it is killed then).</exception>
    public async Task<TimeSpan> StopAsync(TimeSpan? grace = null, CancellationToken cancellationToken = default)
    {
        if (_process.HasExited)
        {
            s_running.TryRemove(this, out _);
            return TimeSpan.Zero;
        }

        Note("SIGTERM");
        var clock = Stopwatch.StartNew();
        if (NativeMethods.Kill(Pid, NativeMethods.SigTerm) != 0)
        {
            var error = Marshal.GetLastPInvokeError();
            if (!_process.HasExited)
            {
                throw new InvalidOperationException($"kill({Pid}, SIGTERM) failed with errno {error}.");
            }
        }

        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(grace ?? TimeSpan.FromSeconds(30));
        try
        {
            await _process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await KillAsync().ConfigureAwait(false);
            throw new TimeoutException($"Server {Settings.Name} (pid {Pid}) did not exit within {(grace ?? TimeSpan.FromSeconds(30)).TotalSeconds:0} s of SIGTERM; killed. Log: {LogPath}");
        }

        s_running.TryRemove(this, out _);
        return clock.Elapsed;
    }

    /// <summary>The last <paramref name="lines"/> lines of the log, for assertion messages.</summary>
    public string LogTail(int lines = 40)
    {
        var all = Log.Split('\n');
        return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            try
            {
                await StopAsync(TimeSpan.FromSeconds(15)).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Killed by StopAsync.
            }
        }

        s_running.TryRemove(this, out _);
        _process.Dispose();
        lock (_logLock)
        {
            _logWriter.Dispose();
        }
    }

    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    private static void Configure(IDictionary<string, string?> environment, ServerSettings settings)
    {
        // Nothing from the caller's environment may reconfigure the server behind the test's back.
        foreach (var key in environment.Keys.ToList())
        {
            if (key.StartsWith("VNA_", StringComparison.Ordinal) && key.Contains("__", StringComparison.Ordinal)
                || key.StartsWith("ASPNETCORE_", StringComparison.Ordinal))
            {
                environment.Remove(key);
            }
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Vna__Postgres"] = settings.Postgres,
            ["Vna__DataDirectory"] = settings.DataDirectory,
            ["Vna__HttpUrl"] = settings.BaseAddress.GetLeftPart(UriPartial.Authority),
            ["Vna__SiloPort"] = settings.SiloPort.ToString(CultureInfo.InvariantCulture),
            ["Vna__GatewayPort"] = settings.GatewayPort.ToString(CultureInfo.InvariantCulture),
            ["Vna__DimsePort"] = settings.DimsePort.ToString(CultureInfo.InvariantCulture),
            ["Vna__ClusterId"] = settings.ClusterId,
            ["Vna__ServiceId"] = settings.ServiceId,
            ["Vna__FastFailover"] = settings.FastFailover ? "true" : "false",
            ["Logging__Console__FormatterName"] = "simple",
            ["Logging__Console__FormatterOptions__TimestampFormat"] = "HH:mm:ss.fff ",
            ["Logging__Console__FormatterOptions__SingleLine"] = "true",
        };
        if (settings.Https is { } https)
        {
            values["Vna__HttpsCertificatePath"] = https.CertificatePath;
            values["Vna__HttpsKeyPath"] = https.KeyPath;
        }

        foreach (var (key, value) in settings.Configuration)
        {
            values[key] = value;
        }

        foreach (var (key, value) in values)
        {
            environment["VNA_" + key] = value;
        }
    }

    private async Task WaitHealthyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var health = new Uri(BaseAddress, "health");
        using var inside = Settings.Namespace?.CreateHttpClient(TimeSpan.FromSeconds(2));
        using var https = inside is null ? Settings.Https?.CreateHttpClient(TimeSpan.FromSeconds(2)) : null;
        var client = inside ?? https ?? s_health;
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_process.HasExited)
            {
                await _process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
                throw new InvalidOperationException(
                    $"Server {Settings.Name} exited with code {_process.ExitCode} before it was healthy. Log {LogPath}:\n{LogTail()}");
            }

            try
            {
                using var response = await client.GetAsync(health, cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // Not listening yet.
            }

            if (deadline.Elapsed > timeout)
            {
                throw new TimeoutException(
                    $"Server {Settings.Name} was not healthy within {timeout.TotalSeconds:0} s. Log {LogPath}:\n{LogTail()}");
            }

            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }
    }

    private void KillQuietly()
    {
        try
        {
            // kill(2) first: Process.Kill with the process tree walks /proc before it signals, which lets the server run on
            // for a few more milliseconds. The server starts no children; the tree kill is a safety net.
            _ = NativeMethods.Kill(Pid, NativeMethods.SigKill);
            _process.Kill(entireProcessTree: true);
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Already gone.
        }
    }

    private void Note(string text) =>
        Append($"{DateTime.Now.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture)} [fixture] {text}");

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_logLock)
        {
            _log.Append(line).Append('\n');
            try
            {
                _logWriter.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // Output that arrives after dispose is kept in memory only.
            }
        }
    }
}
