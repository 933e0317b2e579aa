using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using Amazon.S3;
using Amazon.S3.Model;
using Vna.Storage.Warm;
using Vna.Testing;

// tests/bench/tiers: see tests/bench/README.md, "Tiers: migration and recall".
var ct = CancellationToken.None;
var studiesPerSet = Arg("--studies", 4);
var perStudy = Arg("--per-study", 50);
var recallInstances = Arg("--recall-instances", 500);
var concurrency = Arg("--concurrency", 8);
var report = new StringBuilder();
void Say(string line)
{
    Console.Error.WriteLine(line);
    report.AppendLine(line);
}

var endpoint = Environment.GetEnvironmentVariable("VNA_TEST_S3") ?? throw new InvalidOperationException("set VNA_TEST_S3 (tests/bench/tiers.sh does)");
var (pg, pgProblem) = await TestPostgres.GetAsync();
if (pg is null)
{
    throw new InvalidOperationException("PostgreSQL: " + pgProblem);
}

var suffix = Guid.NewGuid().ToString("N")[..8];
var s3 = new S3StorageOptions
{
    ServiceUrl = endpoint,
    AccessKey = Environment.GetEnvironmentVariable("VNA_S3_ACCESS_KEY") ?? "vnatestaccess",
    SecretKey = Environment.GetEnvironmentVariable("VNA_S3_SECRET_KEY") ?? "vnatestsecret",
    WarmBucket = $"bench-{suffix}-warm",
    ColdBucket = $"bench-{suffix}-cold",
};
var rawBucket = $"bench-{suffix}-raw";
using var client = S3ClientFactory.Create(s3);
foreach (var bucket in new[] { s3.WarmBucket, s3.ColdBucket, rawBucket })
{
    await client.PutBucketAsync(new PutBucketRequest { BucketName = bucket }, ct);
}

