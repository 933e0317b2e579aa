namespace Vna.Core;

/// <summary>
/// Opens the stored Part 10 bytes of an instance wherever its copy lives (hot file, warm S3 object, cold bundle after a
/// recall). Retrieval front ends (C-MOVE, C-GET, WADO) read through this port only. The default
/// (<see cref="HotInstanceContentSource"/>) reads the hot tier; the tiers replace it.
/// </summary>
public interface IInstanceContentSource
{
    /// <summary>
    /// Opens the instance for reading. Throws <see cref="StudyRecallPendingException"/> when the copy is on a tier that
    /// must be recalled first and the recall has not finished within <paramref name="maxWait"/> (the recall goes on).
    /// </summary>
    Task<InstanceContent> OpenAsync(StoredInstance instance, TimeSpan maxWait, CancellationToken cancellationToken);
}
