using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Vna.Archive.Hosting;

namespace Vna.Integration.Tests;

/// <summary>Asks a running cluster, as an Orleans client, which silo hosts each study grain (the management grain).</summary>
internal static class ClusterInspector
{
    /// <summary>Study Instance UID → silo port of the silo its grain is active on.</summary>
    public static async Task<Dictionary<string, int>> StudyGrainSilosAsync(string postgres, string clusterId, string serviceId, CancellationToken cancellationToken)
    {
        using var host = new HostBuilder()
            .UseOrleansClient(client =>
            {
                client.Configure<ClusterOptions>(o =>
                {
                    o.ClusterId = clusterId;
                    o.ServiceId = serviceId;
                });
                client.UseVnaPostgres(postgres);
            })
            .Build();
        await host.StartAsync(cancellationToken);
        try
        {
            var management = host.Services.GetRequiredService<IClusterClient>().GetGrain<IManagementGrain>(0);
            var statistics = await management.GetDetailedGrainStatistics();
            return statistics
                .Where(s => s.GrainId.Type.ToString() == "study")
                .ToDictionary(s => s.GrainId.Key.ToString()!, s => s.SiloAddress.Endpoint.Port, StringComparer.Ordinal);
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }
}
