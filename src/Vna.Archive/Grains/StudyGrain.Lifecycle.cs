using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Vna.Archive.Lifecycle;
using Vna.Archive.Tiers;
using Vna.Core;
using Vna.Policies;

namespace Vna.Archive.Grains;

// Owned by the lifecycle feature (issue 7): the policy engine inside the study's grain. The grain evaluates the policies
// in force on ingest (to schedule) and when its reminder fires (to act): one step per evaluation — a move to a colder
// tier, a rejection (hidden from queries), a purge after the grace period, or a restore — each recorded in the audit
// trail before it takes effect. Holds are read from their table (the source of truth) before every evaluation that may
// act. A step that fails is retried with a growing delay; after LifecycleOptions.MaxFailures in a row the study is
// parked and reported until an operator retries it.
public sealed partial class StudyGrain : IStudyLifecycleGrain, IRemindable
{
    /// <summary>The name of the reminder that wakes a study for its next due step.</summary>
    public const string LifecycleReminderName = "vna-lifecycle";

    private const string Actor = "system:lifecycle";

    private DateTimeOffset? _lastAccess;

    public Task<LifecycleStatus> EvaluateAsync() => RunLifecycleAsync(CancellationToken.None);

    public Task<LifecycleStatus> GetLifecycleAsync()
    {
        var s = state.State;
        return Task.FromResult(Status(s.NextDueAt, null, null, blocked: false));
    }

    public async Task<LifecycleStatus> HoldsChangedAsync()
    {
        if (Engine() is { } engine && TryPatient(out var patientId, out var issuer))
        {
            state.State.LegalHolds = [.. await engine.Store.GetActiveHoldsAsync(this.GetPrimaryKeyString(), patientId, issuer, CancellationToken.None)];
            await state.WriteStateAsync();
        }

        return await RunLifecycleAsync(CancellationToken.None);
    }

    public async Task<LifecycleStatus> RetryAsync()
    {
        var s = state.State;
        s.ParkedAt = null;
        s.LifecycleFailures = 0;
        s.LifecycleError = null;
        s.RetryAt = null;
        s.RetryStep = null;
        await state.WriteStateAsync();
        return await RunLifecycleAsync(CancellationToken.None);
    }

    public async Task ReceiveReminder(string reminderName, Orleans.Runtime.TickStatus status)
    {
        if (string.Equals(reminderName, LifecycleReminderName, StringComparison.Ordinal))
        {
            state.State.ReminderFor = null; // a tick always re-registers: the reminder may have been capped short of the due time
            await RunLifecycleAsync(CancellationToken.None);
        }
    }

