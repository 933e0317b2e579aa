using System.Diagnostics;
using Vna.Testing;

namespace Vna.Tiers.Tests;

/// <summary>
/// The archive's promise across a crash in the middle of a migration batch: six studies are queued for the warm tier on a
/// server limited to two moves at a time, and the server is killed with SIGKILL once at least one study has moved,
/// another is being copied and others are still waiting in the queue. After a restart on the same database, data folder
/// and buckets — before anything else happens — every instance is readable through the content source with its original
/// bytes, every index row points at a copy that exists, and every study is wholly on one tier (a move flips a study in one
/// transaction). Nobody queues anything again: the restarted server resumes both the moves the crash interrupted and
/// those it had not started (journalled as queued before the batch was acknowledged), leaving exactly one copy of each
/// instance on S3 and none on the hot tier.
/// </summary>
public sealed class MigrationCrashTests
{
    private const int Studies = 6;
    private const int PerStudy = 30;

    [Fact(Timeout = 300_000)]
    public async Task Kill_9_during_a_migration_batch_loses_nothing_and_the_batch_completes_after_a_restart()
    {
        var ct = TestContext.Current.CancellationToken;
        var admin = await Postgres.RequireAsync();
        var s3 = await S3Server.NewBucketsAsync(await S3Server.RequireAsync(), ct);
        using var scratch = new ScratchFolder("tiers-crash");
        await using var database = await TestDatabase.CreateAsync(admin, "vna_tiers_crash", ct);
        var settings = TieredServer.Settings("tiers-crash", database.ConnectionString, scratch, s3);
        using var http = ArchiveHttp.CreateClient(TimeSpan.FromMinutes(2));

        var studies = Enumerable.Range(1, Studies).Select(n => SyntheticCt.CreateStudy(600 + n, 2, PerStudy / 2)).ToList();
        var uids = studies.Select(s => s[0].Study.StudyInstanceUid).ToList();
        var server = await ServerProcess.StartAsync(settings, ct);
        Dictionary<string, string> sent;
        try
        {
            sent = await TieredServer.ImportAsync(http, server.BaseAddress, studies.SelectMany(s => s), ct);
            Assert.Equal(Studies * PerStudy, sent.Count);

            using (var queued = await TieredServer.QueueAsync(http, server.BaseAddress, uids, "warm", ct))
            {
                Assert.Equal(System.Net.HttpStatusCode.Accepted, queued.StatusCode);
            }

            // Every move of the batch is in the journal as soon as the batch is acknowledged.
            Assert.Equal(Studies, (await TieredServer.MigrationsAsync(http, server.BaseAddress, ct)).Count);

            // Kill once one study is done, another is running and others are still waiting.
            var clock = Stopwatch.StartNew();
            while (true)
            {
                var rows = await TieredServer.MigrationsAsync(http, server.BaseAddress, ct);
                if (rows.Any(r => r.State == "done") && rows.Any(r => r.State == "running") && rows.Any(r => r.State == "queued"))
                {
                    await server.KillAsync(ct);
                    break;
                }

                Assert.True(rows.All(r => r.State != "failed"), "a move failed before the kill");
                Assert.True(rows.Any(r => r.State == "queued") || !rows.Any(r => r.State == "done"), "the queue drained before the kill; nothing was tested");
                Assert.True(clock.Elapsed < TimeSpan.FromMinutes(2), "no move started within 2 minutes");
                await Task.Delay(20, ct);
            }
        }
        finally
        {
            await server.KillAsync(CancellationToken.None);
            await server.DisposeAsync();
        }

        // What the crash left, read straight from the database: every study on exactly one tier.
        var tiersPerStudy = await database.QueryAsync(
            "SELECT s.study_instance_uid, count(DISTINCT i.tier)::int, min(i.tier)::int FROM instance i JOIN study s USING (study_pk) GROUP BY 1",
            r => (r.GetString(0), r.GetInt32(1), r.GetInt32(2)), ct);
        Assert.Equal(Studies, tiersPerStudy.Count);
        Assert.All(tiersPerStudy, t => Assert.Equal(1, t.Item2));
        var warmAtCrash = tiersPerStudy.Count(t => t.Item3 == 1);
        Assert.InRange(warmAtCrash, 1, Studies - 2);
        var queuedAtCrash = await database.ScalarAsync<long>("SELECT count(*) FROM tier_migration WHERE state = 'queued'", ct);
        Assert.True(queuedAtCrash >= 1, "no move was left waiting in the queue at the kill");

        // Restart: everything readable, byte for byte, wherever it is.
        await using var restarted = await ServerProcess.StartAsync(settings with { Name = "tiers-crash-2" }, ct);
        foreach (var (sop, sha) in sent)
        {
            var (status, readSha, _) = await TieredServer.ReadAsync(http, restarted.BaseAddress, sop, 30, ct);
            Assert.Equal((200, sha), (status, readSha));
        }

        // The batch completes by itself: the interrupted moves and the ones that never started, without queuing anything again.
        var wait = Stopwatch.StartNew();
        while (true)
        {
            var done = await database.ScalarAsync<long>("SELECT count(*) FROM instance WHERE tier = 1", ct);
            var open = await database.ScalarAsync<long>("SELECT count(*) FROM tier_migration WHERE state IN ('queued', 'running')", ct);
            if (done == sent.Count && open == 0)
            {
                break;
            }

            Assert.True(wait.Elapsed < TimeSpan.FromMinutes(2), $"the batch did not complete: {done} of {sent.Count} instances warm, {open} moves queued or running");
            await Task.Delay(200, ct);
        }

        Assert.Equal(0, await database.ScalarAsync<long>("SELECT count(*) FROM tier_migration WHERE state = 'failed'", ct));
        Assert.Equal(Studies, await database.ScalarAsync<long>("SELECT count(DISTINCT study_instance_uid) FROM tier_migration WHERE state = 'done'", ct));

        Assert.Empty(HotTier.CommittedFiles(settings.DataDirectory));
        var keys = await S3Server.KeysAsync(s3, s3.WarmBucket, ct);
        Assert.Equal(sent.Count + Studies, keys.Count);
        Assert.Equal(Studies, keys.Count(k => k.EndsWith("/manifest.json", StringComparison.Ordinal)));
        foreach (var (sop, sha) in sent)
        {
            var (status, readSha, _) = await TieredServer.ReadAsync(http, restarted.BaseAddress, sop, 0, ct);
            Assert.Equal((200, sha), (status, readSha));
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"crash during migration: {warmAtCrash} of {Studies} studies had moved and {queuedAtCrash} were still queued at the kill; {await database.ScalarAsync<long>("SELECT count(*) FROM tier_migration", ct)} journal rows");
    }

