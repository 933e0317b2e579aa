namespace Vna.Archive.Grains;

/// <summary>A legal hold on the study: while one stands, nothing expires or is purged.</summary>
[GenerateSerializer]
[Alias("vna.LegalHold")]
public sealed class LegalHold
{
    [Id(0)] public string Id { get; set; } = string.Empty;

    [Id(1)] public string PlacedBy { get; set; } = string.Empty;

    [Id(2)] public string Reason { get; set; } = string.Empty;

    [Id(3)] public DateTimeOffset PlacedAt { get; set; }
}
