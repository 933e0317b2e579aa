using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Vna.Testing;

/// <summary>
/// A private, loopback-only network namespace (<c>deploy/local/netns-run</c>) for peers that cannot bind one address
/// (DCMTK storescp, Orthanc) and for everything that must talk to them: processes are started in it through
/// <c>nsenter</c> (<see cref="Wrap"/>), and this process reaches its loopback through sockets created on a thread that
/// entered the namespace (<see cref="ConnectAsync"/>, <see cref="CreateHttpClient"/>): a socket stays in the namespace it
/// was created in. PostgreSQL is reached from inside through its Unix socket (<see cref="UnixSocketConnectionString"/>).
/// The namespace lives as long as a holder process (<c>sleep</c>) started in it; dispose kills it.
/// </summary>
public sealed partial class NetworkNamespace : IDisposable
{
    private const int CloneNewNet = 0x4000_0000;

    private readonly Process _holder;
    private readonly BlockingCollection<(Action Work, TaskCompletionSource Done)> _queue = new();
    private readonly Thread _thread;

    private NetworkNamespace(Process holder)
    {
        _holder = holder;
        var entered = new TaskCompletionSource();
        _thread = new Thread(() => Run(entered)) { IsBackground = true, Name = "netns " + holder.Id };
        _thread.Start();
        entered.Task.GetAwaiter().GetResult();
    }

    /// <summary>The PID whose namespace this is (the holder).</summary>
    public int Pid => _holder.Id;

    /// <summary>Why no namespace can be made here (null when one can): not Linux, not root, no unshare/nsenter.</summary>
    public static string? Unavailable()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "network namespaces need Linux";
        }

        var script = Path.Combine(RepositoryPaths.Root, "deploy", "local", "netns-run");
        if (!File.Exists(script))
        {
            return $"{script} is missing";
        }

        using var check = Process.Start(new ProcessStartInfo(script, "--check") { RedirectStandardError = true, RedirectStandardOutput = true })!;
        var error = check.StandardError.ReadToEnd();
        check.WaitForExit();
        return check.ExitCode == 0 ? null : $"deploy/local/netns-run --check: {error.Trim()}";
    }

    public static NetworkNamespace Create()
    {
        var script = Path.Combine(RepositoryPaths.Root, "deploy", "local", "netns-run");
        var holder = Process.Start(new ProcessStartInfo(script) { ArgumentList = { "sleep", "infinity" }, UseShellExecute = false })
            ?? throw new InvalidOperationException("Could not start the namespace holder.");

        // netns-run execs unshare, which execs bash, which execs sleep: the same PID ends up in the new namespace.
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            if (holder.HasExited)
            {
                throw new InvalidOperationException($"The namespace holder exited with {holder.ExitCode}.");
            }

            if (ReadLink($"/proc/{holder.Id}/ns/net") is { } theirs && theirs != ReadLink("/proc/self/ns/net")
                && ReadLink($"/proc/{holder.Id}/exe") is { } exe && exe.EndsWith("sleep", StringComparison.Ordinal))
            {
                return new NetworkNamespace(holder);
            }

            Thread.Sleep(20);
        }

        holder.Kill();
        throw new TimeoutException("The namespace holder did not enter its namespace.");
    }

    /// <summary>Prefixes a command so that it runs in the namespace (nsenter execs it: the PID is the command's) with TCP_NODELAY=1.</summary>
    public ProcessStartInfo Wrap(string fileName, params IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("nsenter") { UseShellExecute = false };
        start.ArgumentList.Add($"--net=/proc/{Pid}/ns/net");
        start.ArgumentList.Add("--");
        start.ArgumentList.Add(fileName);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["TCP_NODELAY"] = "1";
        start.Environment["VNA_IN_NETNS"] = "1";
        return start;
    }

    /// <summary>A TCP connection to <paramref name="endPoint"/> inside the namespace (Nagle off).</summary>
    public async Task<Socket> ConnectAsync(IPEndPoint endPoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        Socket? socket = null;
        await RunInsideAsync(() => socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true }).ConfigureAwait(false);
        try
        {
            await socket!.ConnectAsync(endPoint, cancellationToken).ConfigureAwait(false);
            return socket;
        }
        catch
        {
            socket!.Dispose();
            throw;
        }
    }

    /// <summary>An HTTP client whose connections are made inside the namespace.</summary>
    public HttpClient CreateHttpClient(TimeSpan? timeout = null)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var addresses = context.DnsEndPoint.Host == "localhost" ? [IPAddress.Loopback] : await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, cancellationToken).ConfigureAwait(false);
                var socket = await ConnectAsync(new IPEndPoint(addresses[0], context.DnsEndPoint.Port), cancellationToken).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        return new HttpClient(handler) { Timeout = timeout ?? TimeSpan.FromSeconds(100) };
    }

    /// <summary>
    /// The same PostgreSQL through its Unix socket (network namespaces do not apply to Unix sockets), for a server started
    /// in the namespace. The socket is found in /proc/net/unix by its name, <c>.s.PGSQL.&lt;port&gt;</c>.
    /// </summary>
    public static async Task<string> UnixSocketConnectionString(string connectionString, CancellationToken cancellationToken)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        var name = ".s.PGSQL." + builder.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var lines = await File.ReadAllLinesAsync("/proc/net/unix", cancellationToken).ConfigureAwait(false);
        var socket = lines.Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).LastOrDefault())
            .FirstOrDefault(path => path is not null && path.StartsWith('/') && path.EndsWith("/" + name, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"PostgreSQL on port {builder.Port} listens on no Unix socket ({name} not in /proc/net/unix).");
        builder.Host = Path.GetDirectoryName(socket);
        return builder.ConnectionString;
    }

    public void Dispose()
    {
        _queue.CompleteAdding();
        try
        {
            _holder.Kill();
            _holder.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _holder.Dispose();
    }

    private Task RunInsideAsync(Action work)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _queue.Add((work, done));
        return done.Task;
    }

    private void Run(TaskCompletionSource entered)
    {
        try
        {
            using var handle = File.OpenHandle($"/proc/{Pid}/ns/net");
            if (SetNs((int)handle.DangerousGetHandle(), CloneNewNet) != 0)
            {
                throw new InvalidOperationException($"setns failed with errno {Marshal.GetLastPInvokeError()}.");
            }

            entered.SetResult();
        }
        catch (Exception e)
        {
            entered.SetException(e);
            return;
        }

        foreach (var (work, done) in _queue.GetConsumingEnumerable())
        {
            try
            {
                work();
                done.SetResult();
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        }
    }

    private static string? ReadLink(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget;
        }
        catch (IOException)
        {
            return null;
        }
    }

    [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int SetNs(int fd, int nsType);
}
