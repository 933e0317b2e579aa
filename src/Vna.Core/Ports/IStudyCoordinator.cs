namespace Vna.Core;

/// <summary>
/// The single writer of each study (an Orleans grain per Study Instance UID behind this port). Front ends and features
/// reach studies only through it, so no caller sees Orleans.
/// </summary>
public interface IStudyCoordinator
{
    /// <summary>
    /// Registers instances already durable on a tier. Concurrent calls for one study are batched by the implementation,
    /// so the cost per instance does not grow with the size of the study. Returns one result per instance, in order;
    /// when it returns, placement and index rows are durable.
    /// </summary>
    Task<IReadOnlyList<RegistrationResult>> RegisterAsync(string studyInstanceUid, IReadOnlyList<StoredInstance> instances, CancellationToken cancellationToken);

    /// <summary>The study's current summary, or null when the archive does not hold it.</summary>
    Task<StudySummary?> GetStudyAsync(string studyInstanceUid, CancellationToken cancellationToken);
}