    /// <summary>
    /// The narrowest window of a move: the grain has cleared its record of the move (step 5) and the process dies before
    /// the journal row is closed. The restarted server resumes that running row; the grain finds nothing to move and must
    /// close the row, not leave the operators a move that runs forever.
    /// </summary>
    [Fact(Timeout = 180_000)]
    public async Task A_journal_row_left_running_after_the_move_ended_is_closed_after_a_restart()
    {
        var ct = TestContext.Current.CancellationToken;
        var admin = await Postgres.RequireAsync();
        var s3 = await S3Server.NewBucketsAsync(await S3Server.RequireAsync(), ct);
        using var scratch = new ScratchFolder("tiers-stale");
        await using var database = await TestDatabase.CreateAsync(admin, "vna_tiers_stale", ct);
        var settings = TieredServer.Settings("tiers-stale", database.ConnectionString, scratch, s3);
        using var http = ArchiveHttp.CreateClient(TimeSpan.FromMinutes(2));
        var study = SyntheticCt.CreateStudy(700, 1, 4);
        var uid = study[0].Study.StudyInstanceUid;

        var server = await ServerProcess.StartAsync(settings, ct);
        Dictionary<string, string> sent;
        try
        {
            sent = await TieredServer.ImportAsync(http, server.BaseAddress, study, ct);
            using (var queued = await TieredServer.QueueAsync(http, server.BaseAddress, [uid], "warm", ct))
            {
                Assert.Equal(System.Net.HttpStatusCode.Accepted, queued.StatusCode);
            }

            var clock = Stopwatch.StartNew();
            while ((await TieredServer.MigrationsAsync(http, server.BaseAddress, ct)).Single().State != "done")
            {
                Assert.True(clock.Elapsed < TimeSpan.FromMinutes(1), "the move did not finish");
                await Task.Delay(50, ct);
            }

            await server.KillAsync(ct);
        }
        finally
        {
            await server.KillAsync(CancellationToken.None);
            await server.DisposeAsync();
        }

        // What that crash leaves: the study wholly on the warm tier, the grain's record cleared, the journal row running.
        Assert.Equal(1L, await database.ScalarAsync<long>(
            "WITH r AS (UPDATE tier_migration SET state = 'running', finished_at = NULL WHERE study_instance_uid = $1 RETURNING 1) SELECT count(*) FROM r", ct, uid));
        Assert.Equal((long)sent.Count, await database.ScalarAsync<long>("SELECT count(*) FROM instance WHERE tier = 1", ct));

        await using var restarted = await ServerProcess.StartAsync(settings with { Name = "tiers-stale-2" }, ct);
        var wait = Stopwatch.StartNew();
        while (await database.ScalarAsync<long>("SELECT count(*) FROM tier_migration WHERE state = 'running'", ct) > 0)
        {
            Assert.True(wait.Elapsed < TimeSpan.FromMinutes(1), "the running journal row was never closed after the restart");
            await Task.Delay(200, ct);
        }

        Assert.Equal("done", (await TieredServer.MigrationsAsync(http, restarted.BaseAddress, ct)).Single().State);
        foreach (var (sop, sha) in sent)
        {
            var (status, readSha, _) = await TieredServer.ReadAsync(http, restarted.BaseAddress, sop, 0, ct);
            Assert.Equal((200, sha), (status, readSha));
        }
    }
}
