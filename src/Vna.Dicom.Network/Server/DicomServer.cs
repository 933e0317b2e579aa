using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Vna.Dicom.Network;

/// <summary>
/// The SCP listener: accepts TCP (or TLS) connections on its endpoints, with Nagle disabled, and runs one
/// <see cref="DicomAssociation"/> per connection, its requests dispatched to the <see cref="DimseServiceRegistry"/>. At most
/// <see cref="DicomServerOptions.MaxAssociations"/> associations run at once; a request beyond that is answered
/// A-ASSOCIATE-RJ (transient, local limit exceeded), and connections beyond twice the limit are closed at once.
/// </summary>
public sealed partial class DicomServer : IAsyncDisposable
{
    private readonly DicomServerOptions _options;
    private readonly DimseServiceRegistry _services;
    private readonly ILogger _logger;
    private readonly List<Socket> _listeners = [];
    private readonly List<Task> _acceptLoops = [];
    private readonly ConcurrentDictionary<DicomAssociation, bool> _associations = new();
    private readonly ConcurrentDictionary<Task, bool> _connections = new();
    private readonly CancellationTokenSource _stopping = new();
    private int _active;
    private int _rejecting;

    public DicomServer(DicomServerOptions options, DimseServiceRegistry services)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(services);
        _options = options;
        _services = services;
        _logger = options.Association.Logger;
    }

    /// <summary>The bound addresses (port 0 in an endpoint gets a free port: read it here).</summary>
    public IReadOnlyList<IPEndPoint> LocalEndPoints => _listeners.Select(l => (IPEndPoint)l.LocalEndPoint!).ToList();

    /// <summary>Associations established and not yet ended.</summary>
    public int ActiveAssociations => Volatile.Read(ref _active);

    public long AssociationsAccepted { get; private set; }

    public long AssociationsRejected { get; private set; }

    /// <summary>Binds every endpoint and starts accepting.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (_options.Endpoints.Count == 0)
        {
            throw new InvalidOperationException("The DICOM server has no endpoint to listen on.");
        }

        foreach (var endpoint in _options.Endpoints)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var address = IPAddress.Parse(endpoint.Host);
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
                socket.Bind(new IPEndPoint(address, endpoint.Port));
                socket.Listen(512);
            }
            catch
            {
                socket.Dispose();
                throw;
            }

            _listeners.Add(socket);
            LogListening(endpoint.ToString(), ((IPEndPoint)socket.LocalEndPoint!).Port);
            _acceptLoops.Add(AcceptLoopAsync(socket, endpoint with { Port = ((IPEndPoint)socket.LocalEndPoint!).Port }));
        }

        return Task.CompletedTask;
    }

    /// <summary>Stops listening and aborts the associations still running (their handlers see cancellation).</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        foreach (var listener in _listeners)
        {
            listener.Dispose();
        }

        foreach (var association in _associations.Keys)
        {
            await association.AbortAsync().ConfigureAwait(false);
        }

        try
        {
            await Task.WhenAll(_acceptLoops.Concat(_connections.Keys)).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync(Socket listener, DicomEndpoint endpoint)
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex)
            {
                LogAcceptFailed(ex.SocketErrorCode.ToString());
                continue;
            }

            socket.NoDelay = true;
            var connection = ServeConnectionAsync(socket, endpoint);
            _connections[connection] = true;
            _ = connection.ContinueWith(t => _connections.TryRemove(t, out _), TaskScheduler.Default);
        }
    }

    private async Task ServeConnectionAsync(Socket socket, DicomEndpoint endpoint)
    {
        // Off the accept loop.
        await Task.Yield();
        var overLimit = Interlocked.Increment(ref _active) > _options.MaxAssociations;
        try
        {
            if (overLimit)
            {
                if (Interlocked.Increment(ref _rejecting) > _options.MaxAssociations)
                {
                    // A flood: not even a reject is worth reading a request for.
                    socket.Dispose();
                    return;
                }

                try
                {
                    await ServeAsync(socket, endpoint, refuse: true).ConfigureAwait(false);
                }
                finally
                {
                    Interlocked.Decrement(ref _rejecting);
                }

                return;
            }

            await ServeAsync(socket, endpoint, refuse: false).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogConnectionFailed(ex.GetType().Name, ex.Message);
            socket.Dispose();
        }
        finally
        {
            Interlocked.Decrement(ref _active);
        }
    }

    private async Task ServeAsync(Socket socket, DicomEndpoint endpoint, bool refuse)
    {
        var remote = socket.RemoteEndPoint;
        Stream stream = new NetworkStream(socket, ownsSocket: true);
        System.Security.Cryptography.X509Certificates.X509Certificate? clientCertificate = null;
        if (endpoint.Certificate is { } certificate)
        {
            var tls = new SslStream(stream, leaveInnerStreamOpen: false);
            try
            {
                using var handshake = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
                handshake.CancelAfter(_options.Association.ArtimTimeout);
                await tls.AuthenticateAsServerAsync(
                    new SslServerAuthenticationOptions
                    {
                        ServerCertificate = certificate,
                        ClientCertificateRequired = endpoint.RequireClientCertificate,
                        EnabledSslProtocols = System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13,
                    },
                    handshake.Token).ConfigureAwait(false);
                clientCertificate = tls.RemoteCertificate;
            }
            catch (Exception ex) when (ex is IOException or System.Security.Authentication.AuthenticationException or OperationCanceledException)
            {
                LogTlsFailed(ex.GetType().Name);
                await tls.DisposeAsync().ConfigureAwait(false);
                return;
            }

            stream = tls;
        }

        var peer = new AssociationPeer(remote, endpoint, clientCertificate);
        var association = await DicomAssociation.AcceptAsync(
            stream,
            socket,
            remote,
            _options.Association,
            (request, ct) => refuse ? ValueTask.FromResult(AssociationDecision.Rejected(AssociateReject.LimitExceeded)) : DecideAsync(request, peer, ct),
            _services.DispatchAsync,
            _stopping.Token).ConfigureAwait(false);
        if (association is null)
        {
            AssociationsRejected++;
            return;
        }

        AssociationsAccepted++;
        _associations[association] = true;
        try
        {
            await association.Completion.ConfigureAwait(false);
        }
        finally
        {
            _associations.TryRemove(association, out _);
        }
    }

    private ValueTask<AssociationDecision> DecideAsync(AssociateRequest request, AssociationPeer peer, CancellationToken cancellationToken) =>
        _options.Policy is { } policy
            ? policy.DecideAsync(request, peer, _services, cancellationToken)
            : ValueTask.FromResult(AssociationNegotiation.Accept(request, _services, _options.Association.MaxPduLength));

    [LoggerMessage(1, LogLevel.Information, "DICOM listening on {Endpoint} (port {Port}).")]
    private partial void LogListening(string endpoint, int port);

    [LoggerMessage(2, LogLevel.Warning, "Accepting a DICOM connection failed: {Error}.")]
    private partial void LogAcceptFailed(string error);

    [LoggerMessage(3, LogLevel.Warning, "A DICOM connection failed ({ExceptionType}): {Message}")]
    private partial void LogConnectionFailed(string exceptionType, string message);

    [LoggerMessage(4, LogLevel.Information, "A DICOM TLS handshake failed ({ExceptionType}).")]
    private partial void LogTlsFailed(string exceptionType);
}
