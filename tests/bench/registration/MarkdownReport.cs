using System.Globalization;
using System.Runtime;
using System.Text;

namespace Vna.Bench.Registration;

/// <summary>The report: the machine, then one table per question.</summary>
internal static class MarkdownReport
{
    public static string Machine()
    {
        var model = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        return $"{Environment.ProcessorCount} CPUs ({model ?? "unknown model"}), .NET {Environment.Version}, "
            + $"{(GCSettings.IsServerGC ? "server" : "workstation")} GC";
    }

    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    public static string Render(BenchSettings settings, string header, IReadOnlyList<CellResult> cells)
    {
        var md = new StringBuilder();
        md.AppendLine(header);

        md.AppendLine(CultureInfo.InvariantCulture, $"### Per-instance cost by study size ({settings.Total} instances per cell, one instance per call)");
        md.AppendLine();
        md.AppendLine("| callers | study size | studies | total s | instances/s | µs/instance | call p50 ms | call p99 ms | index batches | mean batch | activations | index ms/batch | silo CPU µs/instance | PostgreSQL CPU µs/instance | failures |");
        md.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var c in cells)
        {
            var batches = Math.Max(1, c.Index.Batches);
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {c.Callers} | {c.StudySize} | {c.Studies} | {c.Elapsed.TotalSeconds:F2} | {c.InstancesPerSecond:F0} | {c.MicrosecondsPerInstance:F0} | "
                + $"{c.LatencyP50.TotalMilliseconds:F1} | {c.LatencyP99.TotalMilliseconds:F1} | {c.Index.Batches} | {(double)c.Index.Instances / batches:F1} | "
                + $"{c.Index.Activations} | {c.Index.UpsertTime.TotalMilliseconds / batches:F2} | {c.ProcessCpu.TotalMicroseconds / c.Instances:F0} | "
                + $"{(c.PostgresCpu is { } pg ? (pg.TotalMicroseconds / c.Instances).ToString("F0", CultureInfo.InvariantCulture) : "n/a")} | {c.Failures} |");
        }

        md.AppendLine();
        md.AppendLine("µs/instance: wall time ÷ instances. Call p50/p99: one RegisterAsync as its caller saw it. Index batches: IIndexStore.UpsertInstancesAsync");
        md.AppendLine("calls (one per grain call that wrote); activations: study grains activated (each reads its study from the index). Silo CPU: this");
        md.AppendLine("process (silo and callers); PostgreSQL CPU: every postgres process of the local server, other databases' work included.");
        md.AppendLine();
        var largest = settings.Sizes.Max();
        var smallest = settings.Sizes.Min();
        if (largest == settings.Total && smallest < largest)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"### 1 study × {largest} versus {settings.Total / smallest} studies × {smallest}");
            md.AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture, $"| callers | 1 × {largest}: instances/s | {settings.Total / smallest} × {smallest}: instances/s | ratio |");
            md.AppendLine("| --- | ---: | ---: | ---: |");
            foreach (var c in cells.Where(c => c.Callers != "1 call" && c.Studies == 1))
            {
                var other = cells.FirstOrDefault(o => o.Callers == c.Callers && o.StudySize == smallest);
                if (other is not null)
                {
                    md.AppendLine(CultureInfo.InvariantCulture,
                        $"| {c.Callers} | {c.InstancesPerSecond:F0} | {other.InstancesPerSecond:F0} | {c.InstancesPerSecond / other.InstancesPerSecond:F1}× |");
                }
            }
        }

        var filled = cells.Where(c => c.BlockMicroseconds.Count > 0).ToList();
        if (filled.Count > 0)
        {
            md.AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture, $"### One study filling up: µs per instance in consecutive blocks of {settings.Block} completions");
            md.AppendLine();
            var blocks = filled.Max(c => c.BlockMicroseconds.Count);
            md.Append("| callers |");
            for (var b = 0; b < blocks; b++)
            {
                md.Append(CultureInfo.InvariantCulture, $" {(b * settings.Block) + 1}–{(b + 1) * settings.Block} |");
            }

            md.AppendLine(" last ÷ first | last ÷ second |");
            md.Append("| --- |");
            md.Append(string.Concat(Enumerable.Repeat(" ---: |", blocks + 2)));
            md.AppendLine();
            foreach (var c in filled)
            {
                md.Append(CultureInfo.InvariantCulture, $"| {c.Callers} |");
                foreach (var us in c.BlockMicroseconds)
                {
                    md.Append(CultureInfo.InvariantCulture, $" {us:F0} |");
                }

                var v = c.BlockMicroseconds;
                md.AppendLine(CultureInfo.InvariantCulture,
                    $" {v[^1] / v[0]:F2} | {(v.Count > 1 ? (v[^1] / v[1]).ToString("F2", CultureInfo.InvariantCulture) : "–")} |");
            }
        }

        return md.ToString();
    }
}
