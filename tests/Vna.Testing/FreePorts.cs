using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Vna.Testing;

/// <summary>
/// TCP ports on 127.0.0.1 that nothing listens on, for the servers the tests start. They are drawn at random below the
/// kernel's ephemeral range (so that no outgoing connection takes one between the draw and the server's bind), checked by
/// binding, and never handed out twice in this process.
/// </summary>
public static class FreePorts
{
    private const int Lowest = 20_000;

    private static readonly HashSet<int> s_given = [];
    private static readonly Lock s_lock = new();
    private static readonly int s_highest = EphemeralLow() - 1;

    public static int Next()
    {
        lock (s_lock)
        {
            for (var attempt = 0; attempt < 200; attempt++)
            {
                var port = s_highest - Lowest > 1_000 ? Random.Shared.Next(Lowest, s_highest) : 0;
                using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    probe.Bind(new IPEndPoint(IPAddress.Loopback, port));
                }
                catch (SocketException)
                {
                    continue;
                }

                port = ((IPEndPoint)probe.LocalEndPoint!).Port;
                if (s_given.Add(port))
                {
                    return port;
                }
            }

            throw new InvalidOperationException("No free TCP port found in 200 attempts.");
        }
    }

    /// <summary>The first port of the kernel's ephemeral range (Linux); 32768 when it cannot be read.</summary>
    private static int EphemeralLow()
    {
        try
        {
            var range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            return int.Parse(range[0], CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return 32_768;
        }
    }
}
