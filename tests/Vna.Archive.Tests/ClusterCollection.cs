namespace Vna.Archive.Tests;

/// <summary>The tests that share one TestCluster: they run one after another, never in parallel.</summary>
[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "Orleans cluster on PostgreSQL";
}
