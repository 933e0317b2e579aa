using Vna.Core;

namespace Vna.Archive.Grains;

/// <summary>One study of the archive, keyed by its Study Instance UID: the single writer of the study's placement and lifecycle.</summary>
[Alias("vna.IStudyGrain")]
public interface IStudyGrain : IGrainWithStringKey
{
    /// <summary>
    /// Registers a batch of instances already durable on a tier. Idempotent: an instance registered before with the same
    /// checksum is reported as a duplicate, so a caller may retry a batch whose reply it did not get.
    /// </summary>
    [Alias("RegisterAsync")]
    Task<RegistrationResult[]> RegisterAsync(StoredInstance[] instances, int duplicatePolicy);

    [Alias("GetSummaryAsync")]
    Task<StudySummary?> GetSummaryAsync();
}
