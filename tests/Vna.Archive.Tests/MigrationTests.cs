using Npgsql;
using Vna.Index.Postgres.Migrations;

namespace Vna.Archive.Tests;

/// <summary>The migration runner against a real PostgreSQL: order, idempotence, checksums, locking, rollback.</summary>
public sealed class MigrationTests(PostgresFixture db) : IClassFixture<PostgresFixture>
{
    /// <summary>The statements the Orleans 10.4 ADO.NET providers load from OrleansQuery.</summary>
    public static readonly TheoryData<string> OrleansQueryKeys =
    [
        // clustering
        "InsertMembershipVersionKey", "InsertMembershipKey", "UpdateMembershipKey", "UpdateIAmAlivetimeKey",
        "MembershipReadRowKey", "MembershipReadAllKey", "DeleteMembershipTableEntriesKey", "GatewaysQueryKey",
        "CleanupDefunctSiloEntriesKey",
        // grain storage
        "ReadFromStorageKey", "WriteToStorageKey", "ClearStorageKey", "DeleteStorageKey",
        // reminders
        "ReadReminderRowsKey", "ReadReminderRowKey", "ReadRangeRows1Key", "ReadRangeRows2Key",
        "UpsertReminderRowKey", "DeleteReminderRowKey", "DeleteReminderRowsKey",
    ];

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_first_run_applies_the_Orleans_scripts_first_and_in_order()
    {
        db.SkipIfUnavailable();

        Assert.True(db.AppliedAtStart.Count >= 3, string.Join(", ", db.AppliedAtStart));
        Assert.Equal(["0001_orleans_membership", "0002_orleans_storage", "0003_orleans_reminders"], db.AppliedAtStart.Take(3));

        var history = await QueryAsync(db.DataSource,
            $"SELECT version, name, checksum FROM {PostgresMigrator.HistoryTable} ORDER BY version",
            r => (Version: r.GetInt32(0), Name: r.GetString(1), Checksum: r.GetString(2)));
        Assert.Equal(db.AppliedAtStart, history.Select(h => $"{h.Version:D4}_{h.Name}"));
        Assert.All(history, h => Assert.Matches("^[0-9a-f]{64}$", h.Checksum));
    }

    [Theory]
    [MemberData(nameof(OrleansQueryKeys))]
    public async Task OrleansQuery_holds_every_statement_the_providers_require(string key)
    {
        db.SkipIfUnavailable();

        var texts = await QueryAsync(db.DataSource,
            $"SELECT QueryText FROM OrleansQuery WHERE QueryKey = '{key}'", r => r.GetString(0));
        var text = Assert.Single(texts);
        Assert.Contains("@", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_run_applies_nothing()
    {
        db.SkipIfUnavailable();
        var before = await CountAsync(db.DataSource, $"SELECT count(*) FROM {PostgresMigrator.HistoryTable}");

        var applied = await new PostgresMigrator(db.DataSource).MigrateAsync(Cancel);

        Assert.Empty(applied);
        Assert.Equal(before, await CountAsync(db.DataSource, $"SELECT count(*) FROM {PostgresMigrator.HistoryTable}"));
    }

    [Fact]
    public async Task Several_runners_starting_at_once_apply_each_script_once()
    {
        db.SkipIfUnavailable();
        await using var fresh = NpgsqlDataSource.Create(await db.CreateScratchDatabaseAsync());

        var runs = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(
            () => new PostgresMigrator(fresh).MigrateAsync(Cancel), Cancel)));

        var all = runs.SelectMany(r => r).ToList();
        Assert.Equal(db.AppliedAtStart, all.Order(StringComparer.Ordinal));
        Assert.Single(runs, r => r.Count > 0);
        Assert.Equal(all.Count, await CountAsync(fresh, $"SELECT count(*) FROM {PostgresMigrator.HistoryTable}"));
    }

    [Fact]
    public async Task A_changed_embedded_script_stops_the_run_and_names_it()
    {
        db.SkipIfUnavailable();
        await using var scratch = NpgsqlDataSource.Create(await db.CreateScratchDatabaseAsync());
        await new PostgresMigrator(scratch).MigrateAsync(Cancel);
        // As if 0002 had been edited after it was applied: the recorded checksum no longer matches.
        await ExecuteAsync(scratch, $"UPDATE {PostgresMigrator.HistoryTable} SET checksum = repeat('0', 64) WHERE version = 2");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => new PostgresMigrator(scratch).MigrateAsync(Cancel));

        Assert.Contains("0002_orleans_storage", error.Message, StringComparison.Ordinal);
        Assert.Contains("checksum", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Checksums_follow_the_text_but_not_its_line_endings()
    {
        db.SkipIfUnavailable();
        await using var scratch = NpgsqlDataSource.Create(await db.CreateScratchDatabaseAsync());
        await new PostgresMigrator(scratch, [Script("0001_first.sql", "CREATE TABLE t1 (x int);\n")]).MigrateAsync(Cancel);

        var sameText = await new PostgresMigrator(scratch, [Script("0001_first.sql", "CREATE TABLE t1 (x int);\r\n")]).MigrateAsync(Cancel);
        Assert.Empty(sameText);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            new PostgresMigrator(scratch, [Script("0001_first.sql", "CREATE TABLE t1 (x bigint);\n")]).MigrateAsync(Cancel));
        Assert.Contains("0001_first", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_script_is_rolled_back_unrecorded_and_later_scripts_wait()
    {
        db.SkipIfUnavailable();
        await using var scratch = NpgsqlDataSource.Create(await db.CreateScratchDatabaseAsync());
        KeyValuePair<string, string>[] broken =
        [
            Script("0001_first.sql", "CREATE TABLE t1 (x int);"),
            Script("0002_second.sql", "CREATE TABLE t2 (x int); SELECT 1 / 0;"),
            Script("0003_third.sql", "CREATE TABLE t3 (x int);"),
        ];

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => new PostgresMigrator(scratch, broken).MigrateAsync(Cancel));

        Assert.Contains("0002_second", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, await CountAsync(scratch, $"SELECT count(*) FROM {PostgresMigrator.HistoryTable}"));
        Assert.Equal(0, await CountAsync(scratch, "SELECT count(*) FROM pg_tables WHERE tablename IN ('t2', 't3')"));

        var fixedRun = await new PostgresMigrator(scratch,
            [broken[0], Script("0002_second.sql", "CREATE TABLE t2 (x int);"), broken[2]]).MigrateAsync(Cancel);
        Assert.Equal(["0002_second", "0003_third"], fixedRun);
    }

    [Theory]
    [InlineData("1_short.sql")]
    [InlineData("0001-dash.sql")]
    [InlineData("0001_Upper.sql")]
    public async Task Misnamed_scripts_are_refused(string fileName)
    {
        db.SkipIfUnavailable();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            new PostgresMigrator(db.DataSource, [Script(fileName, "SELECT 1;")]).MigrateAsync(Cancel));

        Assert.Contains(fileName, error.Message, StringComparison.Ordinal);
    }

    private static KeyValuePair<string, string> Script(string name, string sql) => new(name, sql);

    private static async Task<long> CountAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync(Cancel), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync(Cancel);
    }

    private static async Task<List<T>> QueryAsync<T>(NpgsqlDataSource dataSource, string sql, Func<NpgsqlDataReader, T> read)
    {
        await using var command = dataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync(Cancel);
        var rows = new List<T>();
        while (await reader.ReadAsync(Cancel))
        {
            rows.Add(read(reader));
        }

        return rows;
    }
}
