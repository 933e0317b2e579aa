using System.Globalization;
using System.Text;
using Vna.Bench.Registration;

// Times registration through IStudyCoordinator.RegisterAsync on one in-process silo composed like Vna.Server,
// with pre-built StoredInstance records (no files): see BenchSettings.Usage and tests/bench/README.md.
BenchSettings settings;
try
{
    if (args.Contains("--help") || args.Contains("-h"))
    {
        Console.WriteLine(BenchSettings.Usage);
        return 0;
    }

    settings = BenchSettings.Parse(args);
}
catch (ArgumentException ex)
{
    await Console.Error.WriteLineAsync($"vna-bench-registration: {ex.Message}\n\n{BenchSettings.Usage}");
    return 2;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
var ct = cancel.Token;

var loadBefore = MarkdownReport.LoadAverage();
var startedAt = DateTimeOffset.UtcNow;
await using var database = await BenchDatabase.CreateAsync(settings.ConnectionString, ct);
database.Keep = settings.KeepDatabase;
var postgres = await database.DescribeServerAsync(ct);
await Console.Error.WriteLineAsync($"database {database.Name} migrated; {postgres}; starting the silo");

var cells = new List<CellResult>();
var expectedRows = 0L;
await using (var silo = await BenchSilo.StartAsync(database, ct))
{
    if (settings.Warmup > 0)
    {
        // JIT, connection pools, the silo's first activations: untimed, on studies of their own.
        var half = Math.Max(1, settings.Warmup / 2);
        await RegistrationCell.RunAsync(silo, SyntheticStudies.Create(half, 1, settings.SeriesSize), half, 8, settings.Block, ct);
        await RegistrationCell.RunAsync(silo, SyntheticStudies.Create(1, half, settings.SeriesSize), 1, 8, settings.Block, ct);
        expectedRows += 2L * half;
    }

    foreach (var concurrency in settings.Concurrency)
    {
        foreach (var size in settings.Sizes)
        {
            var studies = settings.Total / size;
            var items = SyntheticStudies.Create(studies, size, settings.SeriesSize);
            var cell = await RegistrationCell.RunAsync(silo, items, studies, concurrency, settings.Block, ct);
            expectedRows += items.Length;
            cells.Add(cell);
            await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{cell.Callers,-11} {studies,5} × {size,-5} {cell.Elapsed.TotalSeconds,7:F2} s {cell.InstancesPerSecond,7:F0}/s  "
                + $"batches {cell.Index.Batches}  activations {cell.Index.Activations}  failures {cell.Failures}  load {MarkdownReport.LoadAverage()}"));
        }
    }

    if (settings.OneCall)
    {
        var items = SyntheticStudies.Create(1, settings.Sizes.Max(), settings.SeriesSize);
        var cell = await RegistrationCell.RunOneCallAsync(silo, items, ct);
        expectedRows += items.Length;
        cells.Add(cell);
        await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"1 call          1 × {items.Length,-5} {cell.Elapsed.TotalSeconds,7:F2} s {cell.InstancesPerSecond,7:F0}/s  batches {cell.Index.Batches}"));
    }
}

var rows = await database.CountAsync("SELECT count(*) FROM instance", ct);
var header = new StringBuilder()
    .AppendLine(CultureInfo.InvariantCulture, $"## Registration benchmark — {startedAt:yyyy-MM-dd HH:mm} UTC")
    .AppendLine()
    .AppendLine(CultureInfo.InvariantCulture, $"- machine: {MarkdownReport.Machine()}")
    .AppendLine(CultureInfo.InvariantCulture, $"- load average (1/5/15 min): {loadBefore} before, {MarkdownReport.LoadAverage()} after")
    .AppendLine(CultureInfo.InvariantCulture, $"- PostgreSQL: {postgres}")
    .AppendLine(CultureInfo.InvariantCulture, $"- silo: in-process, UseVnaPostgres + PostgresIndexStore + GrainStudyCoordinator (max batch 256), fresh database {database.Name}")
    .AppendLine(CultureInfo.InvariantCulture, $"- instance rows in the index at the end: {rows} (expected {expectedRows}); series of {settings.SeriesSize} instances; warm-up {settings.Warmup} instances")
    .AppendLine();
var report = MarkdownReport.Render(settings, header.ToString(), cells);
Console.WriteLine(report);
if (settings.OutputFile is { } path)
{
    await File.WriteAllTextAsync(path, report, ct);
}

return rows == expectedRows && cells.All(c => c.Failures == 0) ? 0 : 1;
