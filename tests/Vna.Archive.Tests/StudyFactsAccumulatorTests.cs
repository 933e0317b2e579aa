using Vna.Archive.Grains;
using Vna.Core;

namespace Vna.Archive.Tests;

/// <summary>The policy facts a study grain keeps as instances are added are those a walk over all its instances gives.</summary>
public sealed class StudyFactsAccumulatorTests
{
    [Fact]
    public void Values_are_distinct_whatever_their_case_upper_cased_and_in_the_order_first_seen()
    {
        var facts = StudyFactsAccumulator.From(
        [
            Instance("1", "ct", "chest", "1.2.840.10008.5.1.4.1.1.2", StorageTier.Warm),
            Instance("2", "CT", "", "1.2.840.10008.5.1.4.1.1.2", StorageTier.Cold),
            Instance("3", "MG", "Breast", "1.2.840.10008.5.1.4.1.1.1.2", StorageTier.Warm),
            Instance("4", "", "CHEST", "1.2.840.10008.5.1.4.1.1.2", StorageTier.Cold),
        ]);

        Assert.Equal(["CT", "MG"], facts.Modalities);
        Assert.Equal(["CHEST", "BREAST"], facts.BodyParts);
        Assert.Equal(["1.2.840.10008.5.1.4.1.1.2", "1.2.840.10008.5.1.4.1.1.1.2"], facts.SopClasses);
        Assert.Equal("1", facts.First!.SopInstanceUid);
        Assert.Equal(StorageTier.Warm, facts.LowestTier);
    }

    [Fact]
    public void Adding_instances_one_by_one_gives_what_a_walk_over_all_of_them_gives()
    {
        var all = Enumerable.Range(0, 40)
            .Select(i => Instance(i.ToString(System.Globalization.CultureInfo.InvariantCulture), (i % 3) switch { 0 => "CT", 1 => "sr", _ => "" }, i % 5 == 0 ? "HEAD" : "", $"1.2.3.{i % 4}", i == 37 ? StorageTier.Hot : StorageTier.Cold))
            .ToArray();
        var incremental = StudyFactsAccumulator.From(all.Take(1));
        foreach (var instance in all.Skip(1))
        {
            incremental.Add(instance);
        }

        var walked = StudyFactsAccumulator.From(all);
        Assert.Equal(walked.Modalities, incremental.Modalities);
        Assert.Equal(walked.BodyParts, incremental.BodyParts);
        Assert.Equal(walked.SopClasses, incremental.SopClasses);
        Assert.Same(walked.First, incremental.First);
        Assert.Equal(StorageTier.Hot, incremental.LowestTier);
        Assert.Equal(["CT", "SR"], incremental.Modalities);
    }

    [Fact]
    public void No_instances_give_empty_facts_on_the_coldest_tier()
    {
        var facts = StudyFactsAccumulator.From([]);
        Assert.Empty(facts.Modalities);
        Assert.Null(facts.First);
        Assert.Equal(StorageTier.Cold, facts.LowestTier);
    }

    private static StoredInstance Instance(string sop, string modality, string bodyPart, string sopClass, StorageTier tier) => new()
    {
        Attributes = new InstanceAttributes
        {
            StudyInstanceUid = "1.2.3",
            SeriesInstanceUid = "1.2.3.1",
            SopInstanceUid = sop,
            SopClassUid = sopClass,
            Modality = modality,
            BodyPartExamined = bodyPart,
        },
        TransferSyntaxUid = "1.2.840.10008.1.2.1",
        Size = 1,
        Sha256 = new string('0', 64),
        Tier = tier,
        Location = "hot/" + sop,
        SourceDepartment = "radiology",
        ReceivedAt = DateTimeOffset.UnixEpoch,
    };
}
