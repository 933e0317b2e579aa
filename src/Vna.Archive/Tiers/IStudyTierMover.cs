using Vna.Core;

namespace Vna.Archive.Tiers;

/// <summary>
/// The tiers' side of a study move, used by the study grain (which owns the placement): copy a study's instances to a
/// tier and verify them there, delete copies no placement refers to, and prepare a recall. Implemented by
/// <c>Vna.Tiers</c>; when it is not registered the grain refuses moves.
/// </summary>
public interface IStudyTierMover
{
    /// <summary>
    /// Copies the study to <paramref name="target"/> (optionally re-encoded to <paramref name="transferSyntaxUid"/>) and
    /// verifies every copy at the destination. <paramref name="instances"/> is the whole study; instances already on the
    /// target are kept as they are, except on the cold tier, whose bundle always holds the whole study. Returns the
    /// study's placements on the target, in no particular order. Nothing is deleted.
    /// </summary>
    Task<IReadOnlyList<StoredInstance>> CopyAsync(IReadOnlyList<StoredInstance> instances, StorageTier target, string? transferSyntaxUid, StudyPolicySnapshot policy, CancellationToken cancellationToken);

    /// <summary>Deletes the given copies (idempotent); the grain passes only copies no placement refers to any more.</summary>
    Task DeleteAsync(string studyInstanceUid, IReadOnlyList<TierLocation> copies, CancellationToken cancellationToken);

    /// <summary>Where a copy of <paramref name="instance"/> on <paramref name="tier"/> would be (for cleaning up a move that was abandoned).</summary>
    TierLocation LocationOn(StorageTier tier, StoredInstance instance);

    /// <summary>
    /// Makes the study's cold bundle readable: asks for a restore where the backend archives it. Returns null when it can
    /// be read now, else how long to wait before asking again.
    /// </summary>
    Task<TimeSpan?> PrepareRecallAsync(string studyInstanceUid, CancellationToken cancellationToken);
}
