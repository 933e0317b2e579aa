namespace Vna.Archive.Tests.Grains;

/// <summary>Ticks counted so far, and where the grain lives now and lived at the last tick.</summary>
[GenerateSerializer]
[Alias("Vna.Archive.Tests.TickReport")]
public sealed record TickReport(
    [property: Id(0)] int Ticks,
    [property: Id(1)] string? LastTickSilo,
    [property: Id(2)] string HostingSilo);
