using Vna.Archive.Grains;
using Vna.Core;

namespace Vna.Archive.Lifecycle;

/// <summary>
/// What the lifecycle engine in a study grain reads and writes besides the study's own state: last access, legal holds
/// (the source of truth, checked again before anything is rejected or purged), the study's visibility and index rows,
/// and the engine's report. Implemented on PostgreSQL by <c>Vna.Lifecycle</c>.
/// </summary>
public interface ILifecycleStore
{
    Task<DateTimeOffset?> GetLastAccessAsync(string studyInstanceUid, CancellationToken cancellationToken);

    /// <summary>The unreleased holds on the study or on its patient.</summary>
    Task<IReadOnlyList<LegalHold>> GetActiveHoldsAsync(string studyInstanceUid, string patientId, string issuerOfPatientId, CancellationToken cancellationToken);

    /// <summary>Sets the study's lifecycle state in the index (rejected and purged studies are hidden from queries).</summary>
    Task SetStudyStateAsync(string studyInstanceUid, StudyLifecycleState state, CancellationToken cancellationToken);

    /// <summary>Deletes the study's index rows (and its patient's when no other study is left); returns the instance rows deleted.</summary>
    Task<int> PurgeIndexAsync(string studyInstanceUid, CancellationToken cancellationToken);

    /// <summary>Records the engine's view of the study (report, parked list, preview of rejected studies).</summary>
    Task SaveStatusAsync(LifecycleStatus status, CancellationToken cancellationToken);
}
