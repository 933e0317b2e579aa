using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vna.Core;
using Vna.Dicom;

namespace Vna.Dimse.QueryRetrieve;

/// <summary>
/// Delivers the storage commitment reports kept in the <see cref="ICommitmentReportOutbox"/>: at once when one is queued,
/// else every <see cref="QueryRetrieveOptions.CommitmentReportPollInterval"/> (reports left by an earlier run, or by a
/// silo that stopped, are picked up the same way). A failed attempt is retried after
/// <see cref="QueryRetrieveOptions.CommitmentReportRetryInterval"/>, doubling up to
/// <see cref="QueryRetrieveOptions.CommitmentReportMaxRetryInterval"/>, until
/// <see cref="QueryRetrieveOptions.CommitmentReportRetryFor"/> after the report was made; then it is abandoned (kept in
/// the outbox, logged as a warning). The address is the one the requester's department configures at the time of the
/// attempt, so a corrected address takes effect for the reports still waiting.
/// </summary>
public sealed partial class CommitmentReportSender(
    ICommitmentReportOutbox outbox,
    CommitmentReporter reporter,
    IOptionsMonitor<ArchiveOptions> archive,
    IOptions<QueryRetrieveOptions> options,
    TimeProvider time,
    ILogger<CommitmentReportSender> logger) : BackgroundService
{
    private const int ClaimBatch = 16;

    /// <summary>Delivers what is due now; the number of reports attempted.</summary>
    public async Task<int> DeliverDueAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var lease = settings.OutboundTimeout + settings.OutboundTimeout + TimeSpan.FromSeconds(60);
        var due = await outbox.ClaimDueAsync(time.GetUtcNow(), lease, ClaimBatch, cancellationToken).ConfigureAwait(false);
        // Side by side: a requester that times out must not hold up the reports to the others.
        await Task.WhenAll(due.Select(report => DeliverAsync(report, settings, cancellationToken))).ConfigureAwait(false);

        return due.Count;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            int attempted;
            try
            {
                attempted = await DeliverDueAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // The outbox (the database) is unreachable: the reports wait there; try again at the next poll.
                LogOutboxFailed(logger, e.GetType().Name);
                attempted = 0;
            }

            if (attempted < ClaimBatch)
            {
                try
                {
                    await reporter.WaitForQueuedAsync(options.Value.CommitmentReportPollInterval, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
            }
        }
    }

    private async Task DeliverAsync(PendingCommitmentReport pending, QueryRetrieveOptions settings, CancellationToken cancellationToken)
    {
        var department = new DepartmentResolver(archive.CurrentValue).FindByName(pending.Department);
        var address = MoveDestinationResolver.Resolve(department, pending.RequesterAeTitle);
        string? error;
        if (address is null)
        {
            error = $"department {pending.Department} configures no address (MoveDestinations) for AE title {pending.RequesterAeTitle}";
        }
        else
        {
            DicomDataset report;
            try
            {
                report = (await DicomReader.ReadDatasetAsync(new MemoryStream(pending.Report, writable: false), DicomTransferSyntax.ExplicitVRLittleEndian, null, null, cancellationToken).ConfigureAwait(false)).Dataset;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Cannot happen for a report this code wrote; never retried, never silently dropped.
                await outbox.AbandonAsync(pending.Id, $"the kept report cannot be read: {e.Message}", CancellationToken.None).ConfigureAwait(false);
                LogAbandoned(logger, pending.Id, pending.Attempts + 1, TimeSpan.Zero, e.GetType().Name);
                return;
            }

            error = await reporter.TrySendOnNewAssociationAsync(address, pending.CallingAeTitle, pending.EventTypeId, report, cancellationToken).ConfigureAwait(false);
        }

        var attempt = pending.Attempts + 1;
        if (error is null)
        {
            await outbox.CompleteAsync(pending.Id, CancellationToken.None).ConfigureAwait(false);
            LogDelivered(logger, pending.Id, attempt);
            return;
        }

        var now = time.GetUtcNow();
        if (now - pending.CreatedAt >= settings.CommitmentReportRetryFor)
        {
            await outbox.AbandonAsync(pending.Id, error, CancellationToken.None).ConfigureAwait(false);
            LogAbandoned(logger, pending.Id, attempt, settings.CommitmentReportRetryFor, error);
            return;
        }

        var delay = RetryDelay(attempt, settings);
        await outbox.RescheduleAsync(pending.Id, now + delay, error, CancellationToken.None).ConfigureAwait(false);
        LogRetrying(logger, pending.Id, attempt, error, delay);
    }

    /// <summary>The wait after failed attempt <paramref name="attempt"/>: the retry interval, doubled per attempt, at most the maximum.</summary>
    public static TimeSpan RetryDelay(int attempt, QueryRetrieveOptions settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var factor = Math.Pow(2, Math.Clamp(attempt - 1, 0, 30));
        var delay = TimeSpan.FromTicks((long)Math.Min(settings.CommitmentReportRetryInterval.Ticks * factor, settings.CommitmentReportMaxRetryInterval.Ticks));
        return delay < settings.CommitmentReportRetryInterval ? settings.CommitmentReportRetryInterval : delay;
    }

    [LoggerMessage(EventId = 6415, Level = LogLevel.Information, Message = "Storage commitment report {Id} delivered on a new association (attempt {Attempt})")]
    private static partial void LogDelivered(ILogger logger, long id, int attempt);

    [LoggerMessage(EventId = 6413, Level = LogLevel.Warning, Message = "Storage commitment report {Id}, attempt {Attempt}: not delivered ({Error}); next attempt in {Delay}")]
    private static partial void LogRetrying(ILogger logger, long id, int attempt, string error, TimeSpan delay);

    [LoggerMessage(EventId = 6416, Level = LogLevel.Warning, Message = "Storage commitment report {Id} abandoned after {Attempt} attempts over {RetryFor}: {Error}; it stays in commitment_outbox")]
    private static partial void LogAbandoned(ILogger logger, long id, int attempt, TimeSpan retryFor, string error);

    [LoggerMessage(EventId = 6417, Level = LogLevel.Warning, Message = "Storage commitment outbox unreachable ({Error}); its reports wait and are tried again")]
    private static partial void LogOutboxFailed(ILogger logger, string error);
}
