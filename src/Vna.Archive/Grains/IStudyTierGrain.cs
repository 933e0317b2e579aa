using Vna.Archive.Tiers;
using Vna.Core;

namespace Vna.Archive.Grains;

/// <summary>The tiers' calls on a study grain (keyed by the Study Instance UID): move, recall, placement, rebuild.</summary>
[Alias("vna.IStudyTierGrain")]
public interface IStudyTierGrain : IGrainWithStringKey
{
    /// <summary>
    /// Moves the study to a tier: copy, verify at the destination, flip the placement, delete the sources. Idempotent and
    /// resumable: after a failure or a crash, calling it again completes the move.
    /// </summary>
    [Alias("MoveToTierAsync")]
    [ResponseTimeout("00:30:00")] // a move copies the whole study; Orleans' default of 30 s is for ordinary calls
    Task<TierMoveResult> MoveToTierAsync(StorageTier target, string? transferSyntaxUid, string reason);

    /// <summary>Brings a cold study back to the hot tier; pending while the backend restores the bundle.</summary>
    [Alias("RecallAsync")]
    [ResponseTimeout("00:30:00")]
    Task<RecallStatus> RecallAsync();

    [Alias("GetPlacementAsync")]
    Task<StudyPlacement> GetPlacementAsync();

    /// <summary>Takes placements read from a tier's manifest as the study's record (rebuilding the index from the buckets).</summary>
    [Alias("AdoptPlacementsAsync")]
    [ResponseTimeout("00:05:00")]
    Task<int> AdoptPlacementsAsync(StoredInstance[] instances);
}
