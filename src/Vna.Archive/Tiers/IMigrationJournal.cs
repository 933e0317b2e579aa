using Vna.Core;

namespace Vna.Archive.Tiers;

/// <summary>The record of study moves (table tier_migration): started, finished or failed, for the admin API and for resuming after a crash.</summary>
public interface IMigrationJournal
{
    /// <summary>
    /// Records that a move of the study started (or restarted: a running record of the same study is reused; a queued
    /// record of the same target becomes the running one); returns its id.
    /// </summary>
    Task<long> StartAsync(string studyInstanceUid, StorageTier? from, StorageTier to, string? transferSyntaxUid, string reason, CancellationToken cancellationToken);

    Task FinishAsync(long id, int instances, long bytes, CancellationToken cancellationToken);

    Task FailAsync(long id, string error, CancellationToken cancellationToken);

    /// <summary>
    /// Closes as done a running record of the study that no move holds any more: a crash after the study's move ended
    /// (the grain's record cleared) but before its journal record was; the study is on its target.
    /// </summary>
    Task FinishStaleAsync(string studyInstanceUid, CancellationToken cancellationToken);
}
