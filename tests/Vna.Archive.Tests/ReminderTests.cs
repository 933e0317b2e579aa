using System.Diagnostics;
using Vna.Archive.Tests.Grains;

namespace Vna.Archive.Tests;

/// <summary>Reminders through Orleans' ADO.NET reminder table on Vna's schema, across a silo failure.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ReminderTests(ClusterFixture fixture, ITestOutputHelper output)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_reminder_fires_and_keeps_firing_on_the_survivor_when_its_silo_is_killed()
    {
        fixture.SkipIfUnavailable();
        var cluster = fixture.Cluster;
        if (cluster.GetActiveSilos().Count() < 2)
        {
            await cluster.StartAdditionalSiloAsync();
        }

        var key = "reminder-" + Guid.NewGuid().ToString("N");
        var grain = cluster.Client.GetGrain<IReminderTestGrain>(key);
        var clock = Stopwatch.StartNew();
        await grain.StartAsync(TestSiloConfigurator.ReminderPeriod);
        Assert.Equal(1, await CountReminderRowsAsync(key));

        // It fires.
        var beforeKill = await WaitForTicksAsync(grain, r => r.Ticks >= 2, "two ticks");
        output.WriteLine($"2 ticks after {clock.Elapsed.TotalSeconds:0.0} s on {beforeKill.HostingSilo}");

        // Kill the silo hosting the grain.
        var host = cluster.GetActiveSilos().Single(s => s.SiloAddress.ToString() == beforeKill.HostingSilo);
        clock.Restart();
        await cluster.KillSiloAsync(host, TestContext.Current.CancellationToken);

        // It keeps firing, now on a survivor.
        var afterKill = await WaitForTicksAsync(grain,
            r => r.Ticks >= beforeKill.Ticks + 2 && r.LastTickSilo is not null && r.LastTickSilo != beforeKill.HostingSilo,
            "two more ticks on a surviving silo");
        output.WriteLine($"{afterKill.Ticks - beforeKill.Ticks} more ticks {clock.Elapsed.TotalSeconds:0.0} s after the kill, on {afterKill.LastTickSilo}");
        Assert.Contains(cluster.GetActiveSilos(), s => s.SiloAddress.ToString() == afterKill.LastTickSilo);

        // The survivors declared the killed silo dead in the membership table.
        await fixture.WaitForSiloRowsAsync(
            r => r.Exists(x => x.Is(host.SiloAddress) && x.Status == ClusterFixture.Dead), Wait, "the killed silo's row Dead");

        // Unregistering deletes the row.
        await ClusterFixture.RetryAsync(async () => { await grain.StopAsync(); return true; }, Wait, TimeSpan.FromSeconds(5));
        Assert.Equal(0, await CountReminderRowsAsync(key));

        // Leave two silos for the other tests of the collection.
        await cluster.StartAdditionalSiloAsync();
    }

    private static async Task<TickReport> WaitForTicksAsync(IReminderTestGrain grain, Func<TickReport, bool> condition, string what)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(Wait.TotalSeconds * Stopwatch.Frequency);
        TickReport? last = null;
        while (Stopwatch.GetTimestamp() < deadline)
        {
            last = await ClusterFixture.RetryAsync(grain.GetTicksAsync, Wait, TimeSpan.FromSeconds(5));
            if (condition(last))
            {
                return last;
            }

            await Task.Delay(200, TestContext.Current.CancellationToken);
        }

        Assert.Fail($"{what}: not seen within {Wait.TotalSeconds:0} s; last report {last}");
        return last!;
    }

    private async Task<long> CountReminderRowsAsync(string key)
    {
        await using var command = fixture.Postgres.DataSource.CreateCommand(
            "SELECT count(*) FROM orleans_reminder WHERE service_id = $1 AND grain_id LIKE '%' || $2");
        command.Parameters.AddWithValue(fixture.ServiceId);
        command.Parameters.AddWithValue(key);
        return (long)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }
}
