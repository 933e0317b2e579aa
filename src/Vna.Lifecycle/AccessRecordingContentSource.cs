using Vna.Core;

namespace Vna.Lifecycle;

/// <summary>
/// Wraps the content source every retrieval front end reads through (C-MOVE, C-GET, WADO-RS/URI) and records each
/// successful open as an access of the instance's study, so "since last access" policies see real reads without each
/// front end having to call <see cref="IStudyAccessRecorder"/> itself. (Reads by the archive's own maintenance through
/// the same port, such as verification or metadata capture at ingest, count too.)
/// </summary>
public sealed class AccessRecordingContentSource(IInstanceContentSource inner, IStudyAccessRecorder recorder) : IInstanceContentSource
{
    public async Task<InstanceContent> OpenAsync(StoredInstance instance, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var content = await inner.OpenAsync(instance, maxWait, cancellationToken).ConfigureAwait(false);
        await recorder.RecordAccessAsync(instance.StudyInstanceUid, cancellationToken).ConfigureAwait(false);
        return content;
    }
}
