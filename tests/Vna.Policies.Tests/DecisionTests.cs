using Vna.Core;

namespace Vna.Policies.Tests;

public sealed class DecisionTests
{
    [Fact]
    public async Task A_default_study_walks_hot_warm_cold_rejected_purged_over_its_years()
    {
        var set = await ShippedPolicies.LoadAllAsync(TestContext.Current.CancellationToken);
        var study = Facts.Study();
        var now = Facts.Ingest;

        var first = set.Decide(study, now);
        Assert.Equal(LifecycleStepKind.None, first.Due);
        Assert.Equal(Facts.Ingest.AddDays(90), first.NextAt);

        var warm = set.Decide(study, Facts.Ingest.AddDays(90));
        Assert.Equal(LifecycleStepKind.Move, warm.Due);
        Assert.Equal(StorageTier.Warm, warm.Target);
        Assert.Equal(TransferSyntaxNames.HtJpeg2000Lossless, warm.TransferSyntaxUid);
        study = study with { Tier = StorageTier.Warm };

        var cold = set.Decide(study, warm.NextAt!.Value);
        Assert.Equal(LifecycleStepKind.Move, cold.Due);
        Assert.Equal(StorageTier.Cold, cold.Target);
        Assert.Equal(Facts.Ingest.AddYears(2), warm.NextAt); // the later of study date and last access (ingest, 09:00)
        study = study with { Tier = StorageTier.Cold };

        var reject = set.Decide(study, cold.NextAt!.Value);
        Assert.Equal(new DateTimeOffset(2036, 1, 5, 0, 0, 0, TimeSpan.Zero), cold.NextAt);
        Assert.Equal(LifecycleStepKind.Reject, reject.Due);
        study = study with { State = StudyLifecycleState.Rejected, RejectedAt = cold.NextAt };

        var waiting = set.Decide(study, cold.NextAt.Value.AddDays(29));
        Assert.Equal(LifecycleStepKind.None, waiting.Due);
        Assert.Equal(cold.NextAt.Value.AddDays(30), waiting.NextAt);
        Assert.Equal(LifecycleStepKind.Purge, set.Decide(study, waiting.NextAt!.Value).Due);
    }

    [Fact]
    public async Task A_held_study_still_moves_but_is_never_rejected_or_purged()
    {
        var set = await ShippedPolicies.LoadAllAsync(TestContext.Current.CancellationToken);
        var study = Facts.Study(tier: StorageTier.Cold) with { OnLegalHold = true };
        var decision = set.Decide(study, Facts.Ingest.AddYears(40));
        Assert.Equal(LifecycleStepKind.None, decision.Due);
        Assert.True(decision.BlockedByHold);
        Assert.Null(decision.NextAt);

        var rejected = study with { State = StudyLifecycleState.Rejected, RejectedAt = Facts.Ingest.AddYears(10) };
        Assert.Equal(LifecycleStepKind.None, set.Decide(rejected, Facts.Ingest.AddYears(40)).Due);
        Assert.Equal(LifecycleStepKind.Move, set.Decide(Facts.Study() with { OnLegalHold = true }, Facts.Ingest.AddYears(40)).Due);
    }

    [Fact]
    public async Task Pediatric_retention_counts_from_the_18th_birthday()
    {
        var set = await ShippedPolicies.LoadAllAsync(TestContext.Current.CancellationToken);
        var child = Facts.Study(birthDate: "20110301", tier: StorageTier.Cold);
        var decision = set.Decide(child, Facts.Ingest);
        Assert.Equal("pediatric", decision.Rule!.Name);
        Assert.Equal(new DateTimeOffset(2036, 3, 1, 0, 0, 0, TimeSpan.Zero), decision.NextAt);
    }

    [Fact]
    public async Task Last_access_postpones_the_move_to_warm()
    {
        var set = await ShippedPolicies.LoadAllAsync(TestContext.Current.CancellationToken);
        var read = Facts.Study() with { LastAccessAt = Facts.Ingest.AddDays(80) };
        Assert.Equal(LifecycleStepKind.None, set.Decide(read, Facts.Ingest.AddDays(90)).Due);
        Assert.Equal(Facts.Ingest.AddDays(170), set.Decide(read, Facts.Ingest.AddDays(90)).NextAt);
    }

    [Fact]
    public async Task A_rejected_study_the_policies_no_longer_expire_is_restored()
    {
        var set = await ShippedPolicies.LoadAllAsync(TestContext.Current.CancellationToken);
        var mg = Facts.Study(modality: "MG", tier: StorageTier.Cold) with { State = StudyLifecycleState.Rejected, RejectedAt = Facts.Ingest.AddYears(10) };
        Assert.Equal(LifecycleStepKind.Restore, set.Decide(mg, Facts.Ingest.AddYears(10).AddDays(1)).Due);
    }

    [Fact]
    public void Without_policies_nothing_is_ever_due()
    {
        var decision = PolicySet.Empty.Decide(Facts.Study(), Facts.Ingest.AddYears(100));
        Assert.Equal(LifecycleStepKind.None, decision.Due);
        Assert.Null(decision.NextAt);
    }

    [Theory]
    [InlineData("20240229", "20250228", 0)]
    [InlineData("20240229", "20250301", 1)]
    [InlineData("19700615", "20260614", 55)]
    [InlineData("19700615", "20260615", 56)]
    public void Patient_age_at_the_study_is_in_whole_years(string birth, string study, int age)
    {
        var facts = Facts.Study(birthDate: birth, studyDate: study);
        Assert.Equal(age, facts.PatientAgeAtStudy());
    }
}
