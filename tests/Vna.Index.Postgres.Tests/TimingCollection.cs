namespace Vna.Index.Postgres.Tests;

/// <summary>Tests that print timings run alone, after the parallel ones, so other tests do not distort them.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimingCollection
{
    public const string Name = "Timing (not parallel)";
}
