using System.Diagnostics;

namespace Vna.Bench.Registration;

/// <summary>What <see cref="CountingIndexStore"/> counted so far; subtract two snapshots for one cell.</summary>
internal readonly record struct IndexCounters(long Batches, long Instances, long UpsertTicks, long Activations)
{
    public TimeSpan UpsertTime => TimeSpan.FromSeconds((double)UpsertTicks / Stopwatch.Frequency);

    public static IndexCounters operator -(IndexCounters a, IndexCounters b) =>
        new(a.Batches - b.Batches, a.Instances - b.Instances, a.UpsertTicks - b.UpsertTicks, a.Activations - b.Activations);
}
