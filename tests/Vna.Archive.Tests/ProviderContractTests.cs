using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime;
using Orleans.Runtime.Membership;
using Orleans.Runtime.MembershipService;
using Vna.Archive.Hosting;

namespace Vna.Archive.Tests;

/// <summary>
/// Orleans' ADO.NET provider classes called directly on Vna's schema, for the parts of the contract
/// a running cluster rarely reaches: stale versions, defunct-silo cleanup, deleting a cluster,
/// gateways, and reminder ring slices that wrap around.
/// </summary>
public sealed class ProviderContractTests(PostgresFixture db) : IClassFixture<PostgresFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Membership_rows_follow_the_table_version_and_defunct_rows_are_cleaned_up()
    {
        db.SkipIfUnavailable();
        var clusterId = "contract-" + Guid.NewGuid().ToString("N")[..8];
        var table = new AdoNetClusteringTable(
            new ServiceCollection().BuildServiceProvider(),
            Options.Create(new ClusterOptions { ClusterId = clusterId, ServiceId = "contract" }),
            Options.Create(new AdoNetClusteringSiloOptions { Invariant = OrleansPostgresExtensions.Invariant, ConnectionString = db.ConnectionString }),
            NullLogger<AdoNetClusteringTable>.Instance);
        await table.InitializeMembershipTableAsync(tryInitTableVersion: true, Cancel);

        var empty = await table.ReadAllAsync(Cancel);
        Assert.Empty(empty.Members);
        Assert.Equal(0, empty.Version.Version);

        var now = DateTime.UtcNow;
        var active = Entry(11111, SiloStatus.Active, now);
        Assert.True(await table.InsertRowAsync(active, empty.Version.Next(), Cancel));
        var one = await table.ReadAllAsync(Cancel);
        Assert.Equal(1, one.Version.Version);
        var (read, etag) = Assert.Single(one.Members);
        Assert.Equal((active.SiloAddress, active.SiloName, active.HostName, active.ProxyPort, SiloStatus.Active),
            (read.SiloAddress, read.SiloName, read.HostName, read.ProxyPort, read.Status));
        Assert.Equal(active.StartTime, read.StartTime, TimeSpan.FromMilliseconds(1));
        Assert.Equal(DateTimeKind.Utc, read.IAmAliveTime.Kind);

        // The same silo twice, or anything against a stale version, changes nothing.
        Assert.False(await table.InsertRowAsync(active, one.Version.Next(), Cancel));
        Assert.False(await table.InsertRowAsync(Entry(22222, SiloStatus.Joining, now), empty.Version.Next(), Cancel));
        Assert.False(await table.UpdateRowAsync(active, empty.Version.VersionEtag, empty.Version.Next(), Cancel));
        Assert.Equal(1, (await table.ReadAllAsync(Cancel)).Version.Version);

        // A suspicion round-trips and moves the version; a heartbeat does not.
        read.SuspectTimes = [Tuple.Create(SiloAddress.New(IPAddress.Loopback, 33333, 7), now)];
        Assert.True(await table.UpdateRowAsync(read, etag, one.Version.Next(), Cancel));
        read.IAmAliveTime = now.AddSeconds(5);
        await table.UpdateIAmAliveAsync(read, Cancel);
        var two = await table.ReadRowAsync(active.SiloAddress, Cancel);
        Assert.Equal(2, two.Version.Version);
        var (suspected, _) = Assert.Single(two.Members);
        var vote = Assert.Single(suspected.SuspectTimes!);
        Assert.Equal(33333, vote.Item1.Endpoint.Port);
        Assert.Equal(now.AddSeconds(5), suspected.IAmAliveTime, TimeSpan.FromMilliseconds(1));

        // A row of a silo that is not there reads as the version alone.
        var missing = await table.ReadRowAsync(SiloAddress.New(IPAddress.Loopback, 44444, 1), Cancel);
        Assert.Empty(missing.Members);
        Assert.Equal(2, missing.Version.Version);

        // Cleanup drops dead and stuck rows silent since the cutoff, never active ones.
        var longAgo = now.AddDays(-10);
        Assert.True(await table.InsertRowAsync(Entry(50001, SiloStatus.Dead, longAgo), two.Version.Next(), Cancel));
        var three = await table.ReadAllAsync(Cancel);
        Assert.True(await table.InsertRowAsync(Entry(50002, SiloStatus.Joining, longAgo), three.Version.Next(), Cancel));
        var four = await table.ReadAllAsync(Cancel);
        Assert.True(await table.InsertRowAsync(Entry(50003, SiloStatus.Dead, now), four.Version.Next(), Cancel));
        var silentActive = Entry(50004, SiloStatus.Active, longAgo);
        Assert.True(await table.InsertRowAsync(silentActive, (await table.ReadAllAsync(Cancel)).Version.Next(), Cancel));

        await table.CleanupDefunctSiloEntriesAsync(now.AddDays(-7), Cancel);

        var ports = (await table.ReadAllAsync(Cancel)).Members.Select(m => m.Item1.SiloAddress.Endpoint.Port).Order();
        Assert.Equal([11111, 50003, 50004], ports);

        // Clients see the active silos with a gateway.
        var gateways = new AdoNetGatewayListProvider(
            NullLogger<AdoNetGatewayListProvider>.Instance,
            new ServiceCollection().BuildServiceProvider(),
            Options.Create(new AdoNetClusteringClientOptions { Invariant = OrleansPostgresExtensions.Invariant, ConnectionString = db.ConnectionString }),
            Options.Create(new GatewayOptions()),
            Options.Create(new ClusterOptions { ClusterId = clusterId, ServiceId = "contract" }));
        await gateways.InitializeGatewayListProviderAsync(Cancel);
        var uris = await gateways.GetGatewaysAsync(Cancel);
        Assert.Equal([active.ProxyPort, silentActive.ProxyPort], uris.Select(u => u.Port).Order());

        // Forgetting the cluster removes its version and silo rows.
        await table.DeleteMembershipTableEntriesAsync(clusterId, Cancel);
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM orleans_silo WHERE deployment_id = $1", clusterId));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM orleans_cluster_version WHERE deployment_id = $1", clusterId));
    }

    [Fact]
    public async Task Reminders_round_trip_and_every_ring_slice_returns_exactly_its_grains()
    {
        db.SkipIfUnavailable();
        var serviceId = "contract-" + Guid.NewGuid().ToString("N")[..8];
        // The provider's table class is internal: take it the way a silo does, from its registration.
        var services = new ServiceCollection();
        services.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = ("contract", serviceId));
        services.UseAdoNetReminderService(o => o.Configure(options =>
            (options.Invariant, options.ConnectionString) = (OrleansPostgresExtensions.Invariant, db.ConnectionString)));
        await using var provider = services.BuildServiceProvider();
        var table = provider.GetRequiredService<IReminderTable>();
        await table.StartAsync(Cancel);

        var start = DateTime.UtcNow;
        var grains = Enumerable.Range(0, 64).Select(i => GrainId.Create("study", $"1.2.826.0.1.3680043.8.498.{i}")).ToList();
        foreach (var (grain, i) in grains.Select((g, i) => (g, i)))
        {
            var etag = await table.UpsertRow(new ReminderEntry
            {
                GrainId = grain, ReminderName = "lifecycle", StartAt = start, Period = TimeSpan.FromMinutes(i + 1),
            }, Cancel);
            Assert.Equal("0", etag);
        }

        // Re-registering moves the ETag; a long period (over int.MaxValue ms) survives.
        var longPeriod = TimeSpan.FromDays(40);
        var etag1 = await table.UpsertRow(new ReminderEntry { GrainId = grains[0], ReminderName = "lifecycle", StartAt = start, Period = longPeriod }, Cancel);
        Assert.Equal("1", etag1);
        var row = await table.ReadRow(grains[0], "lifecycle", Cancel);
        Assert.NotNull(row);
        Assert.Equal((grains[0], longPeriod, "1"), (row.GrainId, row.Period, row.ETag));
        Assert.Equal(start, row.StartAt, TimeSpan.FromMilliseconds(1));
        Assert.Single((await table.ReadRows(grains[1], Cancel)).Reminders);

        (uint Begin, uint End)[] slices =
        [
            (0, 0x8000_0000), (0x8000_0000, 0), (0x4000_0000, 0xC000_0000), (0xC000_0000, 0x4000_0000),
            (0x7FFF_FFFF, 0x8000_0001), (0x1000_0000, 0x2000_0000), (0xF000_0000, 0x1000_0000), (0x1234_5678, 0x1234_5678),
        ];
        foreach (var (begin, end) in slices)
        {
            var expected = grains.Where(g => InSlice(g.GetUniformHashCode(), begin, end)).Order().ToList();
            var actual = (await table.ReadRows(begin, end, Cancel)).Reminders.Select(r => r.GrainId).Order().ToList();
            Assert.True(expected.SequenceEqual(actual), $"slice ({begin:X8}, {end:X8}]: expected {expected.Count}, got {actual.Count}");
        }

        // Removal checks the ETag.
        Assert.False(await table.RemoveRow(grains[0], "lifecycle", "0", Cancel));
        Assert.True(await table.RemoveRow(grains[0], "lifecycle", "1", Cancel));
        Assert.Null(await table.ReadRow(grains[0], "lifecycle", Cancel));

        await table.TestOnlyClearTable(Cancel);
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM orleans_reminder WHERE service_id = $1", serviceId));
    }

    /// <summary>Orleans' ring slice (begin, end]: wraps past uint.MaxValue when begin >= end.</summary>
    private static bool InSlice(uint hash, uint begin, uint end) =>
        begin < end ? hash > begin && hash <= end : hash > begin || hash <= end;

    private static MembershipEntry Entry(int port, SiloStatus status, DateTime time) => new()
    {
        SiloAddress = SiloAddress.New(IPAddress.Loopback, port, 42),
        SiloName = $"silo-{port}",
        HostName = "contract-host",
        Status = status,
        ProxyPort = port + 1000,
        StartTime = time,
        IAmAliveTime = time,
    };

    private async Task<long> CountAsync(string sql, string argument)
    {
        await using var command = db.DataSource.CreateCommand(sql);
        command.Parameters.AddWithValue(argument);
        return (long)(await command.ExecuteScalarAsync(Cancel))!;
    }
}
