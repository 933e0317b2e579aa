using Microsoft.Extensions.DependencyInjection;
using Vna.Index.Postgres;
using Vna.Policies;

namespace Vna.Lifecycle.Tests;

/// <summary>Bad input on the policy path, against the real database: nothing is half-applied and the set in force stays.</summary>
public sealed class PolicyActivationTests
{
    private const string ExpireAll = """
        apiVersion: vna.policy/v1
        name: default
        version: "wipe"
        description: Expire everything a day after it arrives.
        default:
          actions:
            - expire: true
              after: 1d
              since: ingest
              grace: 7d
        """;

    [Fact]
    public async Task An_invalid_file_is_refused_with_its_line_and_the_policies_in_force_stay()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var archive = await LifecycleHarness.StartAsync(ct);
        await archive.ActivateShippedPoliciesAsync(ct);
        var before = archive.Catalog.Current.Version;
        var auditBefore = (await archive.Audit.ListAsync(new AuditQuery { Limit = 1000 }, ct)).Count;
        var historyBefore = (await archive.Services.GetRequiredService<PostgresPolicyStore>().HistoryAsync(ct)).Count;

        var broken = File.ReadAllText(Path.Combine(Testing.RepositoryPaths.Root, "policies", "mammography.yaml"))
            .Replace("after: 30y", "after: thirty years", StringComparison.Ordinal);
        var error = await Assert.ThrowsAsync<PolicyValidationException>(() =>
            archive.Catalog.ActivateAsync(broken, "mammography.yaml", "user:officer", null, confirm: true, ct));
        Assert.All(error.Errors, e => Assert.True(e.Line > 0));
        Assert.Contains(error.Errors, e => e.Path == "/rules/0/actions/2/after" && e.Line == 19);
        Assert.Contains("mammography.yaml", error.Message, StringComparison.Ordinal);

        Assert.Equal(before, archive.Catalog.Current.Version);
        Assert.Equal(auditBefore, (await archive.Audit.ListAsync(new AuditQuery { Limit = 1000 }, ct)).Count);
        Assert.Equal(historyBefore, (await archive.Services.GetRequiredService<PostgresPolicyStore>().HistoryAsync(ct)).Count);

        // What the database holds still loads whole (another silo refreshing sees the same set).
        await archive.Catalog.RefreshAsync(ct);
        Assert.Equal(before, archive.Catalog.Current.Version);
        Assert.Equal("mammography", archive.Catalog.Current.Select(new StudyFacts
        {
            StudyInstanceUid = "1.2.3",
            Modalities = ["MG"],
            FirstReceivedAt = LifecycleHarness.Start,
        })!.Name);
    }

    [Fact]
    public async Task A_policy_that_would_expire_everything_is_shown_by_the_preview_and_needs_confirmation()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var archive = await LifecycleHarness.StartAsync(ct);
        await archive.ActivateShippedPoliciesAsync(ct);
        var one = await archive.IngestAsync(11, ct);
        var two = await archive.IngestAsync(12, ct);
        archive.Clock.Advance(TimeSpan.FromDays(3));
        var before = archive.Catalog.Current.Version;

        var preview = await archive.Catalog.PreviewAsync(ExpireAll, "wipe.yaml", days: 30, studyLimit: 100, ct);
        Assert.True(preview.ExpiresEverything);
        Assert.Equal(2, preview.StudiesExpiring);
        Assert.Contains(preview.Today, l => l.Action == "reject" && l.Studies == 2 && l.Bytes == one.Sum(i => i.Size) + two.Sum(i => i.Size));
        Assert.Contains(preview.Window, l => l.Action == "purge" && l.Studies == 2);
        Assert.Equal(4, preview.Steps.Count);

        var refused = await archive.Catalog.ActivateAsync(ExpireAll, "wipe.yaml", "user:officer", null, confirm: false, ct);
        Assert.False(refused.Activated);
        Assert.True(refused.NeedsConfirmation);
        Assert.Equal(before, archive.Catalog.Current.Version);
        Assert.DoesNotContain(await archive.Audit.ListAsync(new AuditQuery { Action = "policy-activated", Limit = 100 }, ct), e => e.Record.PolicyVersion!.Contains("wipe", StringComparison.Ordinal));
        var status = await archive.EvaluateAtAsync(one[0].StudyInstanceUid, archive.Clock.GetUtcNow());
        Assert.Equal(Core.StudyLifecycleState.Active, status.State);

        var confirmed = await archive.Catalog.ActivateAsync(ExpireAll, "wipe.yaml", "user:officer", "retention reset approved by the board", confirm: true, ct);
        Assert.True(confirmed.Activated);
        Assert.Contains("default@wipe", archive.Catalog.Current.Version, StringComparison.Ordinal);
        var activation = (await archive.Audit.ListAsync(new AuditQuery { Action = "policy-activated", Limit = 100 }, ct)).Last();
        Assert.Equal("user:officer", activation.Record.Actor);
        Assert.Equal("retention reset approved by the board", activation.Record.Reason);
        Assert.Contains("\"confirmed\":true", activation.Record.Details, StringComparison.Ordinal);
        Assert.Contains("\"expiresEverything\":true", activation.Record.Details, StringComparison.Ordinal);
        status = await archive.EvaluateAtAsync(one[0].StudyInstanceUid, archive.Clock.GetUtcNow());
        Assert.Equal(Core.StudyLifecycleState.Rejected, status.State);
    }

    [Fact]
    public async Task A_second_default_is_refused_as_a_set()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var archive = await LifecycleHarness.StartAsync(ct);
        await archive.ActivateShippedPoliciesAsync(ct);
        var before = archive.Catalog.Current.Version;
        var other = ExpireAll.Replace("name: default", "name: other-default", StringComparison.Ordinal);
        var error = await Assert.ThrowsAsync<PolicyValidationException>(() => archive.Catalog.ActivateAsync(other, "other.yaml", "user:officer", null, confirm: true, ct));
        Assert.Contains("only one active document may declare a default", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, archive.Catalog.Current.Version);
    }
}
