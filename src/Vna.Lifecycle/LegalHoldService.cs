using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Vna.Archive.Grains;
using Vna.Core;

namespace Vna.Lifecycle;

/// <summary>
/// Places and releases legal holds: the audit record first, then the hold's row (the source of truth every study grain
/// reads before it rejects or purges), then the covered studies' grains are told so their reports and schedules follow.
/// </summary>
public sealed partial class LegalHoldService(
    PostgresLifecycleStore store,
    IGrainFactory grains,
    IAuditSink audit,
    TimeProvider clock,
    ILogger<LegalHoldService> logger)
{
    /// <summary>Places a hold on a study (<paramref name="studyInstanceUid"/>) or on a patient (<paramref name="patientId"/> and issuer).</summary>
    public async Task<LegalHoldRecord> PlaceAsync(string? studyInstanceUid, string? patientId, string? issuerOfPatientId, string reason, string actor, CancellationToken cancellationToken)
    {
        var scope = !string.IsNullOrWhiteSpace(studyInstanceUid) ? "study" : "patient";
        if (scope == "patient" && string.IsNullOrWhiteSpace(patientId))
        {
            throw new ArgumentException("A hold needs a study (Study Instance UID) or a patient (Patient ID).");
        }

        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new ArgumentException("A hold needs a reason (the matter or order it serves).");
        }

        var hold = new LegalHoldRecord
        {
            HoldId = "hold-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)),
            Scope = scope,
            StudyInstanceUid = scope == "study" ? studyInstanceUid!.Trim() : null,
            PatientId = scope == "patient" ? patientId!.Trim() : null,
            IssuerOfPatientId = scope == "patient" ? issuerOfPatientId?.Trim() ?? string.Empty : string.Empty,
            Reason = reason.Trim(),
            PlacedBy = actor,
            PlacedAt = clock.GetUtcNow(),
        };
        await audit.WriteAsync(new AuditRecord
        {
            At = hold.PlacedAt,
            Actor = actor,
            Action = "hold-placed",
            StudyInstanceUid = hold.StudyInstanceUid,
            Reason = hold.Reason,
            Details = JsonSerializer.Serialize(new Dictionary<string, object?> { ["holdId"] = hold.HoldId, ["scope"] = scope }),
        }, cancellationToken).ConfigureAwait(false);
        hold = await store.InsertHoldAsync(hold, cancellationToken).ConfigureAwait(false);
        await NotifyAsync(hold, cancellationToken).ConfigureAwait(false);
        return hold;
    }

    /// <summary>Releases a hold; null when there is no such hold, the hold as it was when already released.</summary>
    public async Task<LegalHoldRecord?> ReleaseAsync(string holdId, string reason, string actor, CancellationToken cancellationToken)
    {
        var hold = await store.GetHoldAsync(holdId, cancellationToken).ConfigureAwait(false);
        if (hold is null || hold.ReleasedAt is not null)
        {
            return hold;
        }

        var at = clock.GetUtcNow();
        await audit.WriteAsync(new AuditRecord
        {
            At = at,
            Actor = actor,
            Action = "hold-released",
            StudyInstanceUid = hold.StudyInstanceUid,
            Reason = string.IsNullOrWhiteSpace(reason) ? "hold released" : reason.Trim(),
            Details = JsonSerializer.Serialize(new Dictionary<string, object?> { ["holdId"] = hold.HoldId, ["scope"] = hold.Scope }),
        }, cancellationToken).ConfigureAwait(false);
        await store.ReleaseHoldAsync(holdId, actor, reason, at, cancellationToken).ConfigureAwait(false);
        var released = hold with { ReleasedAt = at, ReleasedBy = actor, ReleaseReason = reason };
        await NotifyAsync(released, cancellationToken).ConfigureAwait(false);
        return released;
    }

    private async Task NotifyAsync(LegalHoldRecord hold, CancellationToken cancellationToken)
    {
        var studies = await store.StudiesCoveredAsync(hold, cancellationToken).ConfigureAwait(false);
        await Parallel.ForEachAsync(studies, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (uid, _) =>
        {
            try
            {
                await grains.GetGrain<IStudyLifecycleGrain>(uid).HoldsChangedAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The hold's row is what counts: every grain reads it again before it rejects or purges.
                LogNotifyFailed(logger, ex.GetType().Name);
            }
        }).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 3331, Level = LogLevel.Warning, Message = "A study grain was not told of a hold change ({Error}); it reads the holds again before any expiry")]
    private static partial void LogNotifyFailed(ILogger logger, string error);
}
