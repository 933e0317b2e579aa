using System.Security.Cryptography;
using System.Diagnostics;
using System.Globalization;
using Vna.Benchmarks;
using Npgsql;
using Vna.Index.Postgres.Migrations;
using Vna.Lifecycle;
using Vna.Policies;

namespace Vna.Bench.PolicyPreview;

/// <summary>
/// The preview as the admin API runs it, database included: every study's facts read from a PostgreSQL index of 100,000
/// studies (one query joining study, patient, series, last access, the lifecycle report and holds), then the shipped
/// policies run forward 30 days. Needs PostgreSQL: <c>VNA_BENCH_PG</c> or <c>VNA_TEST_PG</c> (an admin connection string;
/// a throwaway database is created and dropped).
/// </summary>
internal sealed class PreviewBench
{
    private const int Studies = 100_000;

    private string _admin = string.Empty;
    private string _database = string.Empty;
    private NpgsqlDataSource? _dataSource;
    private PostgresLifecycleStore? _store;
    private PolicySet _set = PolicySet.Empty;

    public void Setup()
    {
        _admin = Environment.GetEnvironmentVariable("VNA_BENCH_PG") ?? Environment.GetEnvironmentVariable("VNA_TEST_PG")
            ?? throw new InvalidOperationException("Set VNA_BENCH_PG (or VNA_TEST_PG) to an admin connection string of a PostgreSQL server.");
        _database = "vna_bench_preview_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        using (var admin = new NpgsqlConnection(_admin))
        {
            admin.Open();
            using var create = new NpgsqlCommand($"CREATE DATABASE \"{_database}\"", admin);
            create.ExecuteNonQuery();
        }

        _dataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(_admin) { Database = _database }.ConnectionString);
        new PostgresMigrator(_dataSource).MigrateAsync(CancellationToken.None).GetAwaiter().GetResult();
        using (var seed = _dataSource.CreateCommand(Seed))
        {
            seed.CommandTimeout = 600;
            seed.ExecuteNonQuery();
        }

