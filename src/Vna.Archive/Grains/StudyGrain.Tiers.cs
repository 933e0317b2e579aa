using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Vna.Archive.Tiers;
using Vna.Core;

namespace Vna.Archive.Grains;

// Owned by the tiers feature (issue 7): the move of a study between tiers, inside its grain.
public sealed partial class StudyGrain : IStudyTierGrain
{
    private const string TiersActor = "system:tiers";

    public async Task<TierMoveResult> MoveToTierAsync(StorageTier target, string? transferSyntaxUid, string reason)
    {
        await AuditMoveAsync(TiersActor, target, transferSyntaxUid, reason);
        return await MoveStudyToTierAsync(target, transferSyntaxUid, reason, CancellationToken.None);
    }

    public async Task<RecallStatus> RecallAsync()
    {
        var cold = _instances.Values.Count(i => i.Tier == StorageTier.Cold);
        if (cold == 0)
        {
            return new RecallStatus(true, TimeSpan.Zero, 0);
        }

        var mover = Mover();
        var wait = await mover.PrepareRecallAsync(this.GetPrimaryKeyString(), CancellationToken.None);
        if (wait is { } retryAfter)
        {
            if (state.State.RecallRequestedAt is null)
            {
                state.State.RecallRequestedAt = Clock().GetUtcNow();
                await state.WriteStateAsync();
            }

            return new RecallStatus(false, retryAfter, 0);
        }

        await AuditMoveAsync(TiersActor, StorageTier.Hot, null, "recall");
        var moved = await MoveStudyToTierAsync(StorageTier.Hot, null, "recall", CancellationToken.None);
        return new RecallStatus(true, TimeSpan.Zero, moved.InstancesMoved);
    }

    public Task<StudyPlacement> GetPlacementAsync()
    {
        var hot = 0;
        var warm = 0;
        var cold = 0;
        foreach (var instance in _instances.Values)
        {
            switch (instance.Tier)
            {
                case StorageTier.Hot: hot++; break;
                case StorageTier.Warm: warm++; break;
                default: cold++; break;
            }
        }

        return Task.FromResult(new StudyPlacement(this.GetPrimaryKeyString(), hot, warm, cold, state.State.TierMove?.Target.ToString(), state.State.TierChangedAt));
    }

    public async Task<int> AdoptPlacementsAsync(StoredInstance[] instances)
    {
        ArgumentNullException.ThrowIfNull(instances);
        var uid = this.GetPrimaryKeyString();
        if (instances.Any(i => !string.Equals(i.StudyInstanceUid, uid, StringComparison.Ordinal)))
        {
            throw new ArgumentException($"Every placement must belong to study {uid}.", nameof(instances));
        }

        if (instances.Length == 0)
        {
            return 0;
        }

        await index.UpsertInstancesAsync(instances, CancellationToken.None);
        foreach (var instance in instances)
        {
            _instances[instance.SopInstanceUid] = instance;
            _series.Add(instance.SeriesInstanceUid);
        }

        _facts = null;
        Recount();
        state.State.Revision++;
        await state.WriteStateAsync();
        return instances.Length;
    }

