namespace Vna.Dimse.Tests;

/// <summary>The tests that share one running server (run one after another: some count instances or associations).</summary>
[CollectionDefinition(Name)]
public sealed class DimseCollection : ICollectionFixture<DimseServerFixture>
{
    public const string Name = "dimse server";
}
