using Vna.Core;

namespace Vna.Archive.Tiers;

/// <summary>One copy of an object: its tier and the tier's key.</summary>
[GenerateSerializer]
[Alias("vna.TierLocation")]
public sealed record TierLocation([property: Id(0)] StorageTier Tier, [property: Id(1)] string Location);
