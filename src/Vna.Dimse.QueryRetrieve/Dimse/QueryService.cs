using Microsoft.Extensions.Logging;
using Vna.Core;
using Vna.Dicom;
using Vna.Dicom.Network;

namespace Vna.Dimse.QueryRetrieve;

/// <summary>
/// The C-FIND SCP of the Patient Root and Study Root models (PS3.4 C.4.1) on the DIMSE listener: reads the identifier,
/// lets <see cref="FindService"/> match it through the index, sends one pending C-FIND-RSP per match and the final one.
/// A C-CANCEL (which cancels the handler's token) ends it with 0xFE00.
/// </summary>
public sealed partial class QueryService(FindService find, CallerDepartment departments, ILogger<QueryService> logger) : IDimseService
{
    private static readonly string[] s_findClasses = [QueryRetrieveSopClasses.PatientRootFind, QueryRetrieveSopClasses.StudyRootFind];

    public string? SelectTransferSyntax(AssociateRequest request, string abstractSyntax, IReadOnlyList<string> proposed) =>
        s_findClasses.Contains(abstractSyntax, StringComparer.Ordinal) ? TransferSyntaxes.PreferUncompressed(proposed) ?? TransferSyntaxes.FirstKnown(proposed) : null;

    public bool CanHandle(DimseCommandField commandField, string abstractSyntax) =>
        commandField == DimseCommandField.CFindRequest && s_findClasses.Contains(abstractSyntax, StringComparer.Ordinal);

    public async Task HandleAsync(DicomAssociation association, DimseMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(association);
        ArgumentNullException.ThrowIfNull(request);
        QueryRetrieveSopClasses.TryDescribe(request.PresentationContext.AbstractSyntax, out var model, out _);
        var identifier = await IdentifierReader.ReadAsync(request, logger, cancellationToken).ConfigureAwait(false);
        if (identifier is null)
        {
            await SendFinalAsync(association, request, DimseResponses.Final(request.Command, QueryRetrieveStatus.IdentifierDoesNotMatchSopClass, "The identifier cannot be parsed."), cancellationToken).ConfigureAwait(false);
            return;
        }

        var department = departments.Of(association);
        FindCompletion completion;
        try
        {
            completion = await find.FindAsync(
                model,
                identifier,
                department,
                association.CalledAeTitle.Trim(),
                (match, status, ct) => new ValueTask(association.SendResponseAsync(request, DimseCommand.ResponseTo(request.Command, status), DimseOutgoingData.FromDataset(match), ct)),
                cancellationToken,
                CancellationToken.None).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // C-CANCEL arrived while a response was being sent.
            completion = new FindCompletion(QueryRetrieveStatus.Cancel, null, [], 0);
        }

        await SendFinalAsync(association, request, DimseResponses.Final(request.Command, completion.Status, completion.ErrorComment, completion.OffendingElements), cancellationToken).ConfigureAwait(false);
    }

    private async Task SendFinalAsync(DicomAssociation association, DimseMessage request, DimseCommand response, CancellationToken cancellationToken)
    {
        _ = cancellationToken; // the final response goes out even after C-CANCEL
        try
        {
            await association.SendResponseAsync(request, response, null, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is DicomAssociationAbortedException or ObjectDisposedException or InvalidOperationException)
        {
            LogGone(logger, e.GetType().Name);
        }
    }

    [LoggerMessage(EventId = 6201, Level = LogLevel.Debug, Message = "C-FIND: the association went away before the final response ({Reason})")]
    private static partial void LogGone(ILogger logger, string reason);
}
