using Vna.Core;
using Vna.Storage.Warm;

namespace Vna.Tiers.Tests;

/// <summary>Storage failing in the middle of a move: a clear error, the study readable where it was, nothing lost; the retry completes.</summary>
public sealed class TierFailureTests
{
    [Fact(Timeout = 180_000)]
    public async Task S3_going_away_mid_migration_is_a_clear_error_and_loses_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var admin = await Postgres.RequireAsync();
        var endpoint = new Uri(await S3Server.RequireAsync());
        var direct = await S3Server.NewBucketsAsync(endpoint.ToString(), ct);
        await using var proxy = new TcpProxy(endpoint.Port);
        var s3 = new S3StorageOptions
        {
            ServiceUrl = $"http://127.0.0.1:{proxy.Port}/",
            AccessKey = direct.AccessKey,
            SecretKey = direct.SecretKey,
            WarmBucket = direct.WarmBucket,
            ColdBucket = direct.ColdBucket,
            MaxRetries = 1,
            RequestTimeout = TimeSpan.FromSeconds(10),
        };
        await using var archive = await TierHarness.StartAsync(admin, s3, ct);
        var study = await archive.IngestAsync(3, 2, 10, ct);
        var uid = study[0].StudyInstanceUid;

        // About a third of the study's bytes get through, then the server is gone.
        proxy.CutAfterBytes = study.Sum(i => i.Size) / 3;
        var error = await Assert.ThrowsAnyAsync<Exception>(() => archive.Study(uid).MoveToTierAsync(StorageTier.Warm, null, "test"));

        Assert.True(proxy.IsCut);
        Assert.Contains($"S3 at http://127.0.0.1:{proxy.Port}/ failed", error.Message, StringComparison.Ordinal);
        Assert.Equal(20, archive.HotFileCount());
        Assert.Equal([StorageTier.Hot], await archive.ReadAllAsync(study, TimeSpan.Zero, ct));
        var placement = await archive.Study(uid).GetPlacementAsync();
        Assert.Equal((20, 0, "Warm"), (placement.Hot, placement.Warm, placement.MoveTarget));
        var journal = await archive.Database.QueryAsync("SELECT state, error FROM tier_migration", r => (r.GetString(0), r.GetString(1)), ct);
        var (state, message) = Assert.Single(journal);
        Assert.Equal("failed", state);
        Assert.Contains("S3 at", message, StringComparison.Ordinal);

        // The server is back: the same call completes the move.
        proxy.Restore();
        var moved = await archive.Study(uid).MoveToTierAsync(StorageTier.Warm, null, "test");
        Assert.Equal(20, moved.InstancesMoved);
        Assert.Equal(0, archive.HotFileCount());
        Assert.Equal(21, (await S3Server.KeysAsync(direct, direct.WarmBucket, ct)).Count);
        Assert.Equal([StorageTier.Warm], await archive.ReadAllAsync(study, TimeSpan.Zero, ct));
        Assert.Equal(2, await archive.Database.ScalarAsync<long>("SELECT count(*) FROM tier_migration", ct));
    }
}
