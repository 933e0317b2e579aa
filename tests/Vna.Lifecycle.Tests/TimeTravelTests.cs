using Microsoft.Extensions.DependencyInjection;
using Vna.Core;

namespace Vna.Lifecycle.Tests;

/// <summary>
/// Years on a fake clock under the shipped policies, without S3: the moves the default policy asks for are deferred (the
/// tiers are not configured), expiry rejects the study after ten years and purges it after the grace period; a held study
/// goes through the same years untouched.
/// </summary>
public sealed class TimeTravelTests
{
    [Fact]
    public async Task A_study_is_rejected_at_ten_years_and_purged_after_its_grace_while_a_held_study_is_untouched()
    {
        var ct = TestContext.Current.CancellationToken;
        // A deferred move is looked at again a year later (the default, six hours, would make this walk thousands of steps).
        await using var archive = await LifecycleHarness.StartAsync(ct, o => o.DeferredRetry = TimeSpan.FromDays(365));
        await archive.ActivateShippedPoliciesAsync(ct);
        var expiring = await archive.IngestAsync(1, ct);
        var held = await archive.IngestAsync(2, ct);
        var a = expiring[0].StudyInstanceUid;
        var b = held[0].StudyInstanceUid;
        var hold = await archive.Holds.PlaceAsync(b, null, null, "litigation 2026-17", "user:counsel", ct);

        // Ingest scheduled the first step: the move to warm 90 days after the last access (= ingest).
        var status = await archive.Lifecycle(a).GetLifecycleAsync();
        Assert.Equal(LifecycleHarness.Start.AddDays(90), status.NextDueAt);
        Assert.Equal("default (default@2026.1)", status.Rule);

        // Day 90: the move falls due; the tiers are not configured here, so it is deferred (no failure, no audit of a move).
        status = await archive.EvaluateAtAsync(a, LifecycleHarness.Start.AddDays(90));
        Assert.Equal("deferred:warm", status.LastStep);
        Assert.Equal(0, status.Failures);
        Assert.Equal(StudyLifecycleState.Active, status.State);

        // Walk the years: evaluate both studies at every due time until the expiring one is purged.
        var walked = 0;
        while (status.State != StudyLifecycleState.Purged && walked++ < 50)
        {
            var next = status.NextDueAt ?? throw new InvalidOperationException("nothing scheduled for a study that should expire");
            status = await archive.EvaluateAtAsync(a, next);
            var other = await archive.EvaluateAtAsync(b, archive.Clock.GetUtcNow());
            Assert.Equal(StudyLifecycleState.Active, other.State);
            if (status.State == StudyLifecycleState.Rejected && status.LastStep == "reject")
            {
                // Ten years after the study date: hidden from queries, still on disk, purge after 30 days of grace.
                Assert.Equal(new DateTimeOffset(2036, 1, 5, 0, 0, 0, TimeSpan.Zero), archive.Clock.GetUtcNow());
                Assert.Equal((int)StudyLifecycleState.Rejected, await archive.IndexStateAsync(a, ct));
                Assert.True(archive.AllOnDisk(expiring));
                Assert.Equal(archive.Clock.GetUtcNow().AddDays(30), status.NextDueAt);
                Assert.True(other.BlockedByHold);
            }
        }

        Assert.Equal(StudyLifecycleState.Purged, status.State);
        Assert.Equal(new DateTimeOffset(2036, 2, 4, 0, 0, 0, TimeSpan.Zero), status.PurgedAt);
        Assert.True(archive.NoneOnDisk(expiring));
        Assert.Null(await archive.IndexStateAsync(a, ct));
        Assert.Empty(await archive.Index.GetStudyInstancesAsync(a, ct));
        Assert.Null(status.NextDueAt);

        // The held study: every file, every row, visible, years after its own expiry date.
        Assert.True(archive.AllOnDisk(held));
        Assert.Equal(0, await archive.IndexStateAsync(b, ct));
        Assert.Equal(2, (await archive.Index.GetStudyInstancesAsync(b, ct)).Count);
        var heldStatus = await archive.Lifecycle(b).EvaluateAsync();
        Assert.True(heldStatus.OnLegalHold);
        Assert.True(heldStatus.BlockedByHold);

        // The trail: the rejection and the purge of A, each with the policy version; nothing destructive for B.
        var trailA = await archive.AuditActionsAsync(a, ct);
        Assert.Equal(["reject", "purge"], trailA);
        var trailB = await archive.AuditActionsAsync(b, ct);
        Assert.Equal(["hold-placed"], trailB);
        var purge = (await archive.Audit.ListAsync(new Index.Postgres.AuditQuery { StudyInstanceUid = a, Action = "purge" }, ct)).Single();
        Assert.Contains("default@2026.1", purge.Record.PolicyVersion, StringComparison.Ordinal);
        Assert.Contains("rule 'default'", purge.Record.Reason, StringComparison.Ordinal);
        Assert.Null(await archive.Audit.VerifyAsync(ct));

        // Released, the held study expires at its next evaluation (its ten years are long past).
        await archive.Holds.ReleaseAsync(hold.HoldId, "case closed", "user:counsel", ct);
        var released = await archive.Lifecycle(b).GetLifecycleAsync();
        Assert.Equal(StudyLifecycleState.Rejected, released.State);
        Assert.Equal(["hold-placed", "hold-released", "reject"], await archive.AuditActionsAsync(b, ct));
    }

