using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Vna.Bench.QrFind;
using Vna.Core;
using Vna.Dicom;
using Vna.Dimse.QueryRetrieve;
using Vna.Index.Postgres;
using Vna.Index.Postgres.Migrations;

// vna-bench-qr-find seed   --pg ADMIN_CS [--studies 10000]          creates and seeds a database, prints KEY=VALUE lines
// vna-bench-qr-find measure --db CS [--repeat 50] [values from seed] measures FindService in process (no network)
// vna-bench-qr-find drop    --pg ADMIN_CS --name DB                  drops the database
var options = Args.Parse(args);
using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(30));
var ct = cts.Token;
switch (options.Command)
{
    case "seed":
    {
        var admin = options.Get("pg", Environment.GetEnvironmentVariable("VNA_BENCH_PG") ?? "Host=127.0.0.1;Port=55432;Database=vna;Username=vna;Password=vna");
        var studies = int.Parse(options.Get("studies", "10000"), CultureInfo.InvariantCulture);
        var name = "vna_qrbench_" + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray().AsSpan(0, 6));
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync(ct);
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync(ct);
        }

        var cs = new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
        await using var dataSource = NpgsqlDataSource.Create(cs);
        await new PostgresMigrator(dataSource).MigrateAsync(ct);
        var clock = Stopwatch.StartNew();
        var seeded = await Seeder.SeedAsync(new PostgresIndexStore(dataSource), studies, ct);
        await using (var analyze = dataSource.CreateCommand("ANALYZE"))
        {
            await analyze.ExecuteNonQueryAsync(ct);
        }

        Console.Error.WriteLine($"seeded {studies} studies in {clock.Elapsed.TotalSeconds:F1} s");
        Console.WriteLine($"DB_NAME={name}");
        Console.WriteLine($"DB_CS='{cs}'");
        Console.WriteLine($"PATIENT_ID={seeded.PatientId}");
        Console.WriteLine($"STUDY_UID={seeded.StudyInstanceUid}");
        Console.WriteLine($"NAME_PATTERN={seeded.NamePattern}");
        Console.WriteLine($"ONE_DAY={seeded.OneDay}");
        Console.WriteLine($"ONE_MONTH={seeded.OneMonth}");
        break;
    }

    case "measure":
    {
        var cs = options.Get("db", string.Empty);
        var repeat = int.Parse(options.Get("repeat", "50"), CultureInfo.InvariantCulture);
        var seeded = new SeededIndex(0, options.Get("patient-id", ""), options.Get("study-uid", ""), options.Get("name", "MUE*"), options.Get("day", "20240615"), options.Get("month", "20240601-20240630"));
        await using var dataSource = NpgsqlDataSource.Create(cs);
        var service = new FindService(new PostgresIndexStore(dataSource), Options.Create(new QueryRetrieveOptions()), NullLogger<FindService>.Instance);
        var everyone = new DepartmentOptions { Name = "bench" };
        Console.WriteLine("| query | matches | in process median ms | p90 ms |");
        Console.WriteLine("| --- | --- | --- | --- |");
        foreach (var (label, tag, value) in BenchQueries.For(seeded))
        {
            var times = new List<double>(repeat);
            var matches = 0;
            for (var i = 0; i < repeat + 3; i++)
            {
                var identifier = BenchQueries.Identifier(tag, value);
                var sent = 0;
                var clock = Stopwatch.StartNew();
                var completion = await service.FindAsync(QueryRetrieveModel.StudyRoot, identifier, everyone, "VNA", (d, _, _) =>
                {
                    // What the transport would do with each match: encode it.
                    using var sink = new MemoryStream();
                    DicomWriter.WriteDatasetAsync(sink, d, DicomTransferSyntax.ImplicitVRLittleEndian).GetAwaiter().GetResult();
                    sent++;
                    return ValueTask.CompletedTask;
                }, CancellationToken.None, ct);
                clock.Stop();
                if (completion.Status != QueryRetrieveStatus.Success)
                {
                    throw new InvalidOperationException($"{label}: status {completion.Status:X4} {completion.ErrorComment}");
                }

                if (i >= 3)
                {
                    times.Add(clock.Elapsed.TotalMilliseconds);
                }

                matches = sent;
            }

            times.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {label} | {matches} | {times[times.Count / 2]:F2} | {times[(int)(times.Count * 0.9)]:F2} |"));
        }

        break;
    }

    case "drop":
    {
        var admin = options.Get("pg", Environment.GetEnvironmentVariable("VNA_BENCH_PG") ?? "Host=127.0.0.1;Port=55432;Database=vna;Username=vna;Password=vna");
        var name = options.Get("name", string.Empty);
        if (!name.StartsWith("vna_qrbench_", StringComparison.Ordinal))
        {
            throw new ArgumentException("Only vna_qrbench_* databases are dropped.");
        }

        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync(ct);
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync(ct);
        break;
    }

    default:
        Console.Error.WriteLine("usage: vna-bench-qr-find seed|measure|drop [--option value]...");
        return 2;
}

return 0;
