using System.Collections.Concurrent;
using System.Diagnostics;
using Vna.Testing;

namespace Vna.Integration.Tests;

/// <summary>
/// The archive's promise under a crash: a 200 from POST /api/instances means the object is durable and indexed. 1,000
/// synthetic CT instances (4 studies × 2 series × 125) are sent 8 at a time; the server is killed with SIGKILL once about
/// 400 were acknowledged, with two more uploads stalled half-way (objects cut off mid-receive), and restarted on the same
/// database and data folder. Every acknowledged instance must then be indexed and bit-identical on disk, no temporary file may survive the restart, no index row may point at a missing or
/// partial file; sending everything again must succeed for all (Stored, or Duplicate for what was already there) and leave
/// exactly 1,000 instances.
/// </summary>
public sealed class CrashRecoveryTests
{
    private const int StudyCount = 4;
    private const int SeriesPerStudy = 2;
    private const int InstancesPerSeries = 125;
    private const int Total = StudyCount * SeriesPerStudy * InstancesPerSeries;
    private const int KillAfterAcknowledged = 400;
    private const int InFlight = 8;
    private const int StalledCount = 2;

    [Fact(Timeout = 900_000)]
    public async Task Every_acknowledged_instance_survives_kill_9_and_a_restart()
    {
        var ct = TestContext.Current.CancellationToken;
        var admin = await Postgres.RequireAsync();
        using var scratch = new ScratchFolder("it-crash");
        await using var database = await TestDatabase.CreateAsync(admin, "vna_it", ct);
        var settings = new ServerSettings
        {
            Name = "crash",
            Postgres = database.ConnectionString,
            WorkDirectory = scratch.Path,
            DataDirectory = scratch.Sub("data"),
        };
        using var http = ArchiveHttp.CreateClient();

        var studies = Enumerable.Range(1, StudyCount).Select(n => SyntheticCt.CreateStudy(n, SeriesPerStudy, InstancesPerSeries)).ToList();
        var plan = Interleave(studies);
        Assert.Equal(Total, plan.Count);

        var sent = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        var acknowledged = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        var unanswered = new ConcurrentDictionary<string, PostResult>(StringComparer.Ordinal);

        // 1. Import until ~400 are acknowledged, then kill -9 the server with 8 posts in flight.
        var server = await ServerProcess.StartAsync(settings, ct);
        Figures.Report($"server started in {server.StartupTime.TotalSeconds:0.0} s (pid {server.Pid})");
        var trigger = 0;
        var killed = 0;
        var acknowledgedAtKill = 0;
        var inFlight = 0;
        var inFlightAtKill = 0;
        var stalled = new ConcurrentBag<StalledUpload>();
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(plan.SkipLast(StalledCount), new ParallelOptions { MaxDegreeOfParallelism = InFlight, CancellationToken = ct }, async (instance, token) =>
        {
            if (Volatile.Read(ref killed) != 0)
            {
                return;
            }

            var bytes = await SyntheticCt.EncodeAsync(instance, token);
            var uid = instance.SopInstanceUid!;
            sent[uid] = SyntheticCt.Sha256(bytes);
            Interlocked.Increment(ref inFlight);
            var result = await ArchiveHttp.PostAsync(http, server.BaseAddress, bytes, token);
            Interlocked.Decrement(ref inFlight);
            if (!result.Acknowledged)
            {
                unanswered[uid] = result;
                return;
            }

            Assert.Equal("Stored", result.Status);
            acknowledged[uid] = result.Sha256!;
            if (acknowledged.Count >= KillAfterAcknowledged && Interlocked.Exchange(ref trigger, 1) == 0)
            {
                // Two more uploads stalled half-way (the other posts go on meanwhile), so that the crash also cuts objects
                // off while they are being received; then SIGKILL with posts in flight.
                foreach (var held in plan.TakeLast(StalledCount))
                {
                    var heldBytes = await SyntheticCt.EncodeAsync(held, token);
                    sent[held.SopInstanceUid!] = SyntheticCt.Sha256(heldBytes);
                    stalled.Add(await StalledUpload.StartAsync(http, server.BaseAddress, heldBytes, heldBytes.Length / 2, token));
                }

                // Until the server has taken them (their temporary files exist), at most 15 s; then at the next post in flight.
                var waited = Stopwatch.StartNew();
                do
                {
                    await Task.Delay(50, token);
                }
                while (HotTier.TemporaryFiles(settings.DataDirectory).Count < StalledCount && waited.Elapsed < TimeSpan.FromSeconds(15));

                while (Volatile.Read(ref inFlight) == 0)
                {
                    await Task.Delay(1, token);
                }

                Volatile.Write(ref killed, 1);
                acknowledgedAtKill = acknowledged.Count;
                inFlightAtKill = Volatile.Read(ref inFlight);
                await server.KillAsync(token);
            }
        });
        foreach (var upload in stalled)
        {
            await upload.DisposeAsync();
            Assert.True((await upload.Completion).Error is not null, $"A stalled upload got an answer: {await upload.Completion}");
        }

        var importSeconds = clock.Elapsed.TotalSeconds;
        Assert.True(killed == 1, $"The server was never killed: only {acknowledged.Count} acknowledged. {string.Join("; ", unanswered.Values.Take(5))}");
        Assert.True(unanswered.Values.All(r => r.Error is not null),
            "Before the kill every post should have been acknowledged: " + string.Join("; ", unanswered.Values.Where(r => r.Error is null).Take(5)));
        var leftOver = HotTier.TemporaryFiles(settings.DataDirectory).Count;
        Assert.True(leftOver >= 1, "The crash should have left the temporary files of the stalled uploads.");
        Figures.Report(
            $"SIGKILL after {acknowledgedAtKill} acknowledged ({importSeconds:0.0} s, {acknowledgedAtKill / importSeconds:0} instances/s); " +
            $"{inFlightAtKill} posts in flight and {StalledCount} uploads stalled half-way at the kill; {acknowledged.Count} acknowledged in all, {unanswered.Count} without an answer; " +
            $"{leftOver} temporary file(s) left in hot/tmp");

        // 2. Restart on the same database and data folder.
        await server.DisposeAsync();
        server = await ServerProcess.StartAsync(settings, ct);
        await using var restarted = server;
        Figures.Report($"restarted in {server.StartupTime.TotalSeconds:0.0} s (process start to healthy, pid {server.Pid})");

        Assert.Empty(HotTier.TemporaryFiles(settings.DataDirectory));
        Assert.Contains($"Hot tier reconciled: {leftOver} temporary file(s)", server.Log, StringComparison.Ordinal);

        // 3. Everything acknowledged is indexed and bit-identical; every index row has its whole file.
        var problems = await Verification.CheckAcknowledgedAsync(http, [server.BaseAddress], settings.DataDirectory, acknowledged, sent, ct);
        Assert.True(problems.Count == 0, "Acknowledged instances lost or damaged: " + Verification.Describe(problems));
        var rows = await Verification.ReadIndexAsync(database, ct);
        var rowProblems = await Verification.CheckIndexRowsAsync(rows, settings.DataDirectory, ct);
        Assert.True(rowProblems.Count == 0, "Index rows without their file: " + Verification.Describe(rowProblems));
        Assert.Superset(acknowledged.Keys.ToHashSet(StringComparer.Ordinal), rows.Select(r => r.SopInstanceUid).ToHashSet(StringComparer.Ordinal));
        var unindexed = Verification.CountUnindexedFiles(rows, settings.DataDirectory);
        Figures.Report(
            $"after the restart: {acknowledged.Count} acknowledged all indexed and intact; {rows.Count} index rows " +
            $"({rows.Count - acknowledged.Count} indexed but never acknowledged), all backed by their file; {unindexed} committed file(s) not indexed");

        // 4. Send everything again: all succeed, nothing acknowledged before is stored twice, exactly 1,000 remain.
        var outcomes = new ConcurrentDictionary<string, PostResult>(StringComparer.Ordinal);
        clock.Restart();
        await Parallel.ForEachAsync(plan, new ParallelOptions { MaxDegreeOfParallelism = InFlight, CancellationToken = ct }, async (instance, token) =>
        {
            var bytes = await SyntheticCt.EncodeAsync(instance, token);
            var uid = instance.SopInstanceUid!;
            var sha = SyntheticCt.Sha256(bytes);
            Assert.True(sent.GetOrAdd(uid, sha) == sha, "The synthetic encoding is not deterministic.");
            outcomes[uid] = await ArchiveHttp.PostAsync(http, server.BaseAddress, bytes, token);
        });
        var resendSeconds = clock.Elapsed.TotalSeconds;
        var failed = outcomes.Where(o => !o.Value.Acknowledged).ToList();
        Assert.True(failed.Count == 0, $"{failed.Count} re-sent instance(s) failed: " + string.Join("; ", failed.Take(5).Select(f => f.Value.ToString())));
        var wronglyStored = acknowledged.Keys.Where(uid => outcomes[uid].Status != "Duplicate").ToList();
        Assert.True(wronglyStored.Count == 0, $"{wronglyStored.Count} instance(s) acknowledged before the crash were not duplicates on re-send");
        Assert.All(outcomes.Values, o => Assert.Contains(o.Status, new[] { "Stored", "Duplicate" }));
        Figures.Report(
            $"re-sent {Total} in {resendSeconds:0.0} s: {outcomes.Values.Count(o => o.Status == "Stored")} Stored, " +
            $"{outcomes.Values.Count(o => o.Status == "Duplicate")} Duplicate");

        Assert.Equal(Total, await database.ScalarAsync<long>("SELECT count(*) FROM instance", ct));
        foreach (var study in studies)
        {
            Assert.Equal(SeriesPerStudy * InstancesPerSeries, await ArchiveHttp.GetStudyInstanceCountAsync(http, server.BaseAddress, study[0].Study.StudyInstanceUid, ct));
        }

        var all = outcomes.ToDictionary(o => o.Key, o => o.Value.Sha256!, StringComparer.Ordinal);
        problems = await Verification.CheckAcknowledgedAsync(http, [server.BaseAddress], settings.DataDirectory, all, sent, ct);
        Assert.True(problems.Count == 0, "After the re-send: " + Verification.Describe(problems));
        rows = await Verification.ReadIndexAsync(database, ct);
        rowProblems = await Verification.CheckIndexRowsAsync(rows, settings.DataDirectory, ct);
        Assert.True(rowProblems.Count == 0, "After the re-send: " + Verification.Describe(rowProblems));
        Assert.Empty(HotTier.TemporaryFiles(settings.DataDirectory));
        Assert.Equal(0, Verification.CountUnindexedFiles(rows, settings.DataDirectory)); // the re-sent copies adopted the crash's orphans

        // 5. A graceful stop leaves the silo's membership row Dead (6), so the next start is not held up by it.
        var stop = await server.StopAsync(cancellationToken: ct);
        Assert.Equal(0, server.ExitCode);
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM orleans_silo WHERE status <> 6", ct));
        Figures.Report($"SIGTERM: exited in {stop.TotalSeconds:0.00} s with code 0; every membership row Dead");
    }

    /// <summary>One instance of each study in turn, so every study's grain is busy throughout.</summary>
    private static List<SyntheticInstance> Interleave(IReadOnlyList<IReadOnlyList<SyntheticInstance>> studies)
    {
        var plan = new List<SyntheticInstance>();
        for (var i = 0; studies.Any(s => i < s.Count); i++)
        {
            plan.AddRange(studies.Where(s => i < s.Count).Select(s => s[i]));
        }

        return plan;
    }
}
