using System.Net;
using System.Net.Sockets;

namespace Vna.Lifecycle.Tests;

/// <summary>Ports for this project's silos, from its own range (41500-41599), checked free by binding.</summary>
internal static class LifecyclePorts
{
    private static int s_next = 41500 + (Environment.ProcessId % 20);

    public static int Next()
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var port = 41500 + ((Interlocked.Increment(ref s_next) - 41500) % 100);
            try
            {
                using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                probe.Bind(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException)
            {
                // Taken: the next one.
            }
        }

        throw new InvalidOperationException("No free port in 41500-41599.");
    }
}
