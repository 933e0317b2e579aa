using Microsoft.Extensions.DependencyInjection;
using Vna.Core;
using Vna.Storage.Warm;
using Vna.Tiers.Tests;

namespace Vna.Lifecycle.Tests;

/// <summary>
/// The engine with the real tiers (Ceph RGW from deploy/local/s3): over the years on a fake clock a study moves hot →
/// warm → cold under its policy, is recalled to the hot tier when someone reads it, is rejected and then purged from every
/// tier, every step audited first; a held study makes the same moves and is never expired.
/// </summary>
public sealed class TieredLifecycleTests
{
    private const string Policy = """
        apiVersion: vna.policy/v1
        name: default
        version: "tiered-1"
        default:
          actions:
            - { move: warm, after: 30d, since: ingest }
            - { move: cold, after: 1y, since: studyDate }
            - { expire: true, after: 5y, since: studyDate, grace: 10d }
        """;

    [Fact]
    public async Task A_study_walks_hot_warm_cold_rejected_purged_and_a_held_one_only_moves()
    {
        var ct = TestContext.Current.CancellationToken;
        var endpoint = await S3Server.RequireAsync();
        var s3 = await S3Server.NewBucketsAsync(endpoint, ct);
        await using var archive = await LifecycleHarness.StartAsync(ct, s3: s3);
        await archive.Catalog.ActivateAsync(Policy, "tiered.yaml", "user:officer", null, confirm: false, ct);
        var study = await archive.IngestAsync(51, ct);
        var held = await archive.IngestAsync(52, ct);
        var a = study[0].StudyInstanceUid;
        var b = held[0].StudyInstanceUid;
        await archive.Holds.PlaceAsync(b, null, null, "audit of the trial", "user:counsel", ct);

        // Day 30: both to warm (the S3 warm bucket holds their objects and manifests; the hot files are gone).
        var at = LifecycleHarness.Start.AddDays(30);
        Assert.Equal("move:warm", (await archive.EvaluateAtAsync(a, at)).LastStep);
        Assert.Equal("move:warm", (await archive.EvaluateAtAsync(b, at)).LastStep);
        Assert.True(archive.NoneOnDisk(study));
        var warmKeys = await S3Server.KeysAsync(s3, s3.WarmBucket, ct);
        Assert.Contains(warmKeys, k => k.Contains(a, StringComparison.Ordinal));
        Assert.Equal(await Tiers(archive, a, ct), [StorageTier.Warm]);

        // A year after the study date: cold bundles; the warm copies are deleted.
        at = new DateTimeOffset(2027, 1, 5, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal("move:cold", (await archive.EvaluateAtAsync(a, at)).LastStep);
        Assert.Equal("move:cold", (await archive.EvaluateAtAsync(b, at)).LastStep);
        Assert.DoesNotContain(await S3Server.KeysAsync(s3, s3.WarmBucket, ct), k => k.Contains(a, StringComparison.Ordinal));
        Assert.Contains(await S3Server.KeysAsync(s3, s3.ColdBucket, ct), k => k.Contains(a, StringComparison.Ordinal));
        Assert.Equal(await Tiers(archive, a, ct), [StorageTier.Cold]);

        // Two years on someone reads A: the read recalls it from the cold bundle to the hot tier and is served from there.
        archive.Clock.SetUtcNow(new DateTimeOffset(2028, 3, 1, 0, 0, 0, TimeSpan.Zero));
        var content = archive.Services.GetRequiredService<IInstanceContentSource>();
        foreach (var instance in study)
        {
            var current = (await archive.Index.FindInstanceAsync(instance.SopInstanceUid, ct))!;
            var opened = await content.OpenAsync(current, TimeSpan.FromMinutes(1), ct);
            await using (opened)
            {
                using var copy = new MemoryStream();
                await opened.Stream.CopyToAsync(copy, ct);
                Assert.Equal(instance.Sha256, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(copy.ToArray())));
            }
        }

        Assert.Equal(await Tiers(archive, a, ct), [StorageTier.Hot]);
        Assert.True(archive.AllOnDisk(study));
        Assert.DoesNotContain(await S3Server.KeysAsync(s3, s3.ColdBucket, ct), k => k.Contains(a, StringComparison.Ordinal));

        // Five years: A rejected (hidden), B held; ten days later A purged from the hot tier and the index.
        at = new DateTimeOffset(2031, 1, 5, 0, 0, 0, TimeSpan.Zero);
        var rejected = await archive.EvaluateAtAsync(a, at);
        Assert.Equal("reject", rejected.LastStep);
        Assert.True((await archive.EvaluateAtAsync(b, at)).BlockedByHold);
        var purged = await archive.EvaluateAtAsync(a, rejected.NextDueAt!.Value);
        Assert.Equal("purge", purged.LastStep);
        Assert.True(archive.NoneOnDisk(study));
        Assert.DoesNotContain(await S3Server.KeysAsync(s3, s3.WarmBucket, ct), k => k.Contains(a, StringComparison.Ordinal));
        Assert.DoesNotContain(await S3Server.KeysAsync(s3, s3.ColdBucket, ct), k => k.Contains(a, StringComparison.Ordinal));
        Assert.Null(await archive.IndexStateAsync(a, ct));

        // B: still whole on the cold tier, in the index, visible; A's trail has every step, each before it took effect.
        Assert.Contains(await S3Server.KeysAsync(s3, s3.ColdBucket, ct), k => k.Contains(b, StringComparison.Ordinal));
        Assert.Equal(await Tiers(archive, b, ct), [StorageTier.Cold]);
        Assert.Equal(0, await archive.IndexStateAsync(b, ct));
        Assert.Equal(["migrate", "migrate", "migrate", "reject", "purge"], await archive.AuditActionsAsync(a, ct));
        Assert.Equal(["hold-placed", "migrate", "migrate"], await archive.AuditActionsAsync(b, ct));
        Assert.Null(await archive.Audit.VerifyAsync(ct));
    }

    private static async Task<List<StorageTier>> Tiers(LifecycleHarness archive, string uid, CancellationToken ct) =>
        [.. (await archive.Index.GetStudyInstancesAsync(uid, ct)).Select(i => i.Tier).Distinct()];
}
