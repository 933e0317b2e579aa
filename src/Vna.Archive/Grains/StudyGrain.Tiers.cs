using Vna.Core;

namespace Vna.Archive.Grains;

// Owned by the tiers feature (issue 7): the move of a study between tiers, inside its grain.
public sealed partial class StudyGrain
{
    /// <summary>
    /// Moves every instance of this study to <paramref name="target"/> (optionally re-encoded to
    /// <paramref name="transferSyntaxUid"/> first): copy, verify the checksum at the destination, flip the placement,
    /// delete the source. The lifecycle engine calls this when a policy action falls due.
    /// </summary>
    /// <exception cref="NotSupportedException">The tiers are not configured on this server.</exception>
    internal Task MoveStudyToTierAsync(StorageTier target, string? transferSyntaxUid, string reason, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"Moving studies to the {target} tier needs the tiers feature, which this build does not have.");
}
