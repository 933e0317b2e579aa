using System.Net;
using System.Net.Sockets;

namespace Vna.Tiers.Tests;

/// <summary>
/// A loopback TCP relay in front of a server, which a test can cut: after <see cref="CutAfterBytes"/> bytes from the
/// clients every connection is dropped and new ones are refused (the server "goes away" in the middle of a transfer),
/// until <see cref="Restore"/>.
/// </summary>
internal sealed class TcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _connections = [];
    private readonly Lock _lock = new();
    private readonly Task _accepting;
    private long _forwarded;
    private volatile bool _cut;

    public TcpProxy(int targetPort)
    {
        _targetPort = targetPort;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    public int Port { get; }

    /// <summary>Client bytes after which the relay cuts everything (null: never).</summary>
    public long? CutAfterBytes { get; set; }

    public bool IsCut => _cut;

    public void Cut()
    {
        _cut = true;
        lock (_lock)
        {
            foreach (var c in _connections)
            {
                Reset(c);
            }

            _connections.Clear();
        }
    }

    public void Restore()
    {
        Interlocked.Exchange(ref _forwarded, 0);
        CutAfterBytes = null;
        _cut = false;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        Cut();
        try
        {
            await _accepting;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }

        _stop.Dispose();
    }

    private static void Reset(TcpClient connection)
    {
        try
        {
            if (connection.Client is { } socket)
            {
                socket.LingerState = new LingerOption(true, 0); // RST, as when the server's host dies
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Already closed.
        }

        connection.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            if (_cut)
            {
                Reset(client);
                continue;
            }

            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        var server = new TcpClient();
        try
        {
            await server.ConnectAsync(IPAddress.Loopback, _targetPort, _stop.Token);
            lock (_lock)
            {
                _connections.Add(client);
                _connections.Add(server);
            }

            await Task.WhenAny(PumpAsync(client.GetStream(), server.GetStream(), fromClient: true), PumpAsync(server.GetStream(), client.GetStream(), fromClient: false));
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // A cut or a closed connection.
        }
        finally
        {
            client.Dispose();
            server.Dispose();
        }
    }

    private async Task PumpAsync(NetworkStream from, NetworkStream to, bool fromClient)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            int n;
            while ((n = await from.ReadAsync(buffer, _stop.Token)) > 0)
            {
                if (fromClient && CutAfterBytes is { } limit && Interlocked.Add(ref _forwarded, n) > limit)
                {
                    Cut();
                    return;
                }

                await to.WriteAsync(buffer.AsMemory(0, n), _stop.Token);
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // A cut or a closed connection.
        }
    }
}
