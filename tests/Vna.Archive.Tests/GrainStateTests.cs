using Npgsql;
using Orleans.Storage;
using Vna.Archive.Tests.Grains;

namespace Vna.Archive.Tests;

/// <summary>Grain state through Orleans' ADO.NET storage provider on Vna's schema.</summary>
[Collection(ClusterCollection.Name)]
public sealed class GrainStateTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task State_round_trips_through_deactivation_in_Orleans_binary_form()
    {
        fixture.SkipIfUnavailable();
        var key = "1.2.826.0.1.3680043.8.498." + Random.Shared.NextInt64(1, long.MaxValue);
        var grain = fixture.Cluster.Client.GetGrain<IStateTestGrain>(key);

        await grain.SetValueAsync("hot", 7);
        var before = await grain.GetAsync();
        await fixture.Cluster.DeactivateAsync(grain);
        var after = await grain.GetAsync();

        Assert.NotEqual(before.ActivationId, after.ActivationId);
        Assert.Equal(("hot", 7, "1", true), (after.Value, after.Count, after.ETag, after.RecordExists));

        var row = await ReadRowAsync(key);
        Assert.NotNull(row);
        Assert.Equal(1, row.Value.Version);
        Assert.NotNull(row.Value.Payload);
        // OrleansGrainStorageSerializer: binary, no JSON and no CLR type names.
        Assert.NotEqual((byte)'{', row.Value.Payload[0]);
        Assert.DoesNotContain("$type", System.Text.Encoding.UTF8.GetString(row.Value.Payload), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_write_behind_the_grains_back_makes_its_next_write_fail_with_InconsistentStateException()
    {
        fixture.SkipIfUnavailable();
        var key = "etag-" + Guid.NewGuid().ToString("N");
        var grain = fixture.Cluster.Client.GetGrain<IStateTestGrain>(key);
        await grain.SetValueAsync("first", 1);
        Assert.Equal("1", (await grain.GetAsync()).ETag);

        // Another writer of the same row moves its version on.
        await BumpVersionBehindTheGrainsBackAsync(key);

        await Assert.ThrowsAsync<InconsistentStateException>(() => grain.SetValueAsync("second", 2));

        // The refused write changed nothing; a fresh activation reads the row as it is and writes on.
        var row = await ReadRowAsync(key);
        Assert.Equal(2, row!.Value.Version);
        var reread = await ClusterFixture.RetryAsync(async () =>
        {
            var snapshot = await grain.GetAsync();
            return snapshot.ETag == "2" ? snapshot : throw new InvalidOperationException($"still ETag {snapshot.ETag}");
        }, Wait, TimeSpan.FromSeconds(5));
        Assert.Equal("first", reread.Value);

        await grain.SetValueAsync("third", 3);
        Assert.Equal(("third", "3"), ((await grain.GetAsync()).Value, (await grain.GetAsync()).ETag));
        Assert.Equal(3, (await ReadRowAsync(key))!.Value.Version);
    }

    [Fact]
    public async Task Clearing_state_keeps_the_row_and_its_version_counting()
    {
        fixture.SkipIfUnavailable();
        var key = "clear-" + Guid.NewGuid().ToString("N");
        var grain = fixture.Cluster.Client.GetGrain<IStateTestGrain>(key);
        await grain.SetValueAsync("to be cleared", 5);

        await grain.ClearAsync();
        var cleared = await grain.GetAsync();
        Assert.Equal((null, 0, "2", false), (cleared.Value, cleared.Count, cleared.ETag, cleared.RecordExists));
        var row = await ReadRowAsync(key);
        Assert.Equal(2, row!.Value.Version);
        Assert.Null(row.Value.Payload);

        await grain.SetValueAsync("again", 6);
        await fixture.Cluster.DeactivateAsync(grain);
        var after = await grain.GetAsync();
        Assert.Equal(("again", 6, "3", true), (after.Value, after.Count, after.ETag, after.RecordExists));
    }

    [Fact]
    public async Task With_DeleteStateOnClear_clearing_deletes_the_row_and_checks_the_version_first()
    {
        fixture.SkipIfUnavailable();
        var key = "delete-" + Guid.NewGuid().ToString("N");
        var grain = fixture.Cluster.Client.GetGrain<IDeletingStateTestGrain>(key);
        await grain.SetValueAsync("doomed", 1);

        await grain.ClearAsync();
        var cleared = await grain.GetAsync();
        Assert.Equal((null, null, false), (cleared.Value, cleared.ETag, cleared.RecordExists));
        Assert.Null(await ReadRowAsync(key));

        // Written again from scratch; then a stale clear is refused and deletes nothing.
        await grain.SetValueAsync("reborn", 2);
        Assert.Equal(1, (await ReadRowAsync(key))!.Value.Version);
        await BumpVersionBehindTheGrainsBackAsync(key);
        await Assert.ThrowsAsync<InconsistentStateException>(() => grain.ClearAsync());
        Assert.Equal(2, (await ReadRowAsync(key))!.Value.Version);
    }

    private async Task BumpVersionBehindTheGrainsBackAsync(string key)
    {
        await using var command = fixture.Postgres.DataSource.CreateCommand(
            "UPDATE orleans_grain_state SET version = version + 1 WHERE service_id = $1 AND grain_id_extension = $2");
        command.Parameters.AddWithValue(fixture.ServiceId);
        command.Parameters.AddWithValue(key);
        Assert.Equal(1, await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken));
    }

    private async Task<(int Version, byte[]? Payload)?> ReadRowAsync(string key)
    {
        await using var command = fixture.Postgres.DataSource.CreateCommand(
            "SELECT version, payload FROM orleans_grain_state WHERE service_id = $1 AND grain_id_extension = $2");
        command.Parameters.AddWithValue(fixture.ServiceId);
        command.Parameters.AddWithValue(key);
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        if (!await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            return null;
        }

        var result = (reader.GetInt32(0), reader.IsDBNull(1) ? null : reader.GetFieldValue<byte[]>(1));
        Assert.False(await reader.ReadAsync(TestContext.Current.CancellationToken), "more than one row for one grain state");
        return result;
    }
}
