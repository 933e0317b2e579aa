using System.Diagnostics;
using Npgsql;
using Orleans.TestingHost;

namespace Vna.Archive.Tests;

/// <summary>
/// A TestCluster of two in-process silos whose membership, grain state and reminders all live in a
/// fresh PostgreSQL database (Orleans' own ADO.NET providers on Vna's schema), with a fresh ClusterId
/// and ServiceId.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    /// <summary>Orleans' SiloStatus numbers as stored in orleans_silo.status.</summary>
    public const int Active = 3;

    public const int Dead = 6;

    private TestCluster? cluster;

    public PostgresFixture Postgres { get; } = new();

    public TestCluster Cluster => cluster ?? throw new InvalidOperationException(Postgres.UnavailableReason ?? "not deployed");

    public string ClusterId { get; } = "vna-test-" + Guid.NewGuid().ToString("N")[..8];

    public string ServiceId { get; } = "vna-test-service-" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>How long DeployAsync took (two silos and the client).</summary>
    public TimeSpan DeployTime { get; private set; }

    public void SkipIfUnavailable() => Postgres.SkipIfUnavailable();

    public async ValueTask InitializeAsync()
    {
        await Postgres.InitializeAsync();
        if (Postgres.UnavailableReason is not null)
        {
            return;
        }

        var builder = new TestClusterBuilder(2);
        builder.Options.UseTestClusterMembership = false;
        builder.Options.ClusterId = ClusterId;
        builder.Options.ServiceId = ServiceId;
        builder.Properties[TestSiloConfigurator.ConnectionStringKey] = Postgres.ConnectionString;
        builder.AddSiloBuilderConfigurator<TestSiloConfigurator>();
        builder.AddClientBuilderConfigurator<TestClientConfigurator>();
        cluster = builder.Build();

        var started = Stopwatch.GetTimestamp();
        await cluster.DeployAsync();
        DeployTime = Stopwatch.GetElapsedTime(started);
    }

    public async ValueTask DisposeAsync()
    {
        if (cluster is not null)
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
        }

        await Postgres.DisposeAsync();
    }

    /// <summary>The cluster's rows in orleans_silo.</summary>
    public async Task<List<SiloRow>> ReadSiloRowsAsync()
    {
        await using var command = Postgres.DataSource.CreateCommand(
            "SELECT address, port, generation, status, silo_name FROM orleans_silo WHERE deployment_id = $1");
        command.Parameters.AddWithValue(ClusterId);
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var rows = new List<SiloRow>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            rows.Add(new SiloRow(reader.GetString(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetInt32(3), reader.GetString(4)));
        }

        return rows;
    }

    /// <summary>Polls until <paramref name="condition"/> holds for the cluster's rows, or fails after <paramref name="timeout"/>.</summary>
    public async Task<List<SiloRow>> WaitForSiloRowsAsync(Func<List<SiloRow>, bool> condition, TimeSpan timeout, string what)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            var rows = await ReadSiloRowsAsync();
            if (condition(rows))
            {
                return rows;
            }

            if (Stopwatch.GetTimestamp() > deadline)
            {
                Assert.Fail($"{what}: not seen within {timeout.TotalSeconds:0} s; rows: {string.Join("; ", rows)}");
            }

            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>Runs an idempotent grain call until it succeeds: right after a silo dies, calls fail fast or hang.</summary>
    public static async Task<T> RetryAsync<T>(Func<Task<T>> call, TimeSpan timeout, TimeSpan perAttempt)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            try
            {
                return await call().WaitAsync(perAttempt, TestContext.Current.CancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !TestContext.Current.CancellationToken.IsCancellationRequested)
            {
                if (Stopwatch.GetTimestamp() > deadline)
                {
                    throw;
                }
            }

            await Task.Delay(250, TestContext.Current.CancellationToken);
        }
    }
}
