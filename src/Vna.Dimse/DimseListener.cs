using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Vna.Core;
using Vna.Dicom.Network;

namespace Vna.Dimse;

/// <summary>
/// Runs the archive's <see cref="DicomServer"/> for the host: the plain and TLS endpoints of <see cref="DimseSettings"/>,
/// the access policy, and the services — Verification first, then every <see cref="IDimseService"/> registered in the
/// container (query/retrieve, storage commitment...), then the Storage SCP last (it accepts SOP classes the dictionary does
/// not know, so it must not take another service's context). Starts listening once every hosted service has started.
/// </summary>
public sealed class DimseListener : IHostedLifecycleService, IAsyncDisposable
{
    private readonly IServiceProvider _services;
    private readonly DimseSettings _settings;
    private readonly ILoggerFactory _loggers;
    private readonly TimeProvider _time;
    private DicomServer? _server;

    public DimseListener(IServiceProvider services, DimseSettings settings, ILoggerFactory loggers, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(loggers);
        ArgumentNullException.ThrowIfNull(time);
        _services = services;
        _settings = settings;
        _loggers = loggers;
        _time = time;
    }

    /// <summary>The running server (null before start).</summary>
    public DicomServer? Server => _server;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        var options = _settings.Options;
        var serverOptions = new DicomServerOptions
        {
            MaxAssociations = options.MaxAssociations,
            Policy = _services.GetRequiredService<VnaAssociationPolicy>(),
            Association = new DicomAssociationOptions
            {
                TimeProvider = _time,
                MaxPduLength = options.MaxPduLength,
                ArtimTimeout = TimeSpan.FromSeconds(options.ArtimTimeoutSeconds),
                IdleTimeout = TimeSpan.FromSeconds(options.IdleTimeoutSeconds),
                OperationTimeout = TimeSpan.FromSeconds(options.OperationTimeoutSeconds),
                Logger = _loggers.CreateLogger("Vna.Dimse.Association"),
            },
        };
        if (_settings.Port > 0)
        {
            serverOptions.Endpoints.Add(new DicomEndpoint(_settings.Host, _settings.Port));
        }

        if (options.TlsPort is { } tlsPort)
        {
            serverOptions.Endpoints.Add(new DicomEndpoint(_settings.Host, tlsPort, LoadCertificate(options)) { RequireClientCertificate = options.TlsRequireClientCertificate });
        }

        var registry = new DimseServiceRegistry(new VerificationService());
        foreach (var service in _services.GetServices<IDimseService>())
        {
            registry.Add(service);
        }

        registry.Add(_services.GetRequiredService<StorageScpService>());
        _server = new DicomServer(serverOptions, registry);
        await _server.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task StoppingAsync(CancellationToken cancellationToken) =>
        _server is null ? Task.CompletedTask : _server.StopAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The TLS certificate: PKCS#12 (with its password), or PEM certificate and key.</summary>
    public static X509Certificate2 LoadCertificate(DimseOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var path = options.TlsCertificatePath ?? throw new InvalidOperationException("Dimse:TlsPort is set but Dimse:TlsCertificatePath is not.");
        return TlsCertificateFile.Load("Dimse:TlsCertificatePath", path, options.TlsKeyPath, options.TlsCertificatePassword);
    }
}
