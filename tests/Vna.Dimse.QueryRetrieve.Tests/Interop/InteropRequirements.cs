using System.Net;
using System.Net.Sockets;
using Vna.Testing;

namespace Vna.Dimse.QueryRetrieve.Tests.Interop;

/// <summary>Skips (or, under CI=true, fails) an interop test whose peer tools or network namespace are missing.</summary>
internal static class InteropRequirements
{
    private static readonly Lazy<string?> s_namespace = new(NetworkNamespace.Unavailable);

    /// <summary>The tools, and a network namespace for peers that must run in one.</summary>
    public static void Require(params string[] tools)
    {
        RequireTools(tools);
        if (s_namespace.Value is { } problem)
        {
            SkipOrFail($"no loopback-only network namespace for the peers: {problem}");
        }
    }

    /// <summary>The tools only (clients of a listener in this process's namespace).</summary>
    public static void RequireTools(params string[] tools)
    {
        var missing = tools.Where(t => !OnPath(t)).ToArray();
        if (missing.Length > 0)
        {
            SkipOrFail($"{string.Join(", ", missing)} not found on PATH (Debian packages dcmtk / orthanc; deploy/local/test installs them)");
        }
    }

    /// <summary>Waits until something listens on 127.0.0.1:<paramref name="port"/> inside <paramref name="ns"/>.</summary>
    public static async Task WaitForPortAsync(NetworkNamespace ns, int port, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            try
            {
                using var socket = await ns.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cancellationToken);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50, cancellationToken);
            }
        }
    }

    private static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':').Append("/usr/sbin").Any(d => File.Exists(Path.Combine(d, tool)));

    private static void SkipOrFail(string message)
    {
        if (TestPostgres.InCi)
        {
            Assert.Fail(message + " (CI=true: failing instead of skipping)");
        }

        Assert.Skip(message);
    }
}
