using System.Text.Json;
using Vna.Core;
using Vna.Storage.Warm;

namespace Vna.Tiers.Tests;

/// <summary>
/// A study's life across the tiers in one archive (in-process silo, real PostgreSQL index, real Ceph RGW), with the tiers'
/// clock faked so years pass: hot → warm → cold → recall, read back through <see cref="IInstanceContentSource"/> at every
/// step, Instance Availability as C-FIND/QIDO see it, the buckets' contents and the move journal.
/// </summary>
public sealed class TierLifecycleTests
{
    [Fact(Timeout = 180_000)]
    public async Task A_study_walks_hot_warm_cold_and_back_readable_at_every_step()
    {
        var ct = TestContext.Current.CancellationToken;
        var admin = await Postgres.RequireAsync();
        var s3 = await S3Server.NewBucketsAsync(await S3Server.RequireAsync(), ct);
        await using var archive = await TierHarness.StartAsync(admin, s3, ct);
        var study = await archive.IngestAsync(1, 2, 5, ct);
        var uid = study[0].StudyInstanceUid;

        // Day 0: hot.
        Assert.Equal("ONLINE", await archive.AvailabilityAsync(uid, ct));
        Assert.Equal([StorageTier.Hot], await archive.ReadAllAsync(study, TimeSpan.Zero, ct));

        // Day 90: to warm — one object per instance and a manifest, nothing left on the hot tier.
        archive.Clock.Advance(TimeSpan.FromDays(90));
        var warm = await archive.Study(uid).MoveToTierAsync(StorageTier.Warm, null, "rule ct-default: warm after 90 days");
        Assert.Equal((10, 10, 10), (warm.InstancesMoved, warm.CopiesDeleted, warm.InstanceCount));
        Assert.Equal(0, archive.HotFileCount());
        var warmKeys = await S3Server.KeysAsync(s3, s3.WarmBucket, ct);
        Assert.Equal(11, warmKeys.Count);
        Assert.All(study, i => Assert.Contains($"studies/{uid}/{i.SeriesInstanceUid}/{i.SopInstanceUid}.dcm", warmKeys));
        var manifest = await ReadManifestAsync(archive, s3.WarmBucket, uid, ct);
        Assert.Equal((StorageTier.Warm, 10, "SYN000001"), (manifest.Tier, manifest.Instances.Count, manifest.Patient.PatientId));
        Assert.Equal("rule ct-default: warm after 90 days", manifest.PolicyState.Reason);
        Assert.Equal(archive.Clock.GetUtcNow(), manifest.WrittenAt);
        Assert.Equal("ONLINE", await archive.AvailabilityAsync(uid, ct));
        Assert.Equal([StorageTier.Warm], await archive.ReadAllAsync(study, TimeSpan.Zero, ct));

        // Year 3: to cold — one LZ4 bundle and its manifest; the warm objects are gone; NEARLINE.
        archive.Clock.Advance(TimeSpan.FromDays(3 * 365));
        var cold = await archive.Study(uid).MoveToTierAsync(StorageTier.Cold, null, "rule ct-default: cold after 3 years");
        Assert.Equal(10, cold.InstancesMoved);
        Assert.Empty(await S3Server.KeysAsync(s3, s3.WarmBucket, ct));
        Assert.Equal([$"studies/{uid}/manifest.json", $"studies/{uid}/study.vnab"], await S3Server.KeysAsync(s3, s3.ColdBucket, ct));
        var head = await archive.Store.HeadAsync(s3.ColdBucket, $"studies/{uid}/study.vnab", ct);
        Assert.Equal("GLACIER", head!.StorageClass);
        Assert.True(head.Length < study.Sum(i => i.Size), $"the bundle is compressed: {head.Length} bytes for {study.Sum(i => i.Size)}");
        Assert.Equal("NEARLINE", await archive.AvailabilityAsync(uid, ct));
        Assert.Equal(0, archive.HotFileCount());

        // The first read of the cold study recalls all of it (this backend needs no restore) and is served from the hot
        // tier; the reads after it find the study hot.
        Assert.Equal([StorageTier.Cold, StorageTier.Hot], await archive.ReadAllAsync(study, TimeSpan.FromMinutes(1), ct));
        Assert.Equal("ONLINE", await archive.AvailabilityAsync(uid, ct));
        Assert.Equal(10, archive.HotFileCount());
        Assert.Empty(await S3Server.KeysAsync(s3, s3.ColdBucket, ct));
        var placement = await archive.Study(uid).GetPlacementAsync();
        Assert.Equal((10, 0, 0, null), (placement.Hot, placement.Warm, placement.Cold, placement.MoveTarget));

        var journal = await archive.Database.QueryAsync(
            "SELECT to_tier, state, instances FROM tier_migration ORDER BY migration_pk",
            r => (r.GetInt16(0), r.GetString(1), r.GetInt32(2)), ct);
        Assert.Equal([((short)1, "done", 10), ((short)2, "done", 10), ((short)0, "done", 10)], journal);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_move_repeated_is_a_no_op_and_new_instances_join_the_cold_bundle()
    {
        var ct = TestContext.Current.CancellationToken;
        var admin = await Postgres.RequireAsync();
        var s3 = await S3Server.NewBucketsAsync(await S3Server.RequireAsync(), ct);
        await using var archive = await TierHarness.StartAsync(admin, s3, ct);
        var study = await archive.IngestAsync(2, 1, 4, ct);
        var uid = study[0].StudyInstanceUid;

        Assert.Equal(4, (await archive.Study(uid).MoveToTierAsync(StorageTier.Cold, null, "test")).InstancesMoved);
        var again = await archive.Study(uid).MoveToTierAsync(StorageTier.Cold, null, "test");
        Assert.Equal((0, 0, 4), (again.InstancesMoved, again.CopiesDeleted, again.InstanceCount));

        // A late instance of the same study arrives on the hot tier: the next move rewrites the bundle with all five.
        var late = await archive.IngestLateInstanceAsync(study[0], ct);
        Assert.Equal("NEARLINE", await archive.AvailabilityAsync(uid, ct));
        var moved = await archive.Study(uid).MoveToTierAsync(StorageTier.Cold, null, "test");
        Assert.Equal((1, 1, 5), (moved.InstancesMoved, moved.CopiesDeleted, moved.InstanceCount));
        Assert.Equal(0, archive.HotFileCount());
        Assert.Equal("NEARLINE", await archive.AvailabilityAsync(uid, ct));
        Assert.Equal([StorageTier.Cold, StorageTier.Hot], await archive.ReadAllAsync([.. study, late], TimeSpan.FromMinutes(1), ct));
        Assert.Equal(5, archive.HotFileCount());
    }

    private static async Task<StudyManifest> ReadManifestAsync(TierHarness archive, string bucket, string uid, CancellationToken ct)
    {
        await using var body = await archive.Store.OpenReadAsync(bucket, TierKeys.Manifest(uid), ct);
        using var copy = new MemoryStream();
        await body.CopyToAsync(copy, ct);
        var manifest = StudyManifest.Parse(copy.ToArray());
        Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(copy.ToArray()).RootElement.GetProperty("patient").ValueKind);
        return manifest;
    }
}
