using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Serialization;
using Vna.Core;

namespace Vna.Archive.Grains;

/// <summary>
/// The single writer of one study. On activation it loads the study's placement map from the index; a registration
/// batch is checked against it (new, duplicate, or a conflicting copy handled by the duplicate policy), written to the
/// index in one transaction, then the summary state is written. Only then does the caller hear success.
/// </summary>
public sealed partial class StudyGrain(
    [PersistentState("study", "studies")] IPersistentState<StudyState> state,
    IIndexStore index,
    ILogger<StudyGrain> logger) : Grain, IStudyGrain
{
    private readonly Dictionary<string, StoredInstance> _instances = new(StringComparer.Ordinal);
    private readonly HashSet<string> _series = new(StringComparer.Ordinal);

    /// <summary>The policy facts taken from the instances, kept as instances are added; null when it must be rebuilt (StudyGrain.Lifecycle.cs).</summary>
    private StudyFactsAccumulator? _facts;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var uid = this.GetPrimaryKeyString();
        foreach (var instance in await index.GetStudyInstancesAsync(uid, cancellationToken))
        {
            _instances[instance.SopInstanceUid] = instance;
            _series.Add(instance.SeriesInstanceUid);
        }

        if (_instances.Count > 0 && (!state.RecordExists || state.State.InstanceCount != _instances.Count))
        {
            // The index is the durable placement record: a summary never written (see RegisterAsync) is made from it,
            // and one a crash left stale is repaired from it and written back.
            Recount(state.State);
            if (state.RecordExists)
            {
                await state.WriteStateAsync(cancellationToken);
            }
        }

        LogActivated(logger, _instances.Count);
    }

    public async Task<RegistrationResult[]> RegisterAsync(StoredInstance[] instances, int duplicatePolicy)
    {
        var uid = this.GetPrimaryKeyString();
        var policy = (DuplicatePolicy)duplicatePolicy;
        var results = new RegistrationResult[instances.Length];
        var writes = new List<StoredInstance>(instances.Length);
        var pending = new Dictionary<string, StoredInstance>(StringComparer.Ordinal);
        for (var i = 0; i < instances.Length; i++)
        {
            var incoming = instances[i];
            if (!string.Equals(incoming.StudyInstanceUid, uid, StringComparison.Ordinal))
            {
                throw new ArgumentException($"Instance {incoming.SopInstanceUid} belongs to study {incoming.StudyInstanceUid}, not {uid}.", nameof(instances));
            }

            var known = pending.TryGetValue(incoming.SopInstanceUid, out var p) ? p
                : _instances.TryGetValue(incoming.SopInstanceUid, out var e) ? e : null;
            if (known is null)
            {
                results[i] = new RegistrationResult(incoming.SopInstanceUid, RegistrationOutcome.Registered);
                pending[incoming.SopInstanceUid] = incoming;
                writes.Add(incoming);
            }
            else if (string.Equals(known.Sha256, incoming.Sha256, StringComparison.Ordinal))
            {
                results[i] = new RegistrationResult(incoming.SopInstanceUid, RegistrationOutcome.Duplicate);
            }
            else
            {
                switch (policy)
                {
                    case DuplicatePolicy.Replace:
                        results[i] = new RegistrationResult(incoming.SopInstanceUid, RegistrationOutcome.Replaced, known.Location);
                        pending[incoming.SopInstanceUid] = incoming;
                        writes.Add(incoming);
                        break;
                    case DuplicatePolicy.KeepFirst:
                        results[i] = new RegistrationResult(incoming.SopInstanceUid, RegistrationOutcome.KeptFirst, incoming.Location);
                        break;
                    default:
                        results[i] = new RegistrationResult(incoming.SopInstanceUid, RegistrationOutcome.RejectedConflict, incoming.Location);
                        break;
                }
            }
        }

        if (writes.Count == 0)
        {
            return results;
        }

        // Durable order: the index (placement) first, then the summary. A crash between them is repaired on activation.
        await index.UpsertInstancesAsync(writes, CancellationToken.None);
        var s = state.State;
        foreach (var instance in writes)
        {
            // Incremental: the cost of a batch depends on the batch, not on the size of the study.
            var kept = instance.Document is null ? instance : instance with { Document = null }; // indexed: not kept
            if (_instances.TryGetValue(instance.SopInstanceUid, out var replaced))
            {
                s.TotalBytes -= replaced.Size;
                _instances[instance.SopInstanceUid] = kept;
                _facts = null; // a replaced copy may take a value away
            }
            else
            {
                s.InstanceCount++;
                _instances[instance.SopInstanceUid] = kept;
                _facts?.Add(kept);
            }

            s.TotalBytes += instance.Size;
            _series.Add(instance.SeriesInstanceUid);
            s.SeriesCount = _series.Count;
            s.SourceDepartments.Add(instance.SourceDepartment);
            s.FirstReceivedAt = s.FirstReceivedAt is { } first && first <= instance.ReceivedAt ? first : instance.ReceivedAt;
            s.LastReceivedAt = s.LastReceivedAt is { } last && last >= instance.ReceivedAt ? last : instance.ReceivedAt;
        }

        await ScheduleLifecycleOnIngestAsync(); // StudyGrain.Lifecycle.cs: the policy's next due step, in the same state write
        s.Revision++;
        if (state.RecordExists || !IsRebuiltFromIndex(s))
        {
            await state.WriteStateAsync();
        }
        LogRegistered(logger, writes.Count, _instances.Count);
        return results;
    }

    public Task<StudySummary?> GetSummaryAsync()
    {
        if (_instances.Count == 0 && !state.RecordExists)
        {
            return Task.FromResult<StudySummary?>(null);
        }

        var s = state.State;
        return Task.FromResult<StudySummary?>(new StudySummary
        {
            StudyInstanceUid = this.GetPrimaryKeyString(),
            InstanceCount = _instances.Count,
            SeriesCount = _series.Count,
            TotalBytes = s.TotalBytes,
            SourceDepartments = [.. s.SourceDepartments.Order(StringComparer.Ordinal)],
            LifecycleState = (StudyLifecycleState)s.LifecycleState,
            OnLegalHold = s.LegalHolds.Count > 0,
            FirstReceivedAt = s.FirstReceivedAt,
            LastReceivedAt = s.LastReceivedAt,
            NextDueAt = s.NextDueAt,
        });
    }

    /// <summary>
    /// True when <paramref name="s"/> holds nothing but what activation rebuilds from the index (counts, bytes, series,
    /// departments, receive times): then a study's registrations need no state write of their own — the index
    /// transaction that made the instances durable is the record, and a new study costs one transaction, not two.
    /// Compared in Orleans' serialized form, so a field added to <see cref="StudyState"/> later (a hold, a lifecycle
    /// step, a tier move) is written without this method having to know it. The index-derived fields are taken from
    /// <paramref name="s"/> itself, which <see cref="RegisterAsync"/> keeps equal to a recount incrementally: recounting
    /// here would walk the whole study at every registration.
    /// </summary>
    private bool IsRebuiltFromIndex(StudyState s)
    {
        var rebuilt = new StudyState
        {
            Revision = s.Revision,
            InstanceCount = s.InstanceCount,
            SeriesCount = s.SeriesCount,
            TotalBytes = s.TotalBytes,
            SourceDepartments = s.SourceDepartments,
            FirstReceivedAt = s.FirstReceivedAt,
            LastReceivedAt = s.LastReceivedAt,
        };

        var serializer = ServiceProvider.GetRequiredService<Serializer<StudyState>>();
        return serializer.SerializeToArray(rebuilt).AsSpan().SequenceEqual(serializer.SerializeToArray(s));
    }

    private void Recount() => Recount(state.State);

    private void Recount(StudyState s)
    {
        // The summary as the index records it (after a crash between the index write and the state write, or a summary never written).
        s.InstanceCount = _instances.Count;
        s.SeriesCount = _series.Count;
        s.TotalBytes = _instances.Values.Sum(i => i.Size);
        s.SourceDepartments = [.. _instances.Values.Select(i => i.SourceDepartment).Order(StringComparer.Ordinal)];
        s.FirstReceivedAt = _instances.Values.Min(i => i.ReceivedAt);
        s.LastReceivedAt = _instances.Values.Max(i => i.ReceivedAt);
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Debug, Message = "Study activated with {Count} instances")]
    private static partial void LogActivated(ILogger logger, int count);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Debug, Message = "Registered {Written} instances; study now holds {Count}")]
    private static partial void LogRegistered(ILogger logger, int written, int count);
}