    /// <summary>
    /// Moves every instance of this study to <paramref name="target"/> (optionally re-encoded to
    /// <paramref name="transferSyntaxUid"/> first): copy, verify the checksum at the destination, flip the placement,
    /// delete the source. The lifecycle engine calls this when a policy action falls due.
    /// </summary>
    /// <remarks>
    /// Crash-safe order: (1) the move and the copies that exist are recorded in the grain's state; (2) the copies are made
    /// and verified at the destination; (3) the index rows and the grain flip to the new copies in one index transaction;
    /// (4) the recorded copies no placement refers to any more are deleted; (5) the record is cleared. A crash before (3)
    /// leaves the study readable where it was; after it, where it went. Calling again completes the move.
    /// </remarks>
    /// <exception cref="NotSupportedException">The tiers are not configured on this server.</exception>
    internal async Task<TierMoveResult> MoveStudyToTierAsync(StorageTier target, string? transferSyntaxUid, string reason, CancellationToken cancellationToken)
    {
        var mover = Mover();
        var journal = ServiceProvider.GetService<IMigrationJournal>();
        var uid = this.GetPrimaryKeyString();
        var s = state.State;
        if (_instances.Count == 0)
        {
            throw new InvalidOperationException($"Study {uid} has no instances to move.");
        }

        var pending = _instances.Values.Where(i => NeedsMove(i, target, transferSyntaxUid)).ToList();
        var clock = Clock();
        if (s.TierMove is { } previous && (previous.Target != target || previous.TransferSyntaxUid != transferSyntaxUid))
        {
            // A move to another target was abandoned half-way: the copies it may have made there are cleaned up with this one's sources.
            foreach (var instance in _instances.Values.Where(i => i.Tier != previous.Target))
            {
                previous.Sources.Add(mover.LocationOn(previous.Target, instance));
            }

            previous.Target = target;
            previous.TransferSyntaxUid = transferSyntaxUid;
            previous.Reason = reason;
        }

        var move = s.TierMove ??= new TierMove { Target = target, TransferSyntaxUid = transferSyntaxUid, Reason = reason, StartedAt = clock.GetUtcNow() };
        if (pending.Count == 0 && move.Sources.Count == 0)
        {
            s.TierMove = null;
            if (state.RecordExists)
            {
                await state.WriteStateAsync(cancellationToken);
            }

            // Nothing is moving (this grain is the study's only mover): a running journal record left by a crash between
            // the end of the last move (5) and its record being closed is closed now, instead of showing a move forever.
            if (journal is not null)
            {
                await journal.FinishStaleAsync(uid, cancellationToken);
            }

            return new TierMoveResult(target, 0, 0, 0, _instances.Count);
        }

        // (1) Record the move and the copies that exist now.
        var known = move.Sources.ToHashSet();
        foreach (var instance in pending)
        {
            var location = new TierLocation(instance.Tier, instance.Location);
            if (known.Add(location))
            {
                move.Sources.Add(location);
            }
        }

        move.Attempts++;
        if (journal is not null && pending.Count > 0)
        {
            var from = pending.Select(i => i.Tier).Distinct().ToList();
            move.JournalId = await journal.StartAsync(uid, from.Count == 1 ? from[0] : null, target, transferSyntaxUid, reason, cancellationToken);
        }

        await state.WriteStateAsync(cancellationToken);
        LogMoveStarted(logger, target, pending.Count, move.Attempts);

        var moved = 0;
        long bytes = 0;
        try
        {
            if (pending.Count > 0)
            {
                // (2) Copy and verify at the destination.
                var snapshot = new StudyPolicySnapshot(((StudyLifecycleState)s.LifecycleState).ToString(), s.LegalHolds.Count, s.NextDueAt, reason);
                var placed = await mover.CopyAsync([.. _instances.Values], target, transferSyntaxUid, snapshot, cancellationToken);
                var changed = placed.Where(p => !_instances.TryGetValue(p.SopInstanceUid, out var old) || old.Tier != p.Tier || old.Location != p.Location || old.Sha256 != p.Sha256).ToList();
                if (placed.Count != _instances.Count || placed.Any(p => !_instances.ContainsKey(p.SopInstanceUid)))
                {
                    throw new InvalidOperationException($"The copy to {target} returned {placed.Count} placements for {_instances.Count} instances.");
                }

                // (3) Flip: the index (the durable placement record) first, then the grain.
                await index.UpsertInstancesAsync(changed, cancellationToken);
                foreach (var p in changed)
                {
                    if (_instances.TryGetValue(p.SopInstanceUid, out var old))
                    {
                        s.TotalBytes += p.Size - old.Size;
                    }

                    _instances[p.SopInstanceUid] = p;
                }

                _facts = null; // tiers changed

                moved = changed.Count;
                bytes = changed.Sum(p => p.Size);
                s.TierChangedAt = clock.GetUtcNow();
                s.RecallRequestedAt = target == StorageTier.Hot ? null : s.RecallRequestedAt;
                s.Revision++;
                await state.WriteStateAsync(cancellationToken);
            }

            // (4) Delete what no placement refers to any more.
            var current = _instances.Values.Select(i => new TierLocation(i.Tier, i.Location)).ToHashSet();
            var orphans = move.Sources.Where(l => !current.Contains(l)).Distinct().ToList();
            if (orphans.Count > 0)
            {
                await mover.DeleteAsync(uid, orphans, cancellationToken);
            }

            // (5) Done.
            var journalId = move.JournalId;
            s.TierMove = null;
            await state.WriteStateAsync(cancellationToken);
            if (journal is not null && journalId != 0)
            {
                await journal.FinishAsync(journalId, moved, bytes, cancellationToken);
            }

            LogMoveFinished(logger, target, moved, orphans.Count);
            return new TierMoveResult(target, moved, bytes, orphans.Count, _instances.Count);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogMoveFailed(logger, target, ex.GetType().Name, ex.Message);
            if (journal is not null && move.JournalId != 0)
            {
                try
                {
                    await journal.FailAsync(move.JournalId, $"{ex.GetType().Name}: {ex.Message}", CancellationToken.None);
                }
                catch (Exception journalError) when (journalError is not OperationCanceledException)
                {
                    // The move's own failure is what the caller must hear.
                }
            }

            throw;
        }
    }

