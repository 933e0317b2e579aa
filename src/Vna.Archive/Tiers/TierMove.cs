using Vna.Core;

namespace Vna.Archive.Tiers;

/// <summary>
/// A move of the study under way, in the grain's state: written before anything is copied, so that after a crash the
/// next attempt knows which copies to clean up (the sources once the placement has flipped, or the copies of an abandoned target).
/// </summary>
[GenerateSerializer]
[Alias("vna.TierMove")]
public sealed class TierMove
{
    [Id(0)] public StorageTier Target { get; set; }

    [Id(1)] public string? TransferSyntaxUid { get; set; }

    [Id(2)] public string Reason { get; set; } = string.Empty;

    [Id(3)] public DateTimeOffset StartedAt { get; set; }

    /// <summary>Copies that existed when the move started; deleted once no placement refers to them.</summary>
    [Id(4)] public List<TierLocation> Sources { get; set; } = [];

    [Id(5)] public int Attempts { get; set; }

    [Id(6)] public long JournalId { get; set; }
}