    [Fact]
    public async Task A_patient_hold_covers_every_study_of_the_patient_and_a_study_sent_later()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var archive = await LifecycleHarness.StartAsync(ct);
        await archive.ActivateShippedPoliciesAsync(ct);
        var first = await archive.IngestAsync(7, ct);
        var patientId = first[0].Attributes.PatientId;
        await archive.Holds.PlaceAsync(null, patientId, "", "regulator's inquiry", "user:counsel", ct);
        var later = await archive.IngestAsync(7, ct); // the same synthetic patient, a new study
        Assert.Equal(patientId, later[0].Attributes.PatientId);

        var years = LifecycleHarness.Start.AddYears(40);
        foreach (var uid in new[] { first[0].StudyInstanceUid, later[0].StudyInstanceUid })
        {
            var status = await archive.EvaluateAtAsync(uid, years);
            Assert.Equal(StudyLifecycleState.Active, status.State);
            Assert.True(status.OnLegalHold);
            Assert.True(status.BlockedByHold);
        }

        Assert.True(archive.AllOnDisk(first));
        Assert.True(archive.AllOnDisk(later));
        var holds = await archive.Store.ListHoldsAsync(includeReleased: false, ct);
        Assert.Equal("patient", Assert.Single(holds).Scope);
    }

    [Fact]
    public async Task Last_access_postpones_the_steps_counted_from_it()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var archive = await LifecycleHarness.StartAsync(ct);
        await archive.ActivateShippedPoliciesAsync(ct);
        var study = await archive.IngestAsync(3, ct);
        var uid = study[0].StudyInstanceUid;
        var recorder = archive.Services.GetRequiredService<BufferedStudyAccessRecorder>();

        // Day 80: someone reads an instance (through the content source every retrieval front end uses).
        archive.Clock.SetUtcNow(LifecycleHarness.Start.AddDays(80));
        var content = archive.Services.GetRequiredService<Core.IInstanceContentSource>();
        await using (var opened = await content.OpenAsync(study[1], TimeSpan.Zero, ct))
        {
            Assert.IsType<AccessRecordingContentSource>(content);
        }

        Assert.Equal(1, await recorder.FlushAsync(ct));

        var status = await archive.EvaluateAtAsync(uid, LifecycleHarness.Start.AddDays(90));
        Assert.Null(status.LastStep);
        Assert.Equal(LifecycleHarness.Start.AddDays(170), status.NextDueAt);
        Assert.Equal(LifecycleHarness.Start.AddDays(80), await archive.Store.GetLastAccessAsync(uid, ct));
    }
}
