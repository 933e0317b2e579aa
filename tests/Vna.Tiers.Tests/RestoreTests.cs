using Microsoft.Extensions.DependencyInjection;
using Vna.Core;
using Vna.Storage.Warm;
using Vna.Testing;

namespace Vna.Tiers.Tests;

/// <summary>
/// Recall from an archive storage class that needs a restore before a read (Glacier semantics over the real RGW, see
/// <see cref="ArchiveClassGateway"/>): the restore is requested once, a read meanwhile is told to come back later
/// (StudyRecallPendingException with Retry-After in-process; 202 with Retry-After over HTTP), the archive never reads the
/// bundle before the restore finished, and once it has, the study is recalled and served.
/// </summary>
public sealed class RestoreTests
{
    [Fact(Timeout = 180_000)]
    public async Task A_cold_study_is_read_only_after_its_restore_finished_hours_later()
    {
        var ct = TestContext.Current.CancellationToken;
        var admin = await Postgres.RequireAsync();
        var direct = await S3Server.NewBucketsAsync(await S3Server.RequireAsync(), ct);
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));
        await using var gateway = await ArchiveClassGateway.StartAsync(new Uri(direct.ServiceUrl), clock, TimeSpan.FromHours(4), ct);
        var s3 = Via(gateway, direct);
        await using var archive = await TierHarness.StartAsync(admin, s3, ct, clock: clock, configure: o =>
        {
            o.RecallPollInterval = TimeSpan.FromMinutes(30);
            o.RestoreRetryAfter = TimeSpan.FromHours(1);
        });
        var study = await archive.IngestAsync(7, 1, 6, ct);
        var uid = study[0].StudyInstanceUid;
        await archive.Study(uid).MoveToTierAsync(StorageTier.Cold, null, "test");
        Assert.Equal("NEARLINE", await archive.AvailabilityAsync(uid, ct));

        // A read asks for the recall: the restore is requested and the reader is told to come back in an hour.
        var cold = (await archive.Index.FindInstanceAsync(study[0].SopInstanceUid, ct))!;
        var pending = await Assert.ThrowsAsync<StudyRecallPendingException>(() => archive.Content.OpenAsync(cold, TimeSpan.FromSeconds(30), ct));
        Assert.Equal((uid, TimeSpan.FromHours(1)), (pending.StudyInstanceUid, pending.RetryAfter));
        Assert.Equal(1, gateway.RestoreRequests);
        Assert.Equal(0, archive.HotFileCount());

        // Two hours on: still restoring; asking again does not request another restore.
        clock.Advance(TimeSpan.FromHours(2));
        await Assert.ThrowsAsync<StudyRecallPendingException>(() => archive.Content.OpenAsync(cold, TimeSpan.FromSeconds(30), ct));
        Assert.Equal("NEARLINE", await archive.AvailabilityAsync(uid, ct));

        // Past four hours the restore is done: the poller's next tick recalls the study without anyone asking.
        clock.Advance(TimeSpan.FromHours(2.5));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while ((await archive.Study(uid).GetPlacementAsync()).Hot < study.Count)
        {
            Assert.True(DateTime.UtcNow < deadline, "the poller did not recall the restored study");
            clock.Advance(TimeSpan.FromMinutes(30));
            await Task.Delay(100, ct);
        }

        Assert.Equal(0, gateway.RefusedReads); // never tried to read the bundle before its restore finished
        Assert.Equal("ONLINE", await archive.AvailabilityAsync(uid, ct));
        Assert.Equal([StorageTier.Hot], await archive.ReadAllAsync(study, TimeSpan.Zero, ct));

        // The coordinator forgets the recall once the grain's answer reaches it, which may be after the placement was seen.
        var recalls = archive.Services.GetRequiredService<RecallCoordinator>();
        await recalls.WhenSettledAsync(uid).WaitAsync(TimeSpan.FromSeconds(60), ct);
        Assert.Empty(recalls.Pending);
    }

    [Fact(Timeout = 180_000)]
    public async Task Over_http_a_cold_read_is_answered_202_with_Retry_After_until_the_restore_is_done()
    {
        var ct = TestContext.Current.CancellationToken;
        var admin = await Postgres.RequireAsync();
        var direct = await S3Server.NewBucketsAsync(await S3Server.RequireAsync(), ct);
        await using var gateway = await ArchiveClassGateway.StartAsync(new Uri(direct.ServiceUrl), TimeProvider.System, TimeSpan.FromSeconds(3), ct);
        var s3 = Via(gateway, direct);
        using var scratch = new ScratchFolder("tiers-restore-http");
        await using var database = await TestDatabase.CreateAsync(admin, "vna_tiers_restore", ct);
        var settings = TieredServer.Settings("tiers-restore", database.ConnectionString, scratch, s3);
        settings = settings with
        {
            Configuration = new Dictionary<string, string>(settings.Configuration)
            {
                ["Tiers__RestoreRetryAfter"] = "00:00:02",
                ["Tiers__RecallPollInterval"] = "00:00:01",
            },
        };
        using var http = ArchiveHttp.CreateClient(TimeSpan.FromMinutes(2));
        await using var server = await ServerProcess.StartAsync(settings, ct);
        var instances = SyntheticCt.CreateStudy(8, 1, 4);
        var sent = await TieredServer.ImportAsync(http, server.BaseAddress, instances, ct);
        var uid = instances[0].Study.StudyInstanceUid;
        using (var moved = await http.PostAsync(new Uri(server.BaseAddress, $"api/tiers/studies/{uid}/move?tier=cold"), null, ct))
        {
            Assert.True(moved.IsSuccessStatusCode, await moved.Content.ReadAsStringAsync(ct));
        }

        var sop = instances[0].SopInstanceUid!;
        var (status, _, retryAfter) = await TieredServer.ReadAsync(http, server.BaseAddress, sop, 0.5, ct);
        // Retry-After: the restore's 2 s once the backend said it is restoring, or 5 s while that answer is not in yet.
        Assert.Equal(202, status);
        Assert.Contains(retryAfter ?? -1, new[] { 2, 5 });
        using (var recall = await http.PostAsync(new Uri(server.BaseAddress, $"api/tiers/studies/{uid}/recall?wait=0"), null, ct))
        {
            Assert.Equal(System.Net.HttpStatusCode.Accepted, recall.StatusCode);
            Assert.Contains((int)(recall.Headers.RetryAfter?.Delta?.TotalSeconds ?? -1), new[] { 2, 5 });
        }

        // Come back as told until it is served.
        var attempts = 1;
        while (true)
        {
            await Task.Delay(TimeSpan.FromSeconds(retryAfter ?? 1), ct);
            (status, var sha, retryAfter) = await TieredServer.ReadAsync(http, server.BaseAddress, sop, 0.5, ct);
            attempts++;
            if (status == 200)
            {
                Assert.Equal(sent[sop], sha);
                break;
            }

            Assert.Equal(202, status);
            Assert.True(attempts < 30, "still 202 after 30 attempts");
        }

        Assert.Equal(1, gateway.RestoreRequests);
        Assert.Equal(0, gateway.RefusedReads);
        foreach (var (other, sha) in sent)
        {
            var read = await TieredServer.ReadAsync(http, server.BaseAddress, other, 0, ct);
            Assert.Equal((200, sha), (read.Status, read.Sha256));
        }
    }

    private static S3StorageOptions Via(ArchiveClassGateway gateway, S3StorageOptions direct) => new()
    {
        ServiceUrl = gateway.Endpoint.ToString(),
        AccessKey = direct.AccessKey,
        SecretKey = direct.SecretKey,
        WarmBucket = direct.WarmBucket,
        ColdBucket = direct.ColdBucket,
        ColdStorageClass = "GLACIER",
        MaxRetries = 1,
    };
}
