using Vna.Archive.Grains;
using Vna.Core;

namespace Vna.Lifecycle.Tests;

/// <summary>
/// The policy a study comes under follows what its instances say as they arrive in later batches (the study grain keeps
/// its policy facts as instances are added, and rebuilds them when a copy is replaced).
/// </summary>
public sealed class IngestFactsTests
{
    [Fact]
    public async Task A_study_that_gains_a_mammogram_later_comes_under_the_mammography_rule_and_leaves_it_when_the_copy_is_replaced()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var archive = await LifecycleHarness.StartAsync(ct);
        await archive.ActivateShippedPoliciesAsync(ct);
        var stored = await archive.IngestAsync(31, ct);
        var uid = stored[0].StudyInstanceUid;
        var grain = archive.Grains.GetGrain<IStudyGrain>(uid);
        Assert.Equal("default (default@2026.1)", (await archive.Lifecycle(uid).GetLifecycleAsync()).Rule);

        // A later batch of the same study: one more instance, a mammogram.
        var mammogram = stored[0] with
        {
            Attributes = stored[0].Attributes with { SopInstanceUid = stored[0].SopInstanceUid + ".9", Modality = "MG" },
            Sha256 = new string('a', 64),
        };
        var added = await grain.RegisterAsync([mammogram], (int)DuplicatePolicy.Reject);
        Assert.Equal(RegistrationOutcome.Registered, Assert.Single(added).Outcome);
        Assert.Equal("mammography (mammography@2026.1)", (await archive.Lifecycle(uid).GetLifecycleAsync()).Rule);

        // The mammogram's copy replaced by one that says CT: nothing in the study is MG any more.
        var corrected = mammogram with { Attributes = mammogram.Attributes with { Modality = "CT" }, Sha256 = new string('b', 64) };
        var replaced = await grain.RegisterAsync([corrected], (int)DuplicatePolicy.Replace);
        Assert.Equal(RegistrationOutcome.Replaced, Assert.Single(replaced).Outcome);
        Assert.Equal("default (default@2026.1)", (await archive.Lifecycle(uid).GetLifecycleAsync()).Rule);
    }
}
