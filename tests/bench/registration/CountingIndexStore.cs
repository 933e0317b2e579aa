using System.Diagnostics;
using Vna.Core;

namespace Vna.Bench.Registration;

/// <summary>
/// The index store the grains use, wrapped to count what registration asks of it: one
/// <see cref="IIndexStore.UpsertInstancesAsync"/> per grain batch (so batches and their mean size) and one
/// <see cref="IIndexStore.GetStudyInstancesAsync"/> per grain activation. Adds two timestamps per call.
/// </summary>
internal sealed class CountingIndexStore(IIndexStore inner) : IIndexStore
{
    private long _batches;
    private long _instances;
    private long _upsertTicks;
    private long _activations;

    public IndexCounters Snapshot() => new(
        Interlocked.Read(ref _batches),
        Interlocked.Read(ref _instances),
        Interlocked.Read(ref _upsertTicks),
        Interlocked.Read(ref _activations));

    public async Task UpsertInstancesAsync(IReadOnlyList<StoredInstance> instances, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        await inner.UpsertInstancesAsync(instances, cancellationToken);
        Interlocked.Add(ref _upsertTicks, Stopwatch.GetTimestamp() - started);
        Interlocked.Increment(ref _batches);
        Interlocked.Add(ref _instances, instances.Count);
    }

    public Task<IReadOnlyList<StoredInstance>> GetStudyInstancesAsync(string studyInstanceUid, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _activations);
        return inner.GetStudyInstancesAsync(studyInstanceUid, cancellationToken);
    }

    public Task<StoredInstance?> FindInstanceAsync(string sopInstanceUid, CancellationToken cancellationToken) =>
        inner.FindInstanceAsync(sopInstanceUid, cancellationToken);

    public Task<IndexQueryResult> QueryAsync(IndexQuery query, CancellationToken cancellationToken) =>
        inner.QueryAsync(query, cancellationToken);
}
