namespace Vna.Archive.Tiers;

/// <summary>How a study's instances are spread over the tiers, and whether a move is under way.</summary>
[GenerateSerializer]
[Alias("vna.StudyPlacement")]
public sealed record StudyPlacement(
    [property: Id(0)] string StudyInstanceUid,
    [property: Id(1)] int Hot,
    [property: Id(2)] int Warm,
    [property: Id(3)] int Cold,
    [property: Id(4)] string? MoveTarget,
    [property: Id(5)] DateTimeOffset? TierChangedAt);
