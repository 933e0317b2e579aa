using Microsoft.Extensions.Configuration;
using Orleans.TestingHost;
using Vna.Archive.Hosting;

namespace Vna.Archive.Tests;

/// <summary>The TestCluster's client finds the gateways in the fixture's membership table.</summary>
public sealed class TestClientConfigurator : IClientBuilderConfigurator
{
    public void Configure(IConfiguration configuration, IClientBuilder clientBuilder)
    {
        var connectionString = configuration[TestSiloConfigurator.ConnectionStringKey]
            ?? throw new InvalidOperationException($"TestCluster property {TestSiloConfigurator.ConnectionStringKey} is missing");
        clientBuilder.UseVnaPostgres(connectionString);
    }
}
