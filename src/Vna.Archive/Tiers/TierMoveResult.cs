using Vna.Core;

namespace Vna.Archive.Tiers;

/// <summary>What a move did.</summary>
[GenerateSerializer]
[Alias("vna.TierMoveResult")]
public sealed record TierMoveResult(
    [property: Id(0)] StorageTier Tier,
    [property: Id(1)] int InstancesMoved,
    [property: Id(2)] long BytesMoved,
    [property: Id(3)] int CopiesDeleted,
    [property: Id(4)] int InstanceCount);
