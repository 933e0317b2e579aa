using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Orleans.Configuration;
using Vna.Archive.Coordination;
using Vna.Archive.Hosting;
using Vna.Core;
using Vna.Index.Postgres;

namespace Vna.Bench.Registration;

/// <summary>
/// One Orleans silo in this process, composed as <c>src/Vna.Server/Program.cs</c> composes it: ADO.NET clustering,
/// grain storage and reminders on PostgreSQL (<c>UseVnaPostgres</c>), <see cref="PostgresIndexStore"/> on an
/// <see cref="NpgsqlDataSource"/> (wrapped in <see cref="CountingIndexStore"/>), and <see cref="GrainStudyCoordinator"/>.
/// Silo and gateway ports are free ports picked at start, so a running server is not disturbed.
/// </summary>
internal sealed class BenchSilo : IAsyncDisposable
{
    private readonly IHost _host;

    private BenchSilo(IHost host)
    {
        _host = host;
        Coordinator = host.Services.GetRequiredService<IStudyCoordinator>();
        Index = host.Services.GetRequiredService<CountingIndexStore>();
    }

    public IStudyCoordinator Coordinator { get; }

    public CountingIndexStore Index { get; }

    public static async Task<BenchSilo> StartAsync(BenchDatabase database, CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [] });
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);

        builder.Services.AddSingleton(database.DataSource);
        builder.Services.AddSingleton(sp => new CountingIndexStore(new PostgresIndexStore(sp.GetRequiredService<NpgsqlDataSource>())));
        builder.Services.AddSingleton<IIndexStore>(sp => sp.GetRequiredService<CountingIndexStore>());
        builder.Services.AddOptions<ArchiveOptions>();
        builder.Services.AddSingleton<IStudyCoordinator, GrainStudyCoordinator>();

        var clusterId = database.Name.Replace('_', '-');
        var (siloPort, gatewayPort) = (FreePort(), FreePort());
        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = clusterId;
                o.ServiceId = "vna-bench";
            });
            silo.ConfigureEndpoints(IPAddress.Loopback, siloPort, gatewayPort, listenOnAnyHostAddress: false);
            silo.UseVnaPostgres(database.ConnectionString, fastFailureDetection: false);
        });

        var host = builder.Build();
        await host.StartAsync(cancellationToken);
        return new BenchSilo(host);
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _host.StopAsync(timeout.Token);
        _host.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
