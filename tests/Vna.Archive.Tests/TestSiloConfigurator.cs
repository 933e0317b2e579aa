using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Vna.Core;
using Vna.Index.Postgres;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.TestingHost;
using Vna.Archive.Hosting;

namespace Vna.Archive.Tests;

/// <summary>Puts each test silo on the fixture's database through <see cref="OrleansPostgresExtensions.UseVnaPostgres(ISiloBuilder, string, bool)"/>.</summary>
public sealed class TestSiloConfigurator : ISiloConfigurator
{
    /// <summary>The TestCluster property carrying the connection string to the silos and the client.</summary>
    public const string ConnectionStringKey = "VnaTestPostgres";

    /// <summary>A second grain storage on the same tables, deleting rows on clear (the provider's DeleteStorageKey).</summary>
    public const string DeleteOnClearStorageName = "delete-on-clear";

    /// <summary>The reminder period the tests use, below Orleans' one-minute minimum.</summary>
    public static readonly TimeSpan ReminderPeriod = TimeSpan.FromSeconds(1);

    public void Configure(ISiloBuilder siloBuilder)
    {
        var connectionString = siloBuilder.Configuration[ConnectionStringKey]
            ?? throw new InvalidOperationException($"TestCluster property {ConnectionStringKey} is missing");
        siloBuilder.UseVnaPostgres(connectionString, fastFailureDetection: true);
        siloBuilder.Configure<ReminderOptions>(options => options.MinimumReminderPeriod = ReminderPeriod);
        // The study grains' placement record (StudyGrainStateTests).
        siloBuilder.Services.AddSingleton<IIndexStore>(_ => new PostgresIndexStore(NpgsqlDataSource.Create(connectionString)));
        siloBuilder.AddAdoNetGrainStorage(DeleteOnClearStorageName, options =>
        {
            options.Invariant = OrleansPostgresExtensions.Invariant;
            options.ConnectionString = connectionString;
            options.DeleteStateOnClear = true;
        });
    }
}
