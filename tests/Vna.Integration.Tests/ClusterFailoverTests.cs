using System.Diagnostics;
using Vna.Testing;

namespace Vna.Integration.Tests;

/// <summary>
/// Three server processes on one database and one data folder form one Orleans cluster (fast failure detection). 300
/// instances of 12 studies are imported through the three HTTP endpoints in turn. After the first 120, the cluster is asked
/// (management grain) where the study grains live, and the silo hosting the most of them is killed with SIGKILL once 20
/// more are acknowledged and it has posts in flight (and one upload stalled half-way); the import goes on through the other two, sending again whatever got
/// no answer or a 503 (it was not acknowledged). Afterwards every acknowledged instance is indexed and intact, every study
/// answers GET /api/studies/{uid} from both survivors with its full count (the dead silo's grains re-activated from their
/// state and the index), the killed silo rejoins on its old ports and cleans up its temporary files, and graceful stops
/// leave every membership row Dead.
/// </summary>
public sealed class ClusterFailoverTests
{
    private const int SiloCount = 3;
    private const int StudyCount = 12;
    private const int InstancesPerStudy = 25;
    private const int Total = StudyCount * InstancesPerStudy;
    private const int PhaseOneCount = 120;

    [Fact(Timeout = 900_000)]
    public async Task Import_goes_on_through_the_survivors_when_a_silo_is_killed()
    {
        var ct = TestContext.Current.CancellationToken;
        var admin = await Postgres.RequireAsync();
        using var scratch = new ScratchFolder("it-cluster");
        await using var database = await TestDatabase.CreateAsync(admin, "vna_it", ct);
        var data = scratch.Sub("data");
        var clusterId = "it-cluster-" + Guid.NewGuid().ToString("N")[..8];
        var settings = Enumerable.Range(0, SiloCount).Select(i => new ServerSettings
        {
            Name = $"silo-{i}",
            Postgres = database.ConnectionString,
            WorkDirectory = scratch.Path,
            DataDirectory = data,
            ClusterId = clusterId,
        }).ToArray();
        using var http = ArchiveHttp.CreateClient();

        // The first silo creates the schema; the other two join it.
        var servers = new ServerProcess[SiloCount];
        var started = Stopwatch.StartNew();
        servers[0] = await ServerProcess.StartAsync(settings[0], ct);
        var joined = await Task.WhenAll(settings.Skip(1).Select(s => ServerProcess.StartAsync(s, ct)));
        joined.CopyTo(servers, 1);
        try
        {
            Figures.Report($"{SiloCount} silos healthy after {started.Elapsed.TotalSeconds:0.0} s (each: {string.Join(", ", servers.Select(s => $"{s.StartupTime.TotalSeconds:0.0} s"))})");
            Assert.Equal(SiloCount, await database.ScalarAsync<long>("SELECT count(*) FROM orleans_silo WHERE status = 3 AND deployment_id = $1", ct, clusterId));

            var studies = Enumerable.Range(1, StudyCount).Select(n => SyntheticCt.CreateStudy(100 + n, 1, InstancesPerStudy)).ToList();
            var plan = Enumerable.Range(0, InstancesPerStudy).SelectMany(i => studies.Select(s => s[i])).ToList();
            using var import = new ClusterImport(servers, database, data);

            // Phase 1: the first 40% through all three; every study's grain is active somewhere by then.
            await import.RunAsync(plan.Take(PhaseOneCount), ct);
            Assert.True(import.Unexpected.IsEmpty, "Phase 1: " + string.Join("; ", import.Unexpected.Take(10)));
            var phaseOneSeconds = import.Clock.Elapsed.TotalSeconds;

            // Ask the cluster where the study grains live; the victim is the silo hosting the most of them.
            var hosts = await ClusterInspector.StudyGrainSilosAsync(database.ConnectionString, clusterId, "vna", ct);
            var studyUids = studies.Select(s => s[0].Study.StudyInstanceUid).ToList();
            Assert.All(studyUids, uid => Assert.True(hosts.ContainsKey(uid), $"study {uid} has no active grain"));
            var perSilo = Enumerable.Range(0, SiloCount).Select(i => studyUids.Count(uid => hosts[uid] == settings[i].SiloPort)).ToArray();
            var victim = Array.IndexOf(perSilo, perSilo.Max());
            var victimStudies = studyUids.Where(uid => hosts[uid] == settings[victim].SiloPort).ToList();
            Figures.Report(
                $"phase 1: {PhaseOneCount} acknowledged in {phaseOneSeconds:0.0} s; study grains per silo: " +
                $"{string.Join(", ", perSilo.Select((n, i) => $"silo-{i} {n}"))}; victim silo-{victim}");

            // Phase 2: the rest; the victim is killed once 20 more are acknowledged and it has posts in flight.
            var held = studies.First(s => s[0].Study.StudyInstanceUid == victimStudies[0])[^1];
            import.ArmKill(victim, afterAcknowledged: PhaseOneCount + 20, settings[victim].SiloPort, clusterId, stallOnVictim: held);
            await import.RunAsync(plan.Skip(PhaseOneCount).Where(i => i != held), ct);
            Assert.True(import.KilledAt is not null, "The victim was never killed.");
            Assert.True(import.StalledResult?.Error is not null, $"The upload stalled on the victim got an answer: {import.StalledResult}");
            await import.RunAsync([held], ct);
            Assert.True(import.Unexpected.IsEmpty, "Posts that failed for another reason than the lost silo: " + string.Join("; ", import.Unexpected.Take(10)));
            Assert.Equal(Total, import.Acknowledged.Count);
            var evictedAfter = await import.Eviction!;
            var killedAt = import.KilledAt.Value;
            Figures.Report(
                $"imported {Total} in {import.Clock.Elapsed.TotalSeconds:0.0} s; SIGKILL of silo-{victim} after {import.AcknowledgedAtKill} acknowledged, " +
                $"{import.VictimInFlightAtKill} post(s) in flight to it and one stalled half-way; membership marked it Dead " +
                $"{(evictedAfter is { } e ? $"{e.TotalSeconds:0.0} s" : "not within 60 s")} after the kill");
            Figures.Report(
                $"not acknowledged, sent again: {import.NotAcknowledged.Count} " +
                $"({import.NotAcknowledged.Count(n => n.Result.Error is not null)} without an answer, {import.NotAcknowledged.Count(n => n.Result.Error is null)} 503); " +
                $"slowest post begun after the kill: {import.SlowestAfterKill.TotalSeconds:0.0} s");
            var victimRecovery = victimStudies.Select(uid => import.RecoveredAt.TryGetValue(uid, out var t) ? t : TimeSpan.MaxValue).ToList();
            Figures.Report(
                $"the {victimStudies.Count} studies whose grain died with silo-{victim} took new instances again " +
                $"{string.Join(", ", victimRecovery.Select(t => $"{t.TotalSeconds:0.0} s"))} after the kill; " +
                $"all 12 studies within {import.RecoveredAt.Values.DefaultIfEmpty().Max().TotalSeconds:0.0} s");
            Assert.NotNull(evictedAfter);
            Assert.All(victimRecovery, t => Assert.True(t < TimeSpan.MaxValue, "a study of the victim took no new instance after the kill"));

            // Everything acknowledged is indexed and intact, read through both survivors.
            var survivors = Enumerable.Range(0, SiloCount).Where(i => i != victim).Select(i => servers[i]).ToList();
            var problems = await Verification.CheckAcknowledgedAsync(http, [.. survivors.Select(s => s.BaseAddress)], data, import.Acknowledged, import.Sent, ct);
            Assert.True(problems.Count == 0, "Acknowledged instances lost or damaged: " + Verification.Describe(problems));
            var rows = await Verification.ReadIndexAsync(database, ct);
            Assert.Equal(Total, rows.Count);
            var rowProblems = await Verification.CheckIndexRowsAsync(rows, data, ct);
            Assert.True(rowProblems.Count == 0, Verification.Describe(rowProblems));

            // Every study answers from both survivors with its full count; the victim's grains now live on them.
            foreach (var survivor in survivors)
            {
                foreach (var uid in studyUids)
                {
                    var count = await ArchiveHttp.GetStudyInstanceCountAsync(http, survivor.BaseAddress, uid, ct);
                    Assert.True(count == InstancesPerStudy, $"GET /api/studies from {survivor.Settings.Name}: {count} instances, expected {InstancesPerStudy}");
                }
            }

            hosts = await ClusterInspector.StudyGrainSilosAsync(database.ConnectionString, clusterId, "vna", ct);
            Assert.All(victimStudies, uid => Assert.Contains(hosts[uid], survivors.Select(s => s.Settings.SiloPort)));

            // The killed silo comes back on its old ports while the cluster runs: its own stale membership row does not hold
            // it up, and its start-up reconciliation removes what its crash left in hot/tmp.
            var leftOver = HotTier.TemporaryFiles(data).Count;
            await servers[victim].DisposeAsync();
            servers[victim] = await ServerProcess.StartAsync(settings[victim], ct);
            Assert.Empty(HotTier.TemporaryFiles(data));
            Figures.Report($"silo-{victim} rejoined the running cluster in {servers[victim].StartupTime.TotalSeconds:0.0} s and removed the {leftOver} temporary file(s) its crash left");
            foreach (var uid in studyUids)
            {
                Assert.Equal(InstancesPerStudy, await ArchiveHttp.GetStudyInstanceCountAsync(http, servers[victim].BaseAddress, uid, ct));
            }

            // Graceful stops: every membership row of the cluster ends Dead (6); the next start will not wait on any of them.
            var stops = new List<TimeSpan>();
            foreach (var server in servers)
            {
                stops.Add(await server.StopAsync(cancellationToken: ct));
                Assert.Equal(0, server.ExitCode);
            }

            Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM orleans_silo WHERE deployment_id = $1 AND status <> 6", ct, clusterId));
            Figures.Report($"silos stopped with SIGTERM in {string.Join(", ", stops.Select(s => $"{s.TotalSeconds:0.00} s"))}; every membership row Dead");
        }
        finally
        {
            foreach (var server in servers.Where(s => s is not null))
            {
                await server.DisposeAsync();
            }
        }
    }
}
