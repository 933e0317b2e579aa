namespace Vna.Cli.Tests;

/// <summary>
/// The sample corpus tests run alone: they measure <see cref="GC.GetTotalAllocatedBytes"/> (process-wide) around the reads
/// that must fail without allocating what a corrupt length declares.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SampleCorpusCollection
{
    public const string Name = "Sample corpus";
}