using var scratch = new ScratchFolder("bench-tiers");
await using var database = await TestDatabase.CreateAsync(pg, "vna_bench_tiers", ct);
var settings = new ServerSettings
{
    Name = "bench-tiers",
    Postgres = database.ConnectionString,
    WorkDirectory = scratch.Path,
    DataDirectory = scratch.Sub("data"),
    Configuration = new Dictionary<string, string>
    {
        ["Tiers__Enabled"] = "true",
        ["Tiers__S3__ServiceUrl"] = s3.ServiceUrl,
        ["Tiers__S3__AccessKey"] = s3.AccessKey,
        ["Tiers__S3__SecretKey"] = s3.SecretKey,
        ["Tiers__S3__WarmBucket"] = s3.WarmBucket,
        ["Tiers__S3__ColdBucket"] = s3.ColdBucket,
        ["Logging__LogLevel__Default"] = "Warning",
        ["Tiers__CopyConcurrency"] = Arg("--copy-concurrency", 8).ToString(CultureInfo.InvariantCulture),
        ["Tiers__MaxConcurrentMigrations"] = Arg("--migrations", 2).ToString(CultureInfo.InvariantCulture),
        ["Tiers__S3__MaxConcurrentRequests"] = concurrency.ToString(CultureInfo.InvariantCulture),
    },
};
using var http = ArchiveHttp.CreateClient(TimeSpan.FromMinutes(30));
await using var server = await ServerProcess.StartAsync(settings, ct);
Say($"# Tiers benchmark {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
Say($"load before: {File.ReadAllText("/proc/loadavg").Trim()} ({Environment.ProcessorCount} CPUs)");
Say($"server: built Vna.Server (Release), tiers on, {settings.Configuration["Tiers__MaxConcurrentMigrations"]} concurrent migrations × {settings.Configuration["Tiers__CopyConcurrency"]} copies, {concurrency} S3 requests in flight at most (the raw PUT: {concurrency} in flight); S3: Ceph RGW at {endpoint} (memstore)");

// Two sets of studies, imported over HTTP (not timed).
var sets = new List<List<SyntheticInstance>>();
for (var set = 0; set < 2; set++)
{
    var instances = Enumerable.Range(0, studiesPerSet).SelectMany(n => SyntheticCt.CreateStudy(1000 + (set * 100) + n, 2, perStudy / 2)).ToList();
    await Import(instances);
    sets.Add(instances);
}

// The same bytes for the raw PUT, copied aside (the migration deletes the hot copies).
var rawSource = scratch.Sub("raw-source");
var setFiles = new List<List<(string Path, long Size)>>();
foreach (var set in sets)
{
    var files = new List<(string, long)>();
    foreach (var study in set.Select(i => i.Study.StudyInstanceUid).Distinct())
    {
        foreach (var file in Directory.EnumerateFiles(Path.Combine(settings.DataDirectory, "hot", "studies", study), "*.dcm", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(rawSource, Path.GetFileName(file));
            File.Copy(file, copy);
            files.Add((copy, new FileInfo(copy).Length));
        }
    }

    setFiles.Add(files);
}

// Warm-up, not timed: one small study migrated and its files put raw, so that neither side's first timed set pays the
// first grain activations, JIT compilation of its path and the first S3 connections (a production archive migrates
// continuously; BenchmarkDotNet warms up in the same way).
var warmUp = SyntheticCt.CreateStudy(900, 1, 16);
await Import(warmUp);
var warmUpFiles = Directory.EnumerateFiles(Path.Combine(settings.DataDirectory, "hot", "studies", warmUp[0].Study.StudyInstanceUid), "*.dcm", SearchOption.AllDirectories)
    .Select(file =>
    {
        var copy = Path.Combine(rawSource, "warm-up-" + Path.GetFileName(file));
        File.Copy(file, copy);
        return (copy, new FileInfo(copy).Length);
    })
    .ToList();
await RawPut("warm-up", warmUpFiles);
await Migrate("warm-up", warmUp);

var rows = new List<(string What, long Bytes, int Objects, TimeSpan Time)>();
// Round 1: raw then migration (set A); round 2: migration then raw (set B).
rows.Add(await RawPut("raw PUT, set A", setFiles[0]));
rows.Add(await Migrate("migration hot→warm, set A", sets[0]));
rows.Add(await Migrate("migration hot→warm, set B", sets[1]));
rows.Add(await RawPut("raw PUT, set B", setFiles[1]));

Say("");
Say("| step | objects | MB | seconds | MB/s |");
Say("| --- | ---: | ---: | ---: | ---: |");
foreach (var (what, bytes, objects, time) in rows)
{
    Say(string.Create(CultureInfo.InvariantCulture, $"| {what} | {objects} | {bytes / 1e6:0.0} | {time.TotalSeconds:0.00} | {bytes / 1e6 / time.TotalSeconds:0.0} |"));
}

double Rate(int i) => rows[i].Bytes / rows[i].Time.TotalSeconds;
var ratioA = Rate(1) / Rate(0);
var ratioB = Rate(2) / Rate(3);
var ratio = (Rate(1) + Rate(2)) / (Rate(0) + Rate(3));
Say(string.Create(CultureInfo.InvariantCulture, $"\nratio migration / raw PUT: set A {ratioA:0.00}, set B {ratioB:0.00}, both {ratio:0.00} (goal ≥ 0.8)"));

// A 500-instance study: to cold, then recalled.
var big = SyntheticCt.CreateStudy(2000, 2, recallInstances / 2);
await Import(big);
var uid = big[0].Study.StudyInstanceUid;
var bytesBig = await database.ScalarAsync<long>("SELECT total_bytes FROM study WHERE study_instance_uid = $1", ct, uid);
var clock = Stopwatch.StartNew();
using (var moved = await http.PostAsync(new Uri(server.BaseAddress, $"api/tiers/studies/{uid}/move?tier=cold"), null, ct))
{
    moved.EnsureSuccessStatusCode();
}

var toCold = clock.Elapsed;
var bundle = await client.GetObjectMetadataAsync(s3.ColdBucket, $"studies/{uid}/study.vnab", ct);
clock.Restart();
using (var recalled = await http.PostAsync(new Uri(server.BaseAddress, $"api/tiers/studies/{uid}/recall?wait=1800"), null, ct))
{
    if ((int)recalled.StatusCode != 200)
    {
        throw new InvalidOperationException($"recall answered {(int)recalled.StatusCode}: {await recalled.Content.ReadAsStringAsync(ct)}");
    }
}

var recall = clock.Elapsed;
var verify = await http.GetFromJsonAsync<System.Text.Json.JsonElement>(new Uri(server.BaseAddress, $"api/tiers/studies/{uid}/verify?wait=0"), ct);
Say("");
Say(string.Create(CultureInfo.InvariantCulture,
    $"{recallInstances}-instance study, {bytesBig / 1e6:0.0} MB: hot → cold {toCold.TotalSeconds:0.00} s (bundle {bundle.ContentLength / 1e6:0.0} MB, LZ4), recall cold → hot {recall.TotalSeconds:0.00} s ({bytesBig / 1e6 / recall.TotalSeconds:0.0} MB/s); read back {verify.GetProperty("verified").GetInt32()} of {verify.GetProperty("instances").GetInt32()} verified"));
Say($"load after: {File.ReadAllText("/proc/loadavg").Trim()}");

if (Environment.GetEnvironmentVariable("VNA_BENCH_REPORT") is { Length: > 0 } path)
{
    await File.WriteAllTextAsync(path, report.ToString(), ct);
}

// Clean the buckets (memstore keeps objects in RAM).
foreach (var bucket in new[] { s3.WarmBucket, s3.ColdBucket, rawBucket })
{
    using var store = new S3ObjectStore(s3);
    var keys = new List<string>();
    await foreach (var key in store.ListKeysAsync(bucket, "", ct))
    {
        keys.Add(key);
    }

    await store.DeleteManyAsync(bucket, keys, ct);
    await client.DeleteBucketAsync(bucket, ct);
}

return 0;

async Task Import(IReadOnlyList<SyntheticInstance> instances) =>
    await Parallel.ForEachAsync(instances, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (instance, token) =>
    {
        var result = await ArchiveHttp.PostAsync(http, server.BaseAddress, await SyntheticCt.EncodeAsync(instance, token), token);
        if (!result.Acknowledged)
        {
            throw new InvalidOperationException($"store refused: {result.StatusCode} {result.Detail}");
        }
    });

async Task<(string, long, int, TimeSpan)> RawPut(string what, List<(string Path, long Size)> files)
{
    var clock = Stopwatch.StartNew();
    await Parallel.ForEachAsync(files, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (file, token) =>
        await client.PutObjectAsync(new PutObjectRequest { BucketName = rawBucket, Key = "raw/" + Path.GetFileName(file.Path), FilePath = file.Path, UseChunkEncoding = false }, token));
    var time = clock.Elapsed;
    return (what, files.Sum(f => f.Size), files.Count, time);
}

async Task<(string, long, int, TimeSpan)> Migrate(string what, IReadOnlyList<SyntheticInstance> set)
{
    var studies = set.Select(i => i.Study.StudyInstanceUid).Distinct().ToArray();
    var bytes = await database.ScalarAsync<long>("SELECT sum(total_bytes)::bigint FROM study WHERE study_instance_uid = ANY($1)", ct, (object)studies);
    var clock = Stopwatch.StartNew();
    using (var queued = await http.PostAsJsonAsync(new Uri(server.BaseAddress, "api/tiers/migrations"), new { studies, tier = "warm", reason = "bench" }, ct))
    {
        queued.EnsureSuccessStatusCode();
    }

    while (await database.ScalarAsync<long>("SELECT count(*) FROM tier_migration WHERE state = 'done' AND study_instance_uid = ANY($1)", ct, (object)studies) < studies.Length)
    {
        if (await database.ScalarAsync<long>("SELECT count(*) FROM tier_migration WHERE state = 'failed' AND study_instance_uid = ANY($1)", ct, (object)studies) > 0)
        {
            throw new InvalidOperationException("a migration failed: see GET /api/tiers/migrations");
        }

        await Task.Delay(10, ct);
    }

    var time = clock.Elapsed;
    return (what, bytes, set.Count, time);
}

int Arg(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}
