namespace Vna.Core;

/// <summary>
/// Records that a study was read (retrieved, viewed), so retention policies can count "since last access". Retrieval
/// front ends (C-MOVE, C-GET, WADO-RS/URI) call it once per study per request, after they start serving it. The call
/// must be cheap and never fail the retrieval: implementations buffer in memory and write in batches. The default
/// (<see cref="NoOpStudyAccessRecorder"/>) records nothing; the lifecycle feature replaces it.
/// </summary>
public interface IStudyAccessRecorder
{
    /// <summary>Notes that <paramref name="studyInstanceUid"/> was accessed now.</summary>
    ValueTask RecordAccessAsync(string studyInstanceUid, CancellationToken cancellationToken);
}