    /// <summary>
    /// Called by <see cref="RegisterAsync"/> before its state write: schedules the policy's next due step (the step itself
    /// runs from the reminder, never inside a store). Never fails the store: a problem is logged and tried at the next batch.
    /// </summary>
    private async Task ScheduleLifecycleOnIngestAsync()
    {
        if (Engine() is not { } engine || !engine.Options.Enabled)
        {
            return;
        }

        try
        {
            var s = state.State;
            if (s.LifecycleState == (int)StudyLifecycleState.Purged)
            {
                // Sent again after its purge: a new life.
                s.LifecycleState = (int)StudyLifecycleState.Active;
                s.PurgedAt = null;
                s.RejectedAt = null;
            }

            var now = engine.Clock.GetUtcNow();
            var decision = engine.Policies.Current.Decide(Facts(now), now);
            var next = decision.Due == LifecycleStepKind.None ? decision.NextAt : now;
            s.NextDueAt = next;
            s.PolicyRule = RuleName(decision.Rule);
            await ScheduleAsync(engine, next, now, force: false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogScheduleFailed(logger, ex.GetType().Name, ex.Message);
        }
    }

    private async Task<LifecycleStatus> RunLifecycleAsync(CancellationToken cancellationToken)
    {
        var s = state.State;
        if (Engine() is not { } engine || !engine.Options.Enabled)
        {
            return Status(s.NextDueAt, null, null, blocked: false);
        }

        if (_instances.Count == 0 && s.LifecycleState != (int)StudyLifecycleState.Purged)
        {
            return Status(null, null, null, blocked: false); // no such study here
        }

        var now = engine.Clock.GetUtcNow();
        if (s.ParkedAt is not null)
        {
            await ScheduleAsync(engine, null, now, force: true);
            return Status(null, "parked", null, blocked: false);
        }

        var uid = this.GetPrimaryKeyString();
        if (TryPatient(out var patientId, out var issuer))
        {
            _lastAccess = await engine.Store.GetLastAccessAsync(uid, cancellationToken);
            s.LegalHolds = [.. await engine.Store.GetActiveHoldsAsync(uid, patientId, issuer, cancellationToken)];
        }

        var set = engine.Policies.Current;
        var decision = set.Decide(Facts(now), now);
        string? step = null;
        var backedOff = s.RetryAt is { } retryAt && retryAt > now && s.RetryStep == decision.Due.ToString();
        if (!backedOff)
        {
            s.RetryAt = null;
            s.RetryStep = null;
        }

        try
        {
            step = backedOff ? null : decision.Due switch
            {
                LifecycleStepKind.Move => await MoveForPolicyAsync(engine, decision, set, now, cancellationToken),
                LifecycleStepKind.Reject => await RejectAsync(engine, decision, set, now, cancellationToken),
                LifecycleStepKind.Purge => await PurgeAsync(engine, decision, set, now, cancellationToken),
                LifecycleStepKind.Restore => await RestoreAsync(engine, decision, set, now, cancellationToken),
                _ => null,
            };
            if (step is not null && s.RetryAt is null)
            {
                s.LifecycleFailures = 0;
                s.LifecycleError = null;
            }
            else if (s.RetryAt is not null)
            {
                s.RetryStep ??= decision.Due.ToString();
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            step = await FailedAsync(engine, decision, set, now, ex);
        }

        DateTimeOffset? next;
        LifecycleDecision after = decision;
        if (s.ParkedAt is not null)
        {
            next = null;
        }
        else if (s.RetryAt is { } retry && retry > now)
        {
            // The step held back waits; any other step still comes at its own time.
            next = decision.NextAt is { } other && other < retry ? other : retry;
        }
        else
        {
            after = step is null ? decision : set.Decide(Facts(now), now);
            next = after.Due == LifecycleStepKind.None ? after.NextAt : now;
        }

        s.NextDueAt = next;
        s.PolicyRule = RuleName(after.Rule);
        s.Revision++;
        await state.WriteStateAsync(cancellationToken);
        await ScheduleAsync(engine, next, now, force: true);
        var status = Status(next, step, NextStep(after, s), after.BlockedByHold);
        await engine.Store.SaveStatusAsync(status with { PolicyVersion = set.Version }, cancellationToken);
        return status with { PolicyVersion = set.Version };
    }

    private async Task<string> MoveForPolicyAsync(LifecycleEngine engine, LifecycleDecision decision, PolicySet set, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var s = state.State;
        var target = decision.Target.ToString().ToLowerInvariant();
        if (ServiceProvider.GetService<IStudyTierMover>() is null)
        {
            // The tiers are not configured here: not a failure of the study; look again later.
            s.RetryAt = now + engine.Options.DeferredRetry;
            LogDeferred(logger, target);
            return "deferred:" + target;
        }

        using var lease = engine.Coordinator.TryAcquire();
        if (lease is null)
        {
            s.RetryAt = now + engine.Options.BusyRetry;
            return "busy:" + target;
        }

        var from = _instances.Values.Select(i => i.Tier.ToString().ToLowerInvariant()).Distinct().Order(StringComparer.Ordinal).ToList();
        await engine.Audit.WriteAsync(Record(now, "migrate", decision.Reason, set, new Dictionary<string, object?>
        {
            ["from"] = string.Join(",", from),
            ["to"] = target,
            ["transferSyntax"] = decision.TransferSyntaxUid,
            ["instances"] = _instances.Count,
            ["bytes"] = s.TotalBytes,
        }), cancellationToken);
        try
        {
            await MoveStudyToTierAsync(decision.Target, decision.TransferSyntaxUid, decision.Reason, cancellationToken);
        }
        catch (NotSupportedException)
        {
            s.RetryAt = now + engine.Options.DeferredRetry;
            LogDeferred(logger, target);
            return "deferred:" + target;
        }

        s.RetryAt = null;
        LogStep(logger, "move:" + target, _instances.Count);
        return "move:" + target;
    }

    private async Task<string> RejectAsync(LifecycleEngine engine, LifecycleDecision decision, PolicySet set, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var s = state.State;
        var uid = this.GetPrimaryKeyString();
        await engine.Audit.WriteAsync(Record(now, "reject", decision.Reason, set, new Dictionary<string, object?>
        {
            ["instances"] = _instances.Count,
            ["bytes"] = s.TotalBytes,
            ["purgeNotBefore"] = decision.NextAt?.ToString("O", CultureInfo.InvariantCulture),
        }), cancellationToken);
        await engine.Store.SetStudyStateAsync(uid, StudyLifecycleState.Rejected, cancellationToken);
        s.LifecycleState = (int)StudyLifecycleState.Rejected;
        s.RejectedAt = now;
        LogStep(logger, "reject", _instances.Count);
        return "reject";
    }

    private async Task<string> RestoreAsync(LifecycleEngine engine, LifecycleDecision decision, PolicySet set, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var s = state.State;
        await engine.Audit.WriteAsync(Record(now, "restore", decision.Reason, set, null), cancellationToken);
        await engine.Store.SetStudyStateAsync(this.GetPrimaryKeyString(), StudyLifecycleState.Active, cancellationToken);
        s.LifecycleState = (int)StudyLifecycleState.Active;
        s.RejectedAt = null;
        LogStep(logger, "restore", _instances.Count);
        return "restore";
    }

    private async Task<string> PurgeAsync(LifecycleEngine engine, LifecycleDecision decision, PolicySet set, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var s = state.State;
        var uid = this.GetPrimaryKeyString();
        if (s.LegalHolds.Count > 0)
        {
            return "held"; // the decision saw the holds read just now; this is a second guard
        }

        using var lease = engine.Coordinator.TryAcquire();
        if (lease is null)
        {
            s.RetryAt = now + engine.Options.BusyRetry;
            return "busy:purge";
        }

        // Every copy: the placements, and whatever a move under way may have left on either side.
        var copies = _instances.Values.Select(i => new TierLocation(i.Tier, i.Location)).ToList();
        var mover = ServiceProvider.GetService<IStudyTierMover>();
        if (s.TierMove is { } move)
        {
            copies.AddRange(move.Sources);
            if (mover is not null)
            {
                copies.AddRange(_instances.Values.Select(i => mover.LocationOn(move.Target, i)));
            }
        }

        copies = [.. copies.Distinct()];
        var tiers = copies.Select(c => c.Tier.ToString().ToLowerInvariant()).Distinct().Order(StringComparer.Ordinal).ToList();
        await engine.Audit.WriteAsync(Record(now, "purge", decision.Reason, set, new Dictionary<string, object?>
        {
            ["instances"] = _instances.Count,
            ["bytes"] = s.TotalBytes,
            ["tiers"] = string.Join(",", tiers),
            ["rejectedAt"] = s.RejectedAt?.ToString("O", CultureInfo.InvariantCulture),
        }), cancellationToken);

        // Objects first, then the index rows: until the rows go, a retry still knows what to delete.
        if (mover is not null)
        {
            await mover.DeleteAsync(uid, copies, cancellationToken);
        }
        else
        {
            if (copies.Any(c => c.Tier != StorageTier.Hot))
            {
                throw new InvalidOperationException("The study has copies on the warm or cold tier, but the tiers are not configured on this server.");
            }

            var hot = ServiceProvider.GetRequiredService<IHotStore>();
            foreach (var copy in copies)
            {
                await hot.DeleteAsync(copy.Location, cancellationToken);
            }
        }

        var rows = await engine.Store.PurgeIndexAsync(uid, cancellationToken);
        var count = _instances.Count;
        _instances.Clear();
        _facts = null;
        _series.Clear();
        s.TierMove = null;
        s.InstanceCount = 0;
        s.SeriesCount = 0;
        s.TotalBytes = 0;
        s.SourceDepartments = [];
        s.LifecycleState = (int)StudyLifecycleState.Purged;
        s.PurgedAt = now;
        LogPurged(logger, count, rows, copies.Count);
        return "purge";
    }

    private async Task<string> FailedAsync(LifecycleEngine engine, LifecycleDecision decision, PolicySet set, DateTimeOffset now, Exception error)
    {
        var s = state.State;
        s.LifecycleFailures++;
        s.LifecycleError = $"{error.GetType().Name}: {error.Message}";
        var step = decision.Due.ToString().ToLowerInvariant();
        try
        {
            await engine.Audit.WriteAsync(Record(now, s.LifecycleFailures >= engine.Options.MaxFailures ? "lifecycle-parked" : "lifecycle-failed", decision.Reason, set, new Dictionary<string, object?>
            {
                ["step"] = step,
                ["failures"] = s.LifecycleFailures,
                ["error"] = s.LifecycleError,
            }), CancellationToken.None);
        }
        catch (Exception auditError) when (auditError is not OperationCanceledException)
        {
            // The step's own failure is what is reported; the audit trail is tried again at the next failure.
            LogScheduleFailed(logger, auditError.GetType().Name, auditError.Message);
        }

        if (s.LifecycleFailures >= engine.Options.MaxFailures)
        {
            s.ParkedAt = now;
            s.RetryAt = null;
            LogParked(logger, step, s.LifecycleFailures, error.GetType().Name);
            return "parked";
        }

        s.RetryStep = decision.Due.ToString();
        var delay = TimeSpan.FromTicks(Math.Min(engine.Options.RetryMax.Ticks, engine.Options.RetryBase.Ticks << Math.Min(s.LifecycleFailures - 1, 20)));
        s.RetryAt = now + delay;
        LogFailed(logger, step, s.LifecycleFailures, error.GetType().Name, delay);
        return "failed:" + step;
    }

    private async Task ScheduleAsync(LifecycleEngine engine, DateTimeOffset? next, DateTimeOffset now, bool force)
    {
        var s = state.State;
        if (next is not { } at || s.LifecycleState == (int)StudyLifecycleState.Purged || s.ParkedAt is not null)
        {
            if (s.ReminderFor is not null || force)
            {
                var reminder = await this.GetReminder(LifecycleReminderName);
                if (reminder is not null)
                {
                    await this.UnregisterReminder(reminder);
                }
            }

            s.ReminderFor = null;
            return;
        }

        if (!force && s.ReminderFor == at)
        {
            return;
        }

        var options = engine.Options;
        var due = at - now;
        due = due < options.MinReminderDelay ? options.MinReminderDelay : due > options.MaxReminderDelay ? options.MaxReminderDelay : due;
        await this.RegisterOrUpdateReminder(LifecycleReminderName, due, options.MaxReminderDelay);
        s.ReminderFor = at;
    }

    private StudyFacts Facts(DateTimeOffset now)
    {
        var s = state.State;
        var f = _facts ??= StudyFactsAccumulator.From(_instances.Values);
        var first = f.First;
        return new StudyFacts
        {
            StudyInstanceUid = this.GetPrimaryKeyString(),
            Modalities = [.. f.Modalities],
            Departments = [.. s.SourceDepartments],
            BodyParts = [.. f.BodyParts],
            SopClasses = [.. f.SopClasses],
            StudyDescription = first?.StudyDescription ?? string.Empty,
            StudyDate = StudyFacts.ParseDicomDate(first?.StudyDate),
            PatientBirthDate = StudyFacts.ParseDicomDate(first?.PatientBirthDate),
            FirstReceivedAt = s.FirstReceivedAt ?? now,
            LastAccessAt = _lastAccess,
            Tier = f.LowestTier,
            TotalBytes = s.TotalBytes,
            InstanceCount = _instances.Count,
            State = (StudyLifecycleState)s.LifecycleState,
            RejectedAt = s.RejectedAt,
            OnLegalHold = s.LegalHolds.Count > 0,
        };
    }

    private bool TryPatient(out string patientId, out string issuer)
    {
        foreach (var instance in _instances.Values)
        {
            patientId = instance.Attributes.PatientId;
            issuer = instance.Attributes.IssuerOfPatientId;
            return true;
        }

        patientId = string.Empty;
        issuer = string.Empty;
        return false;
    }

    private LifecycleStatus Status(DateTimeOffset? next, string? step, string? nextStep, bool blocked)
    {
        var s = state.State;
        return new LifecycleStatus
        {
            StudyInstanceUid = this.GetPrimaryKeyString(),
            State = (StudyLifecycleState)s.LifecycleState,
            Rule = s.PolicyRule,
            NextDueAt = next,
            LastStep = step,
            NextStep = nextStep,
            OnLegalHold = s.LegalHolds.Count > 0,
            BlockedByHold = blocked,
            Failures = s.LifecycleFailures,
            ParkedAt = s.ParkedAt,
            LastError = s.LifecycleError,
            RejectedAt = s.RejectedAt,
            PurgedAt = s.PurgedAt,
            Instances = _instances.Count,
            Tier = _instances.Count == 0 ? null : _instances.Values.Min(i => i.Tier),
        };
    }

    private static string? NextStep(LifecycleDecision decision, StudyState s)
    {
        if (s.ParkedAt is not null)
        {
            return "parked";
        }

        if (s.RetryAt is not null)
        {
            return "retry";
        }

        return (StudyLifecycleState)s.LifecycleState switch
        {
            StudyLifecycleState.Purged => null,
            StudyLifecycleState.Rejected => decision.NextAt is null ? null : "purge",
            _ => decision.Due switch
            {
                LifecycleStepKind.Move => "move:" + decision.Target.ToString().ToLowerInvariant(),
                LifecycleStepKind.None when decision.NextAt is null => null,
                LifecycleStepKind.None => "evaluate",
                _ => decision.Due.ToString().ToLowerInvariant(),
            },
        };
    }

    private static string? RuleName(PolicyRule? rule) => rule is null ? null : $"{rule.Name} ({rule.DocumentName}@{rule.DocumentVersion})";

    private AuditRecord Record(DateTimeOffset now, string action, string reason, PolicySet set, Dictionary<string, object?>? details) => new()
    {
        At = now,
        Actor = Actor,
        Action = action,
        StudyInstanceUid = this.GetPrimaryKeyString(),
        Reason = reason.Length == 0 ? action : reason,
        Details = details is null ? null : JsonSerializer.Serialize(details),
        PolicyVersion = set.Version,
    };

    private LifecycleEngine? Engine()
    {
        var policies = ServiceProvider.GetService<IPolicyProvider>();
        var store = ServiceProvider.GetService<ILifecycleStore>();
        if (policies is null || store is null)
        {
            return null;
        }

        return new LifecycleEngine(
            policies,
            store,
            ServiceProvider.GetRequiredService<LifecycleCoordinator>(),
            ServiceProvider.GetRequiredService<LifecycleOptions>(),
            ServiceProvider.GetRequiredService<IAuditSink>(),
            LifecycleClock.From(ServiceProvider));
    }

    [LoggerMessage(EventId = 3201, Level = LogLevel.Information, Message = "Lifecycle step {Step} done on a study of {Count} instances")]
    private static partial void LogStep(ILogger logger, string step, int count);

    [LoggerMessage(EventId = 3202, Level = LogLevel.Information, Message = "Study purged: {Count} instances, {Rows} index rows, {Copies} copies deleted")]
    private static partial void LogPurged(ILogger logger, int count, int rows, int copies);

    [LoggerMessage(EventId = 3203, Level = LogLevel.Information, Message = "Move to {Target} deferred: the tiers are not configured on this server")]
    private static partial void LogDeferred(ILogger logger, string target);

    [LoggerMessage(EventId = 3204, Level = LogLevel.Warning, Message = "Lifecycle step {Step} failed ({Failures} in a row, {Error}); next try in {Delay}")]
    private static partial void LogFailed(ILogger logger, string step, int failures, string error, TimeSpan delay);

    [LoggerMessage(EventId = 3205, Level = LogLevel.Error, Message = "Study parked after {Failures} failed lifecycle steps ({Step}, {Error}); see GET /api/lifecycle/parked")]
    private static partial void LogParked(ILogger logger, string step, int failures, string error);

    [LoggerMessage(EventId = 3206, Level = LogLevel.Warning, Message = "Could not schedule the study's lifecycle ({Error}: {Message}); tried again at the next evaluation")]
    private static partial void LogScheduleFailed(ILogger logger, string error, string message);
}
