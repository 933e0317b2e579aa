using Vna.Archive.Tests.Grains;

namespace Vna.Archive.Tests;

/// <summary>Cluster membership through Orleans' ADO.NET clustering provider on Vna's schema.</summary>
[Collection(ClusterCollection.Name)]
public sealed class MembershipTests(ClusterFixture fixture, ITestOutputHelper output)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Silos_join_as_Active_rows_and_one_that_leaves_gracefully_is_marked_Dead()
    {
        fixture.SkipIfUnavailable();
        var cluster = fixture.Cluster;
        output.WriteLine($"TestCluster of 2 silos deployed in {fixture.DeployTime.TotalSeconds:0.0} s");
        var running = cluster.GetActiveSilos().ToList();
        Assert.True(running.Count >= 2, $"{running.Count} silos running");

        // Every running silo has an Active row; no other row is Active.
        var rows = await fixture.WaitForSiloRowsAsync(
            r => running.All(s => r.Exists(x => x.Is(s.SiloAddress) && x.Status == ClusterFixture.Active)),
            Wait, "an Active row for every running silo");
        Assert.Equal(running.Count, rows.Count(x => x.Status == ClusterFixture.Active));

        // A third silo joins.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var third = await cluster.StartAdditionalSiloAsync();
        output.WriteLine($"third silo joined in {clock.Elapsed.TotalSeconds:0.0} s");
        await fixture.WaitForSiloRowsAsync(
            r => r.Exists(x => x.Is(third.SiloAddress) && x.Status == ClusterFixture.Active),
            Wait, "the third silo's row Active");
        Assert.Equal(running.Count + 1, cluster.GetActiveSilos().Count());

        // It leaves gracefully: its row says Dead, the others stay Active.
        clock.Restart();
        await cluster.StopSiloAsync(third, TestContext.Current.CancellationToken);
        output.WriteLine($"third silo stopped gracefully in {clock.Elapsed.TotalSeconds:0.0} s");
        rows = await fixture.WaitForSiloRowsAsync(
            r => r.Exists(x => x.Is(third.SiloAddress) && x.Status == ClusterFixture.Dead),
            Wait, "the third silo's row Dead after a graceful stop");
        Assert.All(running, s => Assert.Contains(rows, x => x.Is(s.SiloAddress) && x.Status == ClusterFixture.Active));

        // The client still reaches the cluster through the gateways in the table.
        var grain = cluster.Client.GetGrain<IStateTestGrain>("membership-" + Guid.NewGuid().ToString("N"));
        await ClusterFixture.RetryAsync(async () => { await grain.SetValueAsync("after the leave", 1); return true; },
            Wait, TimeSpan.FromSeconds(5));
    }
}