    /// <summary>
    /// The audit record of a move asked for outside the policies (an operator, a batch, a recall), written before the
    /// move when there is anything to move; policy moves write their own, with the policy version.
    /// </summary>
    private async Task AuditMoveAsync(string actor, StorageTier target, string? transferSyntaxUid, string reason)
    {
        if (ServiceProvider.GetService<IAuditSink>() is not { } audit || !_instances.Values.Any(i => NeedsMove(i, target, transferSyntaxUid)))
        {
            return;
        }

        await audit.WriteAsync(new AuditRecord
        {
            At = Clock().GetUtcNow(),
            Actor = actor,
            Action = "migrate",
            StudyInstanceUid = this.GetPrimaryKeyString(),
            Reason = reason.Length == 0 ? "move to " + target.ToString().ToLowerInvariant() : reason,
            Details = System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object?>
            {
                ["from"] = string.Join(",", _instances.Values.Select(i => i.Tier.ToString().ToLowerInvariant()).Distinct().Order(StringComparer.Ordinal)),
                ["to"] = target.ToString().ToLowerInvariant(),
                ["transferSyntax"] = transferSyntaxUid,
                ["instances"] = _instances.Count,
                ["bytes"] = state.State.TotalBytes,
            }),
        }, CancellationToken.None);
    }

    private static bool NeedsMove(StoredInstance instance, StorageTier target, string? transferSyntaxUid) =>
        instance.Tier != target
        || (transferSyntaxUid is not null && !string.Equals(instance.TransferSyntaxUid, transferSyntaxUid, StringComparison.Ordinal));

    private IStudyTierMover Mover() =>
        ServiceProvider.GetService<IStudyTierMover>()
        ?? throw new NotSupportedException("Moving studies between tiers needs the tiers feature, which is not configured on this server (Tiers:Enabled).");

    private TimeProvider Clock() => TiersClock.Resolve(ServiceProvider);

    [LoggerMessage(EventId = 3101, Level = LogLevel.Information, Message = "Study move to {Target} started: {Count} instances to copy (attempt {Attempt})")]
    private static partial void LogMoveStarted(ILogger logger, StorageTier target, int count, int attempt);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Information, Message = "Study moved to {Target}: {Moved} instances flipped, {Deleted} old copies deleted")]
    private static partial void LogMoveFinished(ILogger logger, StorageTier target, int moved, int deleted);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Warning, Message = "Study move to {Target} failed ({Error}: {Message}); the study stays readable where it was")]
    private static partial void LogMoveFailed(ILogger logger, StorageTier target, string error, string message);
}
