namespace Vna.Bench.Registration;

/// <summary>The figures of one cell: studies × instances per study, registered by some concurrent callers.</summary>
internal sealed record CellResult
{
    /// <summary>How the instances were sent: "C callers" or "1 call".</summary>
    public required string Callers { get; init; }

    public required int Concurrency { get; init; }

    public required int Studies { get; init; }

    public required int StudySize { get; init; }

    public int Instances => Studies * StudySize;

    public required TimeSpan Elapsed { get; init; }

    /// <summary>Median and 99th percentile of one RegisterAsync call as its caller saw it.</summary>
    public required TimeSpan LatencyP50 { get; init; }

    public required TimeSpan LatencyP99 { get; init; }

    public required IndexCounters Index { get; init; }

    /// <summary>Per-instance cost (µs) of each consecutive block of completions; empty unless the cell is one study.</summary>
    public required IReadOnlyList<double> BlockMicroseconds { get; init; }

    public required int Failures { get; init; }

    /// <summary>CPU time of this process (the silo and the callers; PostgreSQL excluded) during the cell.</summary>
    public required TimeSpan ProcessCpu { get; init; }

    /// <summary>CPU time of the local PostgreSQL server during the cell (all its databases), when it can be read.</summary>
    public required TimeSpan? PostgresCpu { get; init; }

    public double InstancesPerSecond => Instances / Elapsed.TotalSeconds;

    public double MicrosecondsPerInstance => Elapsed.TotalMicroseconds / Instances;
}
