using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vna.Core;
using Vna.Dicom;
using Vna.Dicom.Network;

namespace Vna.Dimse.QueryRetrieve;

/// <summary>
/// Sends storage commitment reports (N-EVENT-REPORT-RQ, PS3.4 J.3.3): on the requester's association, or on a new one
/// to its configured address (as association requester in the SCP role, PS3.4 J.3.3.1). A report for a new association
/// first goes into the durable <see cref="ICommitmentReportOutbox"/>; <see cref="CommitmentReportSender"/> delivers it
/// from there and retries it, across restarts, until the requester answers or the retry period ends. Every outcome is
/// logged.
/// </summary>
public sealed partial class CommitmentReporter(ICommitmentReportOutbox outbox, IOptions<QueryRetrieveOptions> options, TimeProvider time, ILogger<CommitmentReporter> logger)
{
    private readonly SemaphoreSlim _due = new(0, 1);

    /// <summary>Reports on <paramref name="association"/>; false when that was not possible (it closed meanwhile).</summary>
    public async Task<bool> TrySendOnAsync(DicomAssociation association, byte contextId, ushort eventTypeId, DicomDataset report)
    {
        ArgumentNullException.ThrowIfNull(association);
        try
        {
            var status = await SendAsync(association, contextId, eventTypeId, report).ConfigureAwait(false);
            LogReported(logger, "the same association", status);
            return true;
        }
        catch (Exception e) when (e is DicomAssociationAbortedException or InvalidOperationException or ObjectDisposedException or IOException or OperationCanceledException)
        {
            LogSameAssociationFailed(logger, e.GetType().Name);
            return false;
        }
    }

    /// <summary>
    /// Keeps the report for a new association in the outbox (durable when this returns) and wakes the sender. The address
    /// is looked up when it is sent: in <paramref name="department"/>'s move destinations, by <paramref name="requesterAeTitle"/>.
    /// </summary>
    public async Task QueueAsync(string department, string requesterAeTitle, string callingAeTitle, CommitmentResult result, DicomDataset report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(report);
        using var encoded = new MemoryStream();
        await DicomWriter.WriteDatasetAsync(encoded, report, DicomTransferSyntax.ExplicitVRLittleEndian, null, cancellationToken).ConfigureAwait(false);
        var id = await outbox.AddAsync(
            new PendingCommitmentReport
            {
                TransactionUid = result.TransactionUid,
                Department = department,
                RequesterAeTitle = requesterAeTitle.Trim(),
                CallingAeTitle = callingAeTitle,
                EventTypeId = result.EventTypeId,
                CommittedCount = result.Committed.Count,
                FailedCount = result.Failed.Count,
                Report = encoded.ToArray(),
                CreatedAt = time.GetUtcNow(), // the clock the sender measures the retry period with
            },
            cancellationToken).ConfigureAwait(false);
        LogQueued(logger, id);
        Wake();
    }

    /// <summary>Waits until a report was queued or <paramref name="timeout"/> passed.</summary>
    internal async Task WaitForQueuedAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        await _due.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);

    private void Wake()
    {
        try
        {
            _due.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled.
        }
    }

    /// <summary>One attempt on a new association to <paramref name="address"/>: null when the requester answered, else why not.</summary>
    public async Task<string?> TrySendOnNewAssociationAsync(MoveDestinationOptions address, string callingAeTitle, ushort eventTypeId, DicomDataset report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(address);
        try
        {
            var request = new AssociateRequest
            {
                CalledAeTitle = address.AeTitle.Trim(),
                CallingAeTitle = callingAeTitle,
                PresentationContexts = [new PresentationContext(1, CommitmentStatus.SopClassUid, TransferSyntaxes.Uncompressed)],
                RoleSelections = [new RoleSelection(CommitmentStatus.SopClassUid, ScuRole: false, ScpRole: true)],
            };
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.Value.OutboundTimeout);
            var association = await DicomClient.ConnectAsync(
                new DicomClientOptions { Host = address.Host, Port = address.Port, UseTls = address.UseTls, ConnectTimeout = options.Value.OutboundTimeout },
                request,
                timeout.Token).ConfigureAwait(false);
            await using (association.ConfigureAwait(false))
            {
                var context = association.FindPresentationContext(CommitmentStatus.SopClassUid)
                    ?? throw new InvalidOperationException("The requester did not accept the Storage Commitment Push Model SOP class.");
                var status = await SendAsync(association, context.Id, eventTypeId, report).ConfigureAwait(false);
                await association.ReleaseAsync(timeout.Token).ConfigureAwait(false);
                LogReported(logger, "a new association", status);
                return null;
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return $"{e.GetType().Name}: {e.Message}";
        }
    }

    private static async Task<ushort> SendAsync(DicomAssociation association, byte contextId, ushort eventTypeId, DicomDataset report)
    {
        var command = new DimseCommand(DimseCommandField.NEventReportRequest)
        {
            AffectedSopClassUid = CommitmentStatus.SopClassUid,
            AffectedSopInstanceUid = CommitmentStatus.SopInstanceUid,
            EventTypeId = eventTypeId,
        };
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var response = await association.SendRequestAsync(contextId, command, DimseOutgoingData.FromDataset(report), timeout.Token).ConfigureAwait(false);
        return response.Command.Status;
    }

    [LoggerMessage(EventId = 6411, Level = LogLevel.Information, Message = "Storage commitment report sent on {Where}; the requester answered {Status:X4}")]
    private static partial void LogReported(ILogger logger, string where, ushort status);

    [LoggerMessage(EventId = 6412, Level = LogLevel.Information, Message = "Storage commitment report: the requester's association closed ({Reason}); trying a new association")]
    private static partial void LogSameAssociationFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 6414, Level = LogLevel.Information, Message = "Storage commitment report {Id} kept in the outbox for a new association to the requester")]
    private static partial void LogQueued(ILogger logger, long id);
}
