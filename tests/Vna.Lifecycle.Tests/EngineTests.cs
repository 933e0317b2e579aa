using Microsoft.Extensions.DependencyInjection;
using Vna.Archive.Lifecycle;
using Vna.Archive.Tiers;
using Vna.Core;
using Vna.Index.Postgres;

namespace Vna.Lifecycle.Tests;

/// <summary>The engine's own behaviour: parking a study that keeps failing, the bound on concurrent moves, reminders that fire.</summary>
public sealed class EngineTests
{
    private const string WarmAfterADay = """
        apiVersion: vna.policy/v1
        name: default
        version: "t1"
        default:
          actions:
            - { move: warm, after: 1d, since: ingest }
        """;

    private const string ExpireAfterADay = """
        apiVersion: vna.policy/v1
        name: default
        version: "t2"
        default:
          actions:
            - { expire: true, after: 1d, since: ingest, grace: 1d }
        """;

    [Fact]
    public async Task A_study_that_keeps_failing_is_parked_and_reported_never_retried_in_a_tight_loop()
    {
        var ct = TestContext.Current.CancellationToken;
        var mover = new ScriptedMover { Fail = true };
        await using var archive = await LifecycleHarness.StartAsync(ct, o => o.MaxFailures = 3, s => s.AddSingleton<IStudyTierMover>(mover));
        await archive.Catalog.ActivateAsync(WarmAfterADay, "t.yaml", "user:officer", null, confirm: false, ct);
        var study = await archive.IngestAsync(21, ct);
        var uid = study[0].StudyInstanceUid;

        var status = await archive.EvaluateAtAsync(uid, LifecycleHarness.Start.AddDays(1));
        Assert.Equal("failed:move", status.LastStep);
        Assert.Equal(1, status.Failures);
        Assert.Equal(archive.Clock.GetUtcNow().AddMinutes(5), status.NextDueAt);

        // Evaluating again before the retry time does not try again.
        status = await archive.EvaluateAtAsync(uid, archive.Clock.GetUtcNow().AddMinutes(1));
        Assert.Null(status.LastStep);
        Assert.Equal(1, mover.Copies);

        status = await archive.EvaluateAtAsync(uid, status.NextDueAt!.Value);
        Assert.Equal(2, status.Failures);
        Assert.Equal(archive.Clock.GetUtcNow().AddMinutes(10), status.NextDueAt); // backoff doubles
        status = await archive.EvaluateAtAsync(uid, status.NextDueAt!.Value);
        Assert.Equal("parked", status.LastStep);
        Assert.NotNull(status.ParkedAt);
        Assert.Null(status.NextDueAt);
        Assert.Contains("IOException", status.LastError, StringComparison.Ordinal);

        // Parked: later evaluations do nothing; the study is reported; it stays readable where it was.
        status = await archive.EvaluateAtAsync(uid, archive.Clock.GetUtcNow().AddDays(30));
        Assert.Equal("parked", status.LastStep);
        Assert.Equal(3, mover.Copies);
        var parked = Assert.Single(await archive.Store.ListParkedAsync(ct));
        Assert.Equal(uid, parked.StudyInstanceUid);
        Assert.Equal(3, parked.Failures);
        Assert.True(archive.AllOnDisk(study));
        Assert.All(await archive.Index.GetStudyInstancesAsync(uid, ct), i => Assert.Equal(StorageTier.Hot, i.Tier));
        Assert.Equal(["migrate", "lifecycle-failed", "migrate", "lifecycle-failed", "migrate", "lifecycle-parked"], await archive.AuditActionsAsync(uid, ct));

        // An operator's retry: the move is tried once more; once the store works it completes and the report clears.
        mover.Fail = false;
        status = await archive.Lifecycle(uid).RetryAsync();
        Assert.Equal("move:warm", status.LastStep);
        Assert.Equal(0, status.Failures);
        Assert.Null(status.ParkedAt);
        Assert.Empty(await archive.Store.ListParkedAsync(ct));
        Assert.All(await archive.Index.GetStudyInstancesAsync(uid, ct), i => Assert.Equal(StorageTier.Warm, i.Tier));
    }

    [Fact]
    public async Task The_coordinator_bounds_concurrent_moves_and_defers_the_rest()
    {
        var ct = TestContext.Current.CancellationToken;
        var mover = new ScriptedMover { Hold = true };
        await using var archive = await LifecycleHarness.StartAsync(ct, o => o.MaxConcurrentMigrations = 1, s => s.AddSingleton<IStudyTierMover>(mover));
        await archive.Catalog.ActivateAsync(WarmAfterADay, "t.yaml", "user:officer", null, confirm: false, ct);
        var a = (await archive.IngestAsync(31, ct))[0].StudyInstanceUid;
        var b = (await archive.IngestAsync(32, ct))[0].StudyInstanceUid;
        archive.Clock.SetUtcNow(LifecycleHarness.Start.AddDays(1));

        var first = archive.Lifecycle(a).EvaluateAsync();
        await mover.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30), ct);
        var second = await archive.Lifecycle(b).EvaluateAsync();
        Assert.Equal("busy:warm", second.LastStep);
        Assert.Equal(archive.Clock.GetUtcNow().AddMinutes(2), second.NextDueAt);
        Assert.Equal(0, second.Failures);

        mover.Release();
        Assert.Equal("move:warm", (await first).LastStep);
        var coordinator = archive.Services.GetRequiredService<LifecycleCoordinator>();
        Assert.Equal(1, coordinator.Peak);
        Assert.Equal(0, coordinator.Running);
        Assert.True(coordinator.Refused >= 1);

        var retried = await archive.EvaluateAtAsync(b, second.NextDueAt!.Value);
        Assert.Equal("move:warm", retried.LastStep);
    }

    [Fact]
    public async Task The_reminder_fires_and_the_study_is_rejected_without_anyone_asking()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var archive = await LifecycleHarness.StartAsync(ct, o =>
        {
            o.MinReminderDelay = TimeSpan.FromSeconds(1);
            o.MaxReminderDelay = TimeSpan.FromSeconds(2);
        });
        await archive.Catalog.ActivateAsync(ExpireAfterADay, "t.yaml", "user:officer", null, confirm: false, ct);
        var uid = (await archive.IngestAsync(41, ct))[0].StudyInstanceUid;
        Assert.Equal(0, await archive.IndexStateAsync(uid, ct));

        // Two days pass on the lifecycle's clock; Orleans' reminder (real time, capped at 2 s) wakes the grain.
        archive.Clock.Advance(TimeSpan.FromDays(2));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await archive.IndexStateAsync(uid, ct) != (int)StudyLifecycleState.Rejected && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250, ct);
        }

        Assert.Equal((int)StudyLifecycleState.Rejected, await archive.IndexStateAsync(uid, ct));
        var reject = Assert.Single(await archive.Audit.ListAsync(new AuditQuery { StudyInstanceUid = uid, Action = "reject" }, ct));
        Assert.Equal("system:lifecycle", reject.Record.Actor);
        Assert.Equal("default@t2", reject.Record.PolicyVersion);
    }
}
