using Vna.Core;

namespace Vna.Policies.Tests;

public sealed class PreviewTests
{
    private const string ExpireAll = """
        apiVersion: vna.policy/v1
        name: default
        version: "purge-all"
        default:
          actions:
            - { expire: true, after: 1d, since: ingest, grace: 7d }
        """;

    [Fact]
    public async Task The_shipped_policies_over_30_days_move_old_unread_studies_and_expire_only_the_oldest()
    {
        var set = await ShippedPolicies.LoadAllAsync(TestContext.Current.CancellationToken);
        var now = Facts.Ingest.AddDays(100);
        var studies = new List<StudyFacts>
        {
            Facts.Study(),                                            // ingested 100 days ago: warm now
            Facts.Study() with { FirstReceivedAt = now.AddDays(-70) }, // warm in 20 days
            Facts.Study(studyDate: "20150101") with { Tier = StorageTier.Cold }, // expired by the default (10 years)
            Facts.Study(modality: "MG", studyDate: "20150101") with { Tier = StorageTier.Cold }, // 30 years: stays
        };
        var report = PolicyPreview.Run(set, studies, now, days: 30);
        Assert.Equal(4, report.ArchiveStudies);
        Assert.Equal(4000, report.ArchiveBytes);
        Assert.Contains(new PreviewLine("move", "hot", "warm", 1, 1000), report.Today);
        Assert.Contains(new PreviewLine("move", "hot", "warm", 2, 2000), report.Window);
        Assert.Contains(new PreviewLine("reject", "cold", null, 1, 1000), report.Today);
        Assert.Contains(new PreviewLine("purge", "cold", null, 1, 1000), report.Window); // 30 days of grace end on the window's last day
        Assert.Equal(1, report.StudiesExpiring);
        Assert.False(report.ExpiresEverything);
        Assert.Equal(report.StepCount, report.Steps.Count);
        Assert.Contains(report.Steps, s => s.StudyInstanceUid == studies[2].StudyInstanceUid && s.Action == "purge" && !s.Today);
    }

    [Fact]
    public void A_policy_that_would_expire_everything_says_so_and_holds_are_left_out()
    {
        var set = PolicySet.Create([PolicyLoader.Parse(ExpireAll)]);
        var now = Facts.Ingest.AddDays(3);
        var studies = Enumerable.Range(0, 10).Select(_ => Facts.Study()).ToList();
        var report = PolicyPreview.Run(set, studies, now, days: 30);
        Assert.True(report.ExpiresEverything);
        Assert.Equal(10, report.StudiesExpiring);
        Assert.Contains(new PreviewLine("reject", "hot", null, 10, 10_000), report.Today);
        Assert.Contains(new PreviewLine("purge", "hot", null, 10, 10_000), report.Window);

        studies[0] = studies[0] with { OnLegalHold = true };
        var held = PolicyPreview.Run(set, studies, now, days: 30);
        Assert.True(held.ExpiresEverything); // every study no hold protects
        Assert.Equal(9, held.StudiesExpiring);
        Assert.Equal(1, held.StudiesHeld);
    }

    [Fact]
    public void The_step_list_is_capped_but_the_count_is_whole()
    {
        var set = PolicySet.Create([PolicyLoader.Parse(ExpireAll)]);
        var studies = Enumerable.Range(0, 50).Select(_ => Facts.Study()).ToList();
        var report = PolicyPreview.Run(set, studies, Facts.Ingest.AddDays(3), days: 0, studyLimit: 10);
        Assert.Equal(10, report.Steps.Count);
        Assert.Equal(50, report.StepCount);
        Assert.DoesNotContain(report.Window, l => l.Action == "purge");
    }
}
