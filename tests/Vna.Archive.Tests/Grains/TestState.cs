namespace Vna.Archive.Tests.Grains;

/// <summary>Persistent state of <see cref="StateTestGrain"/>.</summary>
[GenerateSerializer]
[Alias("Vna.Archive.Tests.TestState")]
public sealed class TestState
{
    [Id(0)]
    public string? Value { get; set; }

    [Id(1)]
    public int Count { get; set; }

    [Id(2)]
    public List<string> History { get; set; } = [];
}
