using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vna.Core;
using Vna.Dicom;
using Vna.Dicom.Network;

namespace Vna.Dimse.QueryRetrieve;

/// <summary>
/// Sends storage commitment reports (N-EVENT-REPORT-RQ, PS3.4 J.3.3): on the requester's association, or on a new one
/// to its configured address (as association requester in the SCP role, PS3.4 J.3.3.1), retried a few times in the
/// background; every outcome is logged.
/// </summary>
public sealed partial class CommitmentReporter(IOptions<QueryRetrieveOptions> options, ILogger<CommitmentReporter> logger)
{
    private const int Attempts = 3;

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

    /// <summary>Reports on a new association to <paramref name="address"/>, in the background.</summary>
    public void SendOnNewAssociationInBackground(MoveDestinationOptions address, string callingAeTitle, ushort eventTypeId, DicomDataset report) =>
        _ = Task.Run(() => SendOnNewAssociationAsync(address, callingAeTitle, eventTypeId, report, CancellationToken.None));

    /// <summary>Reports on a new association to <paramref name="address"/>; true when the requester answered.</summary>
    public async Task<bool> SendOnNewAssociationAsync(MoveDestinationOptions address, string callingAeTitle, ushort eventTypeId, DicomDataset report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(address);
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
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
                    return true;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                LogNewAssociationFailed(logger, attempt, e.GetType().Name, e.Message);
                if (attempt < Attempts)
                {
                    await Task.Delay(TimeSpan.FromSeconds(2 * attempt), cancellationToken).ConfigureAwait(false);
                }
            }
        }

        return false;
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

    [LoggerMessage(EventId = 6413, Level = LogLevel.Warning, Message = "Storage commitment report, attempt {Attempt}: no new association to the requester ({Reason}: {Message})")]
    private static partial void LogNewAssociationFailed(ILogger logger, int attempt, string reason, string message);
}
