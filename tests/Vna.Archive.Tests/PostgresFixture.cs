using Vna.Testing;
using Npgsql;
using Vna.Index.Postgres.Migrations;

namespace Vna.Archive.Tests;

/// <summary>
/// A fresh database (<c>vna_test_&lt;random&gt;</c>) on the test PostgreSQL server, migrated with
/// <see cref="PostgresMigrator"/>, dropped at the end. Where no server can be had, tests that call
/// <see cref="SkipIfUnavailable"/> are skipped with the reason, except under CI (<c>CI=true</c>),
/// where the fixture fails instead, since CI installs and starts PostgreSQL.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private string? serverConnectionString;

    public string DatabaseName { get; } = "vna_test_" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>Connection string to this fixture's database.</summary>
    public string ConnectionString { get; private set; } = "";

    /// <summary>A data source on this fixture's database.</summary>
    public NpgsqlDataSource DataSource => dataSource ?? throw new InvalidOperationException(UnavailableReason ?? "not initialised");

    /// <summary>Why PostgreSQL is not available; null when it is.</summary>
    public string? UnavailableReason { get; private set; }

    /// <summary>What the first migration run applied.</summary>
    public IReadOnlyList<string> AppliedAtStart { get; private set; } = [];

    private NpgsqlDataSource? dataSource;
    private readonly List<string> scratchDatabases = [];

    public void SkipIfUnavailable()
    {
        if (UnavailableReason is not null)
        {
            Assert.Skip($"PostgreSQL is not available: {UnavailableReason}");
        }
    }

    public async ValueTask InitializeAsync()
    {
        var (server, problem) = await TestPostgres.GetAsync();
        if (server is null)
        {
            UnavailableReason = problem + " (set VNA_TEST_PG, or run deploy/local/pg start)";
            if (TestPostgres.InCi)
            {
                throw new InvalidOperationException($"CI=true and PostgreSQL is not available: {UnavailableReason}");
            }

            return;
        }

        serverConnectionString = server;
        await using (var admin = new NpgsqlConnection(server))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{DatabaseName}\"", admin);
            await create.ExecuteNonQueryAsync();
        }

        ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = DatabaseName }.ConnectionString;
        dataSource = NpgsqlDataSource.Create(ConnectionString);
        AppliedAtStart = await new PostgresMigrator(dataSource).MigrateAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>Creates another, empty database on the same server (dropped with the fixture); returns its connection string.</summary>
    public async Task<string> CreateScratchDatabaseAsync()
    {
        SkipIfUnavailable();
        var name = DatabaseName + "_" + scratchDatabases.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using (var admin = new NpgsqlConnection(serverConnectionString))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin);
            await create.ExecuteNonQueryAsync();
        }

        scratchDatabases.Add(name);
        return new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = name }.ConnectionString;
    }

    public async ValueTask DisposeAsync()
    {
        if (dataSource is not null)
        {
            await dataSource.DisposeAsync();
        }

        if (serverConnectionString is null)
        {
            return;
        }

        // The Orleans providers pool their own connections to the database: clear them, and let
        // DROP ... WITH (FORCE) end any that are still open.
        foreach (var name in scratchDatabases.Prepend(DatabaseName))
        {
            await using (var pooled = new NpgsqlConnection(
                new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = name }.ConnectionString))
            {
                NpgsqlConnection.ClearPool(pooled);
            }

            await TestPostgres.DropDatabaseAsync(serverConnectionString, name);
        }
    }
}
