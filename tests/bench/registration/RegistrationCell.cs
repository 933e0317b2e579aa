using System.Diagnostics;
using Vna.Core;

namespace Vna.Bench.Registration;

/// <summary>Runs one cell: registers pre-built instances through the coordinator and times it.</summary>
internal static class RegistrationCell
{
    /// <summary>
    /// <paramref name="concurrency"/> callers take the instances in order (study after study) from a shared cursor, each
    /// registering one instance per <see cref="IStudyCoordinator.RegisterAsync"/> call and waiting for its answer before
    /// taking the next, as concurrent C-STORE associations would. Concurrent calls for one study are the coordinator's
    /// to batch.
    /// </summary>
    public static async Task<CellResult> RunAsync(BenchSilo silo, WorkItem[] items, int studies, int concurrency, int block, CancellationToken cancellationToken)
    {
        var completions = new long[items.Length];
        var latencies = new long[items.Length];
        var next = -1;
        var failures = 0;
        var before = silo.Index.Snapshot();
        var cpuBefore = CpuTime();
        var pgBefore = PostgresCpu.Read();
        var started = Stopwatch.GetTimestamp();

        async Task CallerAsync()
        {
            while (true)
            {
                var i = Interlocked.Increment(ref next);
                if (i >= items.Length)
                {
                    return;
                }

                var t0 = Stopwatch.GetTimestamp();
                var results = await silo.Coordinator.RegisterAsync(items[i].StudyInstanceUid, [items[i].Instance], cancellationToken);
                var t1 = Stopwatch.GetTimestamp();
                latencies[i] = t1 - t0;
                completions[i] = t1;
                if (results[0].Outcome != RegistrationOutcome.Registered)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(CallerAsync, cancellationToken)));
        var elapsed = Stopwatch.GetElapsedTime(started);
        var cpu = CpuTime() - cpuBefore;
        var pg = PostgresCpu.Read() - pgBefore;
        var counters = silo.Index.Snapshot() - before;

        Array.Sort(latencies);
        Array.Sort(completions);
        return new CellResult
        {
            Callers = concurrency == 1 ? "1 caller" : $"{concurrency} callers",
            Concurrency = concurrency,
            Studies = studies,
            StudySize = items.Length / studies,
            Elapsed = elapsed,
            LatencyP50 = Ticks(Percentile(latencies, 0.50)),
            LatencyP99 = Ticks(Percentile(latencies, 0.99)),
            Index = counters,
            BlockMicroseconds = studies == 1 ? Blocks(completions, started, block) : [],
            ProcessCpu = cpu,
            PostgresCpu = pg,
            Failures = failures + await CheckAsync(silo, items, cancellationToken),
        };
    }

    /// <summary>The whole study in one RegisterAsync call (as a STOW-RS of a study, or a bulk import, could send it).</summary>
    public static async Task<CellResult> RunOneCallAsync(BenchSilo silo, WorkItem[] items, CancellationToken cancellationToken)
    {
        var before = silo.Index.Snapshot();
        var cpuBefore = CpuTime();
        var pgBefore = PostgresCpu.Read();
        var started = Stopwatch.GetTimestamp();
        var results = await silo.Coordinator.RegisterAsync(items[0].StudyInstanceUid, [.. items.Select(i => i.Instance)], cancellationToken);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var cpu = CpuTime() - cpuBefore;
        var pg = PostgresCpu.Read() - pgBefore;
        var counters = silo.Index.Snapshot() - before;
        return new CellResult
        {
            Callers = "1 call",
            Concurrency = 1,
            Studies = 1,
            StudySize = items.Length,
            Elapsed = elapsed,
            LatencyP50 = elapsed,
            LatencyP99 = elapsed,
            Index = counters,
            BlockMicroseconds = [],
            ProcessCpu = cpu,
            PostgresCpu = pg,
            Failures = results.Count(r => r.Outcome != RegistrationOutcome.Registered) + await CheckAsync(silo, items, cancellationToken),
        };
    }

    /// <summary>Untimed: every study's grain reports the number of instances the cell registered in it.</summary>
    private static async Task<int> CheckAsync(BenchSilo silo, WorkItem[] items, CancellationToken cancellationToken)
    {
        var wrong = 0;
        foreach (var study in items.GroupBy(i => i.StudyInstanceUid, StringComparer.Ordinal))
        {
            var summary = await silo.Coordinator.GetStudyAsync(study.Key, cancellationToken);
            if (summary?.InstanceCount != study.Count())
            {
                wrong++;
            }
        }

        return wrong;
    }

    /// <summary>Per-instance µs of each block of <paramref name="block"/> consecutive completions (the first from the start).</summary>
    private static double[] Blocks(long[] sortedCompletions, long started, int block)
    {
        var blocks = new double[sortedCompletions.Length / block];
        var previous = started;
        for (var b = 0; b < blocks.Length; b++)
        {
            var end = sortedCompletions[((b + 1) * block) - 1];
            blocks[b] = Ticks(end - previous).TotalMicroseconds / block;
            previous = end;
        }

        return blocks;
    }

    private static TimeSpan CpuTime()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    private static long Percentile(long[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    private static TimeSpan Ticks(long stopwatchTicks) => TimeSpan.FromSeconds((double)stopwatchTicks / Stopwatch.Frequency);
}
