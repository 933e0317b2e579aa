using Microsoft.Extensions.DependencyInjection;
using Vna.Core;
using Vna.Dicom;

namespace Vna.Tiers.Tests;

/// <summary>The archive's record rebuilt from the buckets alone, into an empty database.</summary>
public sealed class RebuildTests
{
    [Fact(Timeout = 180_000)]
    public async Task The_index_is_rebuilt_from_the_buckets_alone()
    {
        var ct = TestContext.Current.CancellationToken;
        var admin = await Postgres.RequireAsync();
        var s3 = await S3Server.NewBucketsAsync(await S3Server.RequireAsync(), ct);
        IReadOnlyList<StoredInstance> warm;
        IReadOnlyList<StoredInstance> cold;
        await using (var before = await TierHarness.StartAsync(admin, s3, ct))
        {
            warm = await before.IngestAsync(4, 2, 3, ct);
            cold = await before.IngestAsync(5, 1, 4, ct);
            await before.Study(warm[0].StudyInstanceUid).MoveToTierAsync(StorageTier.Warm, null, "test");
            await before.Study(cold[0].StudyInstanceUid).MoveToTierAsync(StorageTier.Cold, null, "test");
            // Something in the bucket that is not a manifest of ours: reported, the rest still rebuilt.
            await before.Store.PutBytesAsync(s3.WarmBucket, "studies/1.2.3/manifest.json", "{not json"u8.ToArray(), "application/json", null, ct);
        } // the database and the hot tier are gone with it

        await using var after = await TierHarness.StartAsync(admin, s3, ct);
        Assert.Null(await after.Index.FindInstanceAsync(warm[0].SopInstanceUid, ct));

        var report = await after.Services.GetRequiredService<IndexRebuilder>().RebuildAsync(verify: true, ct);

        Assert.Equal((2, 10, 1, 1), (report.Studies, report.Instances, report.WarmStudies, report.ColdStudies));
        Assert.Contains(report.Problems, p => p.Contains("studies/1.2.3/manifest.json", StringComparison.Ordinal));
        foreach (var original in warm.Concat(cold))
        {
            var found = await after.Index.FindInstanceAsync(original.SopInstanceUid, ct);
            Assert.NotNull(found);
            Assert.Equal((original.Sha256, original.Size, original.Attributes), (found.Sha256, found.Size, found.Attributes));
        }

        Assert.Equal("ONLINE", await after.AvailabilityAsync(warm[0].StudyInstanceUid, ct));
        Assert.Equal("NEARLINE", await after.AvailabilityAsync(cold[0].StudyInstanceUid, ct));
        var identifier = new DicomDataset();
        identifier.AddOrUpdate(DicomTag.PatientID, DicomVR.LO, "SYN000004");
        identifier.AddOrUpdate(DicomTag.NumberOfStudyRelatedInstances, DicomVR.IS, string.Empty);
        var match = Assert.Single((await after.Index.QueryAsync(new IndexQuery { Level = QueryLevel.Study, Identifier = identifier }, ct)).Matches);
        Assert.Equal("6", match.GetString(DicomTag.NumberOfStudyRelatedInstances));
        var summary = await after.Grains.GetGrain<Vna.Archive.Grains.IStudyGrain>(warm[0].StudyInstanceUid).GetSummaryAsync();
        Assert.Equal((6, 2), (summary!.InstanceCount, summary.SeriesCount));

        Assert.Equal([StorageTier.Warm], await after.ReadAllAsync(warm, TimeSpan.Zero, ct));
        Assert.Equal([StorageTier.Cold, StorageTier.Hot], await after.ReadAllAsync(cold, TimeSpan.FromMinutes(1), ct));
    }
}
