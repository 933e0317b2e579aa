namespace Vna.Core;

/// <summary>
/// The query index (patient, study, series, instance) and the durable record of every instance's placement. Written by
/// study coordinators only; read by queries and retrieval directly.
/// </summary>
public interface IIndexStore
{
    /// <summary>
    /// Inserts or updates instances and their patient/study/series rows, and each instance's
    /// <see cref="StoredInstance.Document"/> when it has one, in one transaction.
    /// </summary>
    Task UpsertInstancesAsync(IReadOnlyList<StoredInstance> instances, CancellationToken cancellationToken);

    /// <summary>Every instance of a study with its placement (what a coordinator loads when it activates).</summary>
    Task<IReadOnlyList<StoredInstance>> GetStudyInstancesAsync(string studyInstanceUid, CancellationToken cancellationToken);

    /// <summary>One instance, or null.</summary>
    Task<StoredInstance?> FindInstanceAsync(string sopInstanceUid, CancellationToken cancellationToken);

    /// <summary>Matches a query (C-FIND, QIDO-RS) and returns the matches' attributes at the query's level.</summary>
    Task<IndexQueryResult> QueryAsync(IndexQuery query, CancellationToken cancellationToken);
}