        _store = new PostgresLifecycleStore(_dataSource);
        _set = PolicyBenchmarkData.ShippedPolicies();
    }

    public void Cleanup()
    {
        _dataSource?.Dispose();
        using var admin = new NpgsqlConnection(_admin);
        admin.Open();
        using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE)", admin);
        drop.ExecuteNonQuery();
    }

    /// <summary>Seeds, then times <paramref name="runs"/> runs of each step (after one warm-up run), and prints the figures.</summary>
    public static async Task<int> Main(string[] args)
    {
        var runs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10;
        var bench = new PreviewBench();
        var seeding = Stopwatch.StartNew();
        bench.Setup();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seeded {Studies:N0} studies in {seeding.Elapsed.TotalSeconds:0.0} s"));
        try
        {
            await Time("load facts (SQL)", runs, async () => await bench.LoadFacts());
            await Time("load facts + preview 30 days", runs, async () => await bench.LoadAndPreview30Days());
            var report = await bench.LoadAndPreview30Days();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"preview: {report.ArchiveStudies:N0} studies, {report.StepCount:N0} steps in 30 days, {report.StudiesExpiring:N0} expiring, {report.StudiesHeld} held back"));
            foreach (var line in report.Window)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {line.Action,-8} {line.Tier,-5} -> {line.Target ?? "-",-5} {line.Studies,8:N0} studies {line.Bytes / 1e9,10:0.0} GB"));
            }
        }
        finally
        {
            bench.Cleanup();
        }

        return 0;
    }

    private static async Task Time(string what, int runs, Func<Task> step)
    {
        await step();
        var times = new List<double>(runs);
        for (var i = 0; i < runs; i++)
        {
            var clock = Stopwatch.StartNew();
            await step();
            times.Add(clock.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{what}: median {times[times.Count / 2]:0} ms, min {times[0]:0} ms, max {times[^1]:0} ms ({runs} runs)"));
    }

    /// <summary>Reading the facts of 100,000 studies.</summary>
    public async Task<int> LoadFacts() => (await _store!.LoadFactsAsync(CancellationToken.None)).Count;

    /// <summary>Reading them and running the shipped policies forward 30 days (what POST /api/policies/preview?days=30 does).</summary>
    public async Task<PreviewReport> LoadAndPreview30Days()
    {
        var facts = await _store!.LoadFactsAsync(CancellationToken.None);
        return Vna.Policies.PolicyPreview.Run(_set, facts, PolicyBenchmarkData.Now, days: 30, studyLimit: 1000);
    }

    // 100,000 patients and studies (one series, one instance each) over 15 years; tiers by age; a third read since; some holds.
    private static readonly string Seed = $"""
        INSERT INTO patient (patient_id, patient_birth_date)
            SELECT 'P' || g, to_char(date '1940-01-01' + (g * 7919 % 30000), 'YYYYMMDD') FROM generate_series(1, {Studies}) g;
        INSERT INTO study (study_instance_uid, patient_pk, study_date, study_description, modalities_in_study, sop_classes_in_study,
                           source_departments, num_series, num_instances, num_nearline_instances, total_bytes, first_received_at)
            SELECT '1.2.826.0.1.3680043.10.543.' || g, g, to_char(date '2026-11-28' - (g * 31 % 5475), 'YYYYMMDD'),
                   (ARRAY['CT CHEST WITHOUT CONTRAST','MR BRAIN','MAMMO SCREENING BILATERAL','Phase III trial baseline','XR CHEST PA'])[1 + g % 5],
                   ARRAY[(ARRAY['CT','MR','MG','CR','US','DX','NM'])[1 + g % 7]], ARRAY['1.2.840.10008.5.1.4.1.1.2'],
                   ARRAY[(ARRAY['radiology','cardiology','oncology','emergency','research'])[1 + g % 5]],
                   1, 1, CASE WHEN g * 31 % 5475 > 730 THEN 1 ELSE 0 END, 5000000 + g,
                   timestamptz '2026-11-28 10:00Z' - make_interval(days => g * 31 % 5475)
            FROM generate_series(1, {Studies}) g;
        INSERT INTO series (series_instance_uid, study_pk, modality, body_part_examined, num_instances)
            SELECT '1.2.826.0.1.3680043.10.544.' || g, g, (ARRAY['CT','MR','MG','CR','US','DX','NM'])[1 + g % 7],
                   (ARRAY['CHEST','HEAD','BREAST','ABDOMEN'])[1 + g % 4], 1
            FROM generate_series(1, {Studies}) g;
        INSERT INTO instance (sop_instance_uid, series_pk, study_pk, sop_class_uid, transfer_syntax_uid, size, sha256, tier, location, received_at)
            SELECT '1.2.826.0.1.3680043.10.545.' || g, g, g, '1.2.840.10008.5.1.4.1.1.2', '1.2.840.10008.1.2.1', 5000000 + g, md5(g::text),
                   CASE WHEN g * 31 % 5475 > 730 THEN 2 WHEN g * 31 % 5475 > 90 THEN 1 ELSE 0 END, 'studies/' || g,
                   timestamptz '2026-11-28 10:00Z' - make_interval(days => g * 31 % 5475)
            FROM generate_series(1, {Studies}) g;
        INSERT INTO study_access (study_instance_uid, last_access_at, access_count)
            SELECT '1.2.826.0.1.3680043.10.543.' || g, timestamptz '2026-11-28 10:00Z' - make_interval(days => g % 400), 1
            FROM generate_series(1, {Studies}, 3) g;
        INSERT INTO legal_hold (hold_id, scope, study_instance_uid, reason, placed_by, placed_at)
            SELECT 'hold-' || g, 'study', '1.2.826.0.1.3680043.10.543.' || g, 'bench', 'bench', now()
            FROM generate_series(1, {Studies}, 1000) g;
        ANALYZE;
        """;
}
