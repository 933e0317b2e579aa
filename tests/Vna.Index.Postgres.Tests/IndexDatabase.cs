using System.Security.Cryptography;
using Npgsql;
using Vna.Testing;
using Vna.Index.Postgres.Migrations;

namespace Vna.Index.Postgres.Tests;

/// <summary>
/// A throwaway database "vna_idx_&lt;random&gt;" on the test PostgreSQL server with the index schema applied, dropped on
/// dispose. The server is $VNA_TEST_PG (default: the local one `deploy/local/pg start` runs). When it cannot be reached
/// the test is skipped, except under CI (CI=true), where it fails.
/// </summary>
public sealed class IndexDatabase : IAsyncDisposable
{
    public const string DefaultConnectionString = "Host=127.0.0.1;Port=55432;Database=vna;Username=vna;Password=vna";

    private static readonly SemaphoreSlim s_probeLock = new(1, 1);
    private static string? s_unreachable;
    private static bool s_probed;

    private readonly string _adminConnectionString;

    private IndexDatabase(string adminConnectionString, string name, NpgsqlDataSource dataSource)
    {
        _adminConnectionString = adminConnectionString;
        Name = name;
        DataSource = dataSource;
    }

    public string Name { get; }

    public NpgsqlDataSource DataSource { get; }

    public static string AdminConnectionString =>
        Environment.GetEnvironmentVariable("VNA_TEST_PG") is { Length: > 0 } value ? value : DefaultConnectionString;

    public static async Task<IndexDatabase> CreateAsync(CancellationToken cancellationToken)
    {
        var admin = AdminConnectionString;
        await RequireServerAsync(admin, cancellationToken).ConfigureAwait(false);

        var name = "vna_idx_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var builder = new NpgsqlConnectionStringBuilder(admin) { Database = name };
        var dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
        var database = new IndexDatabase(admin, name, dataSource);
        try
        {
            await database.MigrateAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await database.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return database;
    }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync().ConfigureAwait(false);
        await TestPostgres.DropDatabaseAsync(_adminConnectionString, Name).ConfigureAwait(false);
    }

    /// <summary>Runs a statement in this database (test set-up and inspection).</summary>
    public async Task<object?> ScalarAsync(string sql, CancellationToken cancellationToken, params object[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Brings the database to the archive's schema the way a silo does: <see cref="PostgresMigrator"/>, every embedded script.</summary>
    private async Task MigrateAsync(CancellationToken cancellationToken)
    {
        var applied = await new PostgresMigrator(DataSource).MigrateAsync(cancellationToken).ConfigureAwait(false);
        Assert.Contains("0010_archive_index", applied);
    }

    private static async Task RequireServerAsync(string admin, CancellationToken cancellationToken)
    {
        await s_probeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!s_probed)
            {
                s_unreachable = await ProbeAsync(admin, cancellationToken).ConfigureAwait(false);
                s_probed = true;
            }
        }
        finally
        {
            s_probeLock.Release();
        }

        if (s_unreachable is null)
        {
            return;
        }

        var message = $"PostgreSQL is not reachable ({s_unreachable}); set VNA_TEST_PG or start the local server with `deploy/local/pg start`.";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail(message + " CI=true: failing instead of skipping.");
        }

        Assert.Skip(message);
    }

    private static async Task<string?> ProbeAsync(string admin, CancellationToken cancellationToken)
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(admin) { Timeout = 5, Pooling = false };
            await using var connection = new NpgsqlConnection(builder.ConnectionString);
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException or ArgumentException)
        {
            return $"{Describe(admin)}: {e.Message}";
        }

        static string Describe(string cs)
        {
            var b = new NpgsqlConnectionStringBuilder(cs);
            return $"{b.Host}:{b.Port}/{b.Database} as {b.Username}";
        }
    }
}
