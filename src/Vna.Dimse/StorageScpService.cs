using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vna.Core;
using Vna.Dicom;
using Vna.Dicom.Network;

namespace Vna.Dimse;

/// <summary>
/// The Storage SCP: accepts every Storage SOP class of the dictionary (and configured private ones; unknown ones when the
/// archive allows them) in whatever known transfer syntax the requestor proposes first — objects are stored as received.
/// Each C-STORE's data set streams from the network through <see cref="StoreService"/> into the hot tier's temporary file;
/// the response is success only once the Store feature says durable and indexed.
/// </summary>
public sealed partial class StorageScpService : IDimseService
{
    private const int MaxErrorComment = 64;

    private readonly StoreService _store;
    private readonly IOptionsMonitor<ArchiveOptions> _archive;
    private readonly DimseSettings _settings;
    private readonly ILogger<StorageScpService> _logger;

    public StorageScpService(StoreService store, IOptionsMonitor<ArchiveOptions> archive, DimseSettings settings, ILogger<StorageScpService> logger)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(archive);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(logger);
        _store = store;
        _archive = archive;
        _settings = settings;
        _logger = logger;
    }

    /// <summary>True for a SOP class this SCP stores: a Storage SOP class of the dictionary, or a configured private one, or any SOP class unknown to the dictionary when the archive allows unknown classes.</summary>
    public bool IsStorable(string sopClassUid)
    {
        if (!DicomUid.IsValid(sopClassUid))
        {
            return false;
        }

        var known = DicomUid.Lookup(sopClassUid);
        if (known is not null)
        {
            return known.IsStorageSopClass;
        }

        var archive = _archive.CurrentValue;
        return archive.AllowUnknownSopClasses
            || archive.AllowedPrivateSopClasses.Contains(sopClassUid, StringComparer.Ordinal)
            || _settings.Options.PrivateStorageSopClasses.Contains(sopClassUid, StringComparer.Ordinal);
    }

    public string? SelectTransferSyntax(AssociateRequest request, string abstractSyntax, IReadOnlyList<string> proposed) =>
        IsStorable(abstractSyntax) ? TransferSyntaxes.FirstKnown(proposed) : null;

    public bool CanHandle(DimseCommandField commandField, string abstractSyntax) =>
        commandField == DimseCommandField.CStoreRequest && IsStorable(abstractSyntax);

    public async Task HandleAsync(DicomAssociation association, DimseMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(association);
        ArgumentNullException.ThrowIfNull(request);
        var command = request.Command;
        var department = DimseAccess.GetDepartment(association);
        if (department is null || !department.Allows(DimseOperation.Store))
        {
            await RespondAsync(association, request, DimseStatus.NotAuthorized, "The calling AE title's department may not store.", cancellationToken).ConfigureAwait(false);
            return;
        }

        if (request.Data is null)
        {
            await RespondAsync(association, request, DimseStatus.CannotUnderstand, "A C-STORE request without a data set.", cancellationToken).ConfigureAwait(false);
            return;
        }

        var contextSopClass = request.PresentationContext.AbstractSyntax;
        if (command.AffectedSopClassUid is { } announced && !string.Equals(announced, contextSopClass, StringComparison.Ordinal))
        {
            await RespondAsync(association, request, DimseStatus.DataSetDoesNotMatchSopClass, "Affected SOP Class UID differs from the presentation context.", cancellationToken)
                .ConfigureAwait(false);
            return;
        }

        var storeRequest = new StoreRequest
        {
            Department = department.Name,
            Actor = DimseAccess.Actor(association),
            BareDatasetSyntax = request.TransferSyntax,
            ExpectedSopClassUid = command.AffectedSopClassUid ?? contextSopClass,
            ExpectedSopInstanceUid = command.AffectedSopInstanceUid,
        };

        // A broken input (the association aborted mid data set) propagates: the Store feature has removed the temporary file
        // and nothing was indexed; there is no one left to answer.
        var result = await _store.StoreAsync(request.Data, storeRequest, cancellationToken).ConfigureAwait(false);
        var (status, comment) = Map(result);
        LogStored(status);
        await RespondAsync(association, request, status, comment, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The C-STORE status for a store result (PS3.4 GG.4-1): success only for a durable, indexed instance.</summary>
    public static (ushort Status, string? Comment) Map(StoreResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.IsSuccess)
        {
            return result.Coerced ? (DimseStatus.CoercionOfDataElements, "Attributes were coerced.") : (DimseStatus.Success, null);
        }

        var status = result.Failure switch
        {
            StoreFailure.CannotUnderstand => DimseStatus.CannotUnderstand,
            StoreFailure.InvalidUid => DimseStatus.DataSetDoesNotMatchSopClass,
            StoreFailure.DataSetDoesNotMatch => DimseStatus.DataSetDoesNotMatchSopClass,
            StoreFailure.SopClassNotSupported => DimseStatus.SopClassNotSupported,
            StoreFailure.Conflict => DimseStatus.DataSetDoesNotMatchSopClass,
            StoreFailure.OutOfResources => DimseStatus.OutOfResources,
            StoreFailure.NotAuthorized => DimseStatus.NotAuthorized,
            _ => DimseStatus.CannotUnderstand,
        };
        return (status, result.Reason);
    }

    private static Task RespondAsync(DicomAssociation association, DimseMessage request, ushort status, string? comment, CancellationToken cancellationToken)
    {
        var response = DimseCommand.ResponseTo(request.Command, status);
        if (comment is not null && DimseStatus.IsFailure(status))
        {
            // Error Comment is LO: 64 characters, no backslash or control characters.
            var clean = new string(comment.Where(c => c is >= ' ' and <= '~' and not '\\').ToArray());
            response.ErrorComment = clean.Length > MaxErrorComment ? clean[..MaxErrorComment] : clean;
        }

        return association.SendResponseAsync(request, response, null, cancellationToken);
    }

    [LoggerMessage(1, LogLevel.Debug, "C-STORE answered 0x{Status:X4}.")]
    private partial void LogStored(ushort status);
}
