using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vna.Core;
using Vna.Dicom;
using Vna.Dicom.Network;

namespace Vna.Dimse.QueryRetrieve;

/// <summary>
/// The Storage Commitment Push Model SCP (PS3.4 J.3): answers the N-ACTION at once (0x0000 when the request is well
/// formed), decides through <see cref="CommitmentEvaluator"/> which instances are durably stored and indexed, and sends
/// the N-EVENT-REPORT (event 1: all committed, 2: some failed) on the same association when the requester keeps it open
/// (<see cref="QueryRetrieveOptions.CommitmentSameAssociationWindow"/>), else on a new association to the address
/// configured for the requester's AE title in its department (<c>MoveDestinations</c>), proposing the SCP role: that
/// report is kept in the durable outbox first, and <see cref="CommitmentReportSender"/> delivers and retries it.
/// </summary>
public sealed partial class CommitmentService(
    CommitmentEvaluator evaluator,
    CommitmentReporter reporter,
    CallerDepartment departments,
    IOptions<QueryRetrieveOptions> options,
    ILogger<CommitmentService> logger) : IDimseService
{
    public string? SelectTransferSyntax(AssociateRequest request, string abstractSyntax, IReadOnlyList<string> proposed) =>
        string.Equals(abstractSyntax, CommitmentStatus.SopClassUid, StringComparison.Ordinal)
            ? TransferSyntaxes.PreferUncompressed(proposed) ?? TransferSyntaxes.FirstKnown(proposed)
            : null;

    public bool CanHandle(DimseCommandField commandField, string abstractSyntax) =>
        commandField == DimseCommandField.NActionRequest && string.Equals(abstractSyntax, CommitmentStatus.SopClassUid, StringComparison.Ordinal);

    public async Task HandleAsync(DicomAssociation association, DimseMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(association);
        ArgumentNullException.ThrowIfNull(request);
        var command = request.Command;
        var information = await IdentifierReader.ReadAsync(request, logger, cancellationToken).ConfigureAwait(false);
        var department = departments.Of(association);
        CommitmentRequest? commitment = null;
        IdentifierProblem? problem;
        if (!string.Equals(command.RequestedSopClassUid ?? command.SopClassUid, CommitmentStatus.SopClassUid, StringComparison.Ordinal))
        {
            problem = new IdentifierProblem(CommitmentStatus.NoSuchSopClass, "Not the Storage Commitment Push Model SOP class.", []);
        }
        else if (!string.Equals(command.RequestedSopInstanceUid, CommitmentStatus.SopInstanceUid, StringComparison.Ordinal))
        {
            problem = new IdentifierProblem(CommitmentStatus.NoSuchSopInstance, "Not the well-known commitment SOP instance.", []);
        }
        else if (command.ActionTypeId != CommitmentStatus.RequestStorageCommitment)
        {
            problem = new IdentifierProblem(CommitmentStatus.NoSuchActionType, "Action Type ID must be 1.", []);
        }
        else if (!DimsePermissions.Allows(department, DimsePermissions.Commit))
        {
            problem = new IdentifierProblem(CommitmentStatus.NotAuthorized, "This department may not request storage commitment.", []);
        }
        else
        {
            commitment = CommitmentRequestParser.Parse(information, out problem);
        }

        var response = DimseResponses.Final(command, problem?.Status ?? CommitmentStatus.Success, problem?.ErrorComment, problem?.OffendingElements);
        response.AffectedSopInstanceUid = CommitmentStatus.SopInstanceUid;
        if (command.ActionTypeId is { } actionType && problem is null)
        {
            response.ActionTypeId = actionType;
        }

        await association.SendResponseAsync(request, response, null, CancellationToken.None).ConfigureAwait(false);
        if (commitment is null)
        {
            LogRefused(logger, problem!.Status);
            return;
        }

        CommitmentResult result;
        try
        {
            result = await evaluator.EvaluateAsync(commitment, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The index cannot say: nothing is committed (a report of failures, never a false success).
            LogIndexFailed(logger, e);
            result = new CommitmentResult(commitment.TransactionUid, [], [.. commitment.Instances.Select(i => new CommitmentFailure(i, CommitmentStatus.ProcessingFailure))]);
        }

        LogEvaluated(logger, result.Committed.Count, result.Failed.Count);
        var ourAe = options.Value.AeTitle is { Length: > 0 } own ? own : association.CalledAeTitle.Trim();
        var report = CommitmentReportBuilder.Build(result, ourAe);

        // Same association when the requester keeps it open; a requester that releases at once gets a new association.
        var closed = await ReleasedWithinAsync(association, options.Value.CommitmentSameAssociationWindow).ConfigureAwait(false);
        if (!closed && await reporter.TrySendOnAsync(association, request.PresentationContextId, result.EventTypeId, report).ConfigureAwait(false))
        {
            return;
        }

        if (department is null)
        {
            LogNoAddress(logger, "(none)");
            return;
        }

        if (MoveDestinationResolver.Resolve(department, association.CallingAeTitle) is null)
        {
            // Kept all the same: a corrected configuration (and a restart) delivers it within the retry period.
            LogNoAddress(logger, department.Name);
        }

        try
        {
            await reporter.QueueAsync(department.Name, association.CallingAeTitle, ourAe, result, report, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The outbox (the database) refused it: the requester gets no report and must ask again, as after any failure.
            LogQueueFailed(logger, e);
        }
    }

    /// <summary>
    /// True when the requester releases (or loses) the association within <paramref name="window"/>: it asked for release
    /// (Sta8: the listener answers once this handler returns) or it is gone. A requester still in data transfer after the
    /// window keeps it open for the report.
    /// </summary>
    private static async Task<bool> ReleasedWithinAsync(DicomAssociation association, TimeSpan window)
    {
        var deadline = DateTime.UtcNow + window;
        while (true)
        {
            if (association.Completion.IsCompleted || association.State != AssociationState.Sta6)
            {
                return true;
            }

            if (DateTime.UtcNow >= deadline)
            {
                return false;
            }

            await Task.Delay(10, CancellationToken.None).ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 6401, Level = LogLevel.Information, Message = "Storage commitment request refused with status {Status:X4}")]
    private static partial void LogRefused(ILogger logger, ushort status);

    [LoggerMessage(EventId = 6402, Level = LogLevel.Error, Message = "Storage commitment: the index could not be queried; every instance is reported failed")]
    private static partial void LogIndexFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 6403, Level = LogLevel.Information, Message = "Storage commitment: {Committed} committed, {Failed} failed")]
    private static partial void LogEvaluated(ILogger logger, int committed, int failed);

    [LoggerMessage(EventId = 6404, Level = LogLevel.Warning, Message = "Storage commitment: the requester closed its association and department {Department} configures no address for it (MoveDestinations); the report waits in the outbox")]
    private static partial void LogNoAddress(ILogger logger, string department);

    [LoggerMessage(EventId = 6405, Level = LogLevel.Error, Message = "Storage commitment: the report could not be kept in the outbox; it is not sent")]
    private static partial void LogQueueFailed(ILogger logger, Exception exception);
}
