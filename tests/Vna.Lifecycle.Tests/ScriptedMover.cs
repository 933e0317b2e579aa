using Vna.Archive.Tiers;
using Vna.Core;

namespace Vna.Lifecycle.Tests;

/// <summary>
/// A stand-in for the tiers' mover in the engine's failure and concurrency tests (the real one is exercised against Ceph
/// RGW in <see cref="TieredLifecycleTests"/>): fails when told to, or holds each copy until released.
/// </summary>
internal sealed class ScriptedMover : IStudyTierMover
{
    private TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _copies;

    public bool Fail { get; set; }

    public bool Hold { get; set; }

    /// <summary>Completes when a copy has started (and, with <see cref="Hold"/>, waits to be released).</summary>
    public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Copies => Volatile.Read(ref _copies);

    public void Release() => _gate.TrySetResult();

    public async Task<IReadOnlyList<StoredInstance>> CopyAsync(IReadOnlyList<StoredInstance> instances, StorageTier target, string? transferSyntaxUid, StudyPolicySnapshot policy, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _copies);
        Entered.TrySetResult();
        if (Fail)
        {
            throw new IOException("the object store refused the write (scripted)");
        }

        if (Hold)
        {
            await _gate.Task.WaitAsync(cancellationToken);
        }

        return [.. instances.Select(i => i with { Tier = target, Location = LocationOn(target, i).Location })];
    }

    public Task DeleteAsync(string studyInstanceUid, IReadOnlyList<TierLocation> copies, CancellationToken cancellationToken) => Task.CompletedTask;

    public TierLocation LocationOn(StorageTier tier, StoredInstance instance) => new(tier, $"scripted/{instance.SopInstanceUid}.dcm");

    public Task<TimeSpan?> PrepareRecallAsync(string studyInstanceUid, CancellationToken cancellationToken) => Task.FromResult<TimeSpan?>(null);
}
