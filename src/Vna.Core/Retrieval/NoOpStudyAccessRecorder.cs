namespace Vna.Core;

/// <summary>The default <see cref="IStudyAccessRecorder"/> when the lifecycle feature is not configured: records nothing.</summary>
public sealed class NoOpStudyAccessRecorder : IStudyAccessRecorder
{
    public ValueTask RecordAccessAsync(string studyInstanceUid, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
