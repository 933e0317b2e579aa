using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vna.Core;
using Vna.Dicom;
using Vna.Dicom.Network;

namespace Vna.Dimse.QueryRetrieve;

/// <summary>
/// The C-MOVE and C-GET SCP of the Patient Root and Study Root models (PS3.4 C.4.2, C.4.3). C-MOVE opens an association
/// to the destination configured for the caller's department under the Move Destination AE title (unknown: 0xA801) and
/// proposes the instances' stored syntaxes and the uncompressed ones; C-GET sends on the requester's own association,
/// on the storage contexts it proposed with the SCP role (role selection, which this service accepts). Pending responses
/// carry the sub-operation counts; the final one the counts and the Failed SOP Instance UID List.
/// </summary>
public sealed partial class RetrieveService(
    InstanceResolver resolver,
    RetrieveRunner runner,
    CallerDepartment departments,
    IOptions<QueryRetrieveOptions> options,
    ILogger<RetrieveService> logger) : IDimseService
{
    private static readonly string[] s_moveClasses = [QueryRetrieveSopClasses.PatientRootMove, QueryRetrieveSopClasses.StudyRootMove];
    private static readonly string[] s_getClasses = [QueryRetrieveSopClasses.PatientRootGet, QueryRetrieveSopClasses.StudyRootGet];

    public string? SelectTransferSyntax(AssociateRequest request, string abstractSyntax, IReadOnlyList<string> proposed)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (s_moveClasses.Contains(abstractSyntax, StringComparer.Ordinal) || s_getClasses.Contains(abstractSyntax, StringComparer.Ordinal))
        {
            return TransferSyntaxes.PreferUncompressed(proposed) ?? TransferSyntaxes.FirstKnown(proposed);
        }

        // A C-GET requester's storage contexts (when no storage service before this one took them): the requester's
        // preferred known syntax; instances in others are transcoded when they can be.
        return ProposesGet(request) && request.RoleSelections.Any(r => r.ScpRole && string.Equals(r.SopClassUid, abstractSyntax, StringComparison.Ordinal))
            ? TransferSyntaxes.FirstKnown(proposed)
            : null;
    }

    public RoleSelection? SelectRoles(AssociateRequest request, RoleSelection proposed)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(proposed);
        return ProposesGet(request) && proposed.ScpRole ? proposed : null;
    }

    public bool CanHandle(DimseCommandField commandField, string abstractSyntax) =>
        (commandField == DimseCommandField.CMoveRequest && s_moveClasses.Contains(abstractSyntax, StringComparer.Ordinal))
        || (commandField == DimseCommandField.CGetRequest && s_getClasses.Contains(abstractSyntax, StringComparer.Ordinal));

    public async Task HandleAsync(DicomAssociation association, DimseMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(association);
        ArgumentNullException.ThrowIfNull(request);
        QueryRetrieveSopClasses.TryDescribe(request.PresentationContext.AbstractSyntax, out var model, out var operation);
        var identifier = await IdentifierReader.ReadAsync(request, logger, cancellationToken).ConfigureAwait(false);
        var completion = identifier is null
            ? RetrieveCompletion.Refused(QueryRetrieveStatus.IdentifierDoesNotMatchSopClass, "The identifier cannot be parsed.")
            : await RetrieveAsync(association, request, identifier, model, operation, cancellationToken).ConfigureAwait(false);

        var final = completion.Progress is null
            ? DimseResponses.Final(request.Command, completion.Status, completion.ErrorComment)
            : DimseResponses.WithCounts(request.Command, completion.Status, completion.Progress, final: true);
        if (completion.Progress is null && completion.ErrorComment is { Length: > 0 } comment)
        {
            final.ErrorComment = comment;
        }

        var failed = DimseResponses.FailedList(completion.FailedSopInstanceUids);
        try
        {
            await association.SendResponseAsync(request, final, failed is null ? null : DimseOutgoingData.FromDataset(failed), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is DicomAssociationAbortedException or ObjectDisposedException or InvalidOperationException)
        {
            LogGone(logger, e.GetType().Name);
        }
    }

    private async Task<RetrieveCompletion> RetrieveAsync(
        DicomAssociation association, DimseMessage request, DicomDataset identifier, QueryRetrieveModel model, QueryRetrieveOperation operation, CancellationToken cancelRequested)
    {
        var department = departments.Of(association);
        if (!DimsePermissions.Allows(department, DimsePermissions.Retrieve))
        {
            LogRefused(logger, department?.Name ?? "(none)");
            return RetrieveCompletion.Refused(QueryRetrieveStatus.NotAuthorized, "This department may not retrieve.");
        }

        var selection = RetrieveRequestParser.Parse(identifier, model, out var problem);
        if (selection is null)
        {
            return RetrieveCompletion.Refused(problem!.Status, problem.ErrorComment);
        }

        MoveDestinationOptions? destination = null;
        if (operation == QueryRetrieveOperation.Move)
        {
            destination = MoveDestinationResolver.Resolve(department, request.Command.MoveDestination);
            if (destination is null)
            {
                LogUnknownDestination(logger, department?.Name ?? "(none)");
                return RetrieveCompletion.Refused(QueryRetrieveStatus.MoveDestinationUnknown, "Move destination unknown.");
            }
        }

        IReadOnlyList<StoredInstance> instances;
        try
        {
            instances = await resolver.ResolveAsync(selection, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogIndexFailed(logger, e);
            return RetrieveCompletion.Refused(QueryRetrieveStatus.OutOfResourcesMatches, "The index could not be queried.");
        }

        ValueTask SendPending(SubOperationProgress progress, CancellationToken ct) =>
            new(association.SendResponseAsync(request, DimseResponses.WithCounts(request.Command, QueryRetrieveStatus.Pending, progress, final: false), null, ct));

        if (operation == QueryRetrieveOperation.Get)
        {
            var target = new GetRequesterTarget(association);
            return await runner.RunAsync(instances, target, SendPending, cancelRequested, CancellationToken.None).ConfigureAwait(false);
        }

        if (instances.Count == 0)
        {
            return new RetrieveCompletion(QueryRetrieveStatus.Success, new SubOperationProgress(0), [], null);
        }

        var callingAe = options.Value.AeTitle is { Length: > 0 } own ? own : association.CalledAeTitle.Trim();
        MoveDestinationTarget move;
        try
        {
            move = await MoveDestinationTarget.ConnectAsync(
                destination!, callingAe, runner.Planner.Propose(instances), association.CallingAeTitle.Trim(), request.Command.MessageId, options.Value.OutboundTimeout, CancellationToken.None)
                .ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancelRequested.IsCancellationRequested)
        {
            LogDestinationFailed(logger, e.GetType().Name);
            var progress = new SubOperationProgress(instances.Count);
            foreach (var instance in instances)
            {
                progress.RecordFailure(instance.SopInstanceUid);
            }

            return new RetrieveCompletion(QueryRetrieveStatus.OutOfResourcesSubOperations, progress, progress.FailedList(), "The move destination could not be reached.");
        }

        await using (move.ConfigureAwait(false))
        {
            return await runner.RunAsync(instances, move, SendPending, cancelRequested, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static bool ProposesGet(AssociateRequest request) =>
        request.PresentationContexts.Any(pc => s_getClasses.Contains(pc.AbstractSyntax, StringComparer.Ordinal));

    [LoggerMessage(EventId = 6301, Level = LogLevel.Information, Message = "Retrieve refused: department {Department} may not retrieve")]
    private static partial void LogRefused(ILogger logger, string department);

    [LoggerMessage(EventId = 6302, Level = LogLevel.Information, Message = "C-MOVE refused: the move destination is not configured for department {Department}")]
    private static partial void LogUnknownDestination(ILogger logger, string department);

    [LoggerMessage(EventId = 6303, Level = LogLevel.Error, Message = "Retrieve failed: the index could not be queried")]
    private static partial void LogIndexFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 6304, Level = LogLevel.Warning, Message = "C-MOVE: the move destination could not be reached ({Reason})")]
    private static partial void LogDestinationFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 6305, Level = LogLevel.Debug, Message = "Retrieve: the association went away before the final response ({Reason})")]
    private static partial void LogGone(ILogger logger, string reason);
}
