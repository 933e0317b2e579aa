using System.Globalization;
using Npgsql;
using Vna.Index.Postgres.Migrations;

namespace Vna.Bench.Registration;

/// <summary>A fresh database <c>vna_bench_&lt;random&gt;</c> with the archive's schema (PostgresMigrator), dropped on dispose.</summary>
internal sealed class BenchDatabase : IAsyncDisposable
{
    private readonly string _adminConnectionString;

    private BenchDatabase(string adminConnectionString, string name, string connectionString, NpgsqlDataSource dataSource)
    {
        _adminConnectionString = adminConnectionString;
        Name = name;
        ConnectionString = connectionString;
        DataSource = dataSource;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    /// <summary>The data source of the index, as the server has one (for the index store and the migration).</summary>
    public NpgsqlDataSource DataSource { get; }

    public bool Keep { get; set; }

    public static async Task<BenchDatabase> CreateAsync(string adminConnectionString, CancellationToken cancellationToken)
    {
        var name = "vna_bench_" + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray().AsSpan(0, 6));
        await using (var admin = new NpgsqlConnection(adminConnectionString))
        {
            await admin.OpenAsync(cancellationToken);
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        var connectionString = new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = name }.ConnectionString;
        var dataSource = NpgsqlDataSource.Create(connectionString);
        var database = new BenchDatabase(adminConnectionString, name, connectionString, dataSource);
        try
        {
            await new PostgresMigrator(dataSource).MigrateAsync(cancellationToken);
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }

        return database;
    }

    /// <summary>Server settings that matter for the figures (durability, memory).</summary>
    public async Task<string> DescribeServerAsync(CancellationToken cancellationToken)
    {
        await using var command = DataSource.CreateCommand("""
            SELECT string_agg(name || '=' || setting || coalesce(unit, ''), ', ' ORDER BY name) FROM pg_settings
            WHERE name IN ('server_version', 'fsync', 'synchronous_commit', 'shared_buffers', 'wal_sync_method', 'commit_delay')
            """);
        return (string?)await command.ExecuteScalarAsync(cancellationToken) ?? "";
    }

    public async Task<long> CountAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = DataSource.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        if (Keep)
        {
            await Console.Error.WriteLineAsync($"kept database {Name}");
            return;
        }

        await using var admin = new NpgsqlConnection(_adminConnectionString);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }
}
