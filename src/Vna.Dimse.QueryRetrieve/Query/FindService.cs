using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vna.Core;
using Vna.Dicom;

namespace Vna.Dimse.QueryRetrieve;

/// <summary>
/// The C-FIND SCP's work (PS3.4 C.4.1): checks the caller may query, parses the identifier, pages through the index's
/// matches and hands each response identifier to the transport as a pending response (0xFF00, or 0xFF01 when an optional
/// key was not matched), then says how the request ends: success, cancel (C-CANCEL), refused or failed.
/// </summary>
public sealed partial class FindService
{
    private readonly IIndexStore _index;
    private readonly QueryRetrieveOptions _options;
    private readonly ILogger<FindService> _logger;

    public FindService(IIndexStore index, IOptions<QueryRetrieveOptions> options, ILogger<FindService> logger)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _index = index;
        _options = options.Value;
        _logger = logger;
    }

    /// <summary>
    /// Runs one C-FIND. <paramref name="sendPending"/> sends one pending response (identifier, status);
    /// <paramref name="cancelRequested"/> is C-CANCEL (the request then ends with 0xFE00);
    /// <paramref name="cancellationToken"/> is the association going away (throws).
    /// </summary>
    public async Task<FindCompletion> FindAsync(
        QueryRetrieveModel model,
        DicomDataset identifier,
        DepartmentOptions? department,
        string? retrieveAeTitle,
        Func<DicomDataset, ushort, CancellationToken, ValueTask> sendPending,
        CancellationToken cancelRequested,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(identifier);
        ArgumentNullException.ThrowIfNull(sendPending);
        if (!DimsePermissions.Allows(department, DimsePermissions.Query))
        {
            LogRefused(_logger, department?.Name ?? "(none)");
            return new FindCompletion(QueryRetrieveStatus.NotAuthorized, "This department may not query.", [], 0);
        }

        var find = FindRequestParser.Parse(identifier, model, out var problem);
        if (find is null)
        {
            LogBadIdentifier(_logger, problem!.Status, problem.ErrorComment);
            return FindCompletion.From(problem);
        }

        var aeTitle = _options.AeTitle is { Length: > 0 } configured ? configured : retrieveAeTitle;
        var sent = 0;
        var pageSize = _options.FindPageSize;
        var offset = 0;
        while (true)
        {
            if (cancelRequested.IsCancellationRequested)
            {
                return new FindCompletion(QueryRetrieveStatus.Cancel, null, [], sent);
            }

            IndexQueryResult result;
            try
            {
                result = await _index.QueryAsync(find.Query with { Offset = offset, Limit = pageSize }, cancellationToken).ConfigureAwait(false);
            }
            catch (ArgumentException e)
            {
                // A value the index cannot match as its VR says (a date that is not a date, a range with two '-').
                LogBadIdentifier(_logger, QueryRetrieveStatus.IdentifierDoesNotMatchSopClass, e.Message);
                return new FindCompletion(QueryRetrieveStatus.IdentifierDoesNotMatchSopClass, e.Message, [], sent);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                LogIndexFailed(_logger, e);
                return new FindCompletion(QueryRetrieveStatus.UnableToProcess, "The index could not be queried.", [], sent);
            }

            if (offset == 0 && _options.MaxFindMatches > 0 && result.TotalCount > _options.MaxFindMatches)
            {
                return new FindCompletion(QueryRetrieveStatus.OutOfResources, $"More than {_options.MaxFindMatches} matches; narrow the query.", [], 0);
            }

            var status = result.IgnoredKeys.Count > 0 ? QueryRetrieveStatus.PendingWithWarning : QueryRetrieveStatus.Pending;
            foreach (var match in result.Matches)
            {
                if (cancelRequested.IsCancellationRequested)
                {
                    return new FindCompletion(QueryRetrieveStatus.Cancel, null, [], sent);
                }

                await sendPending(FindResponseBuilder.Build(match, find, aeTitle), status, cancellationToken).ConfigureAwait(false);
                sent++;
            }

            offset += result.Matches.Count;
            if (result.Matches.Count < pageSize || offset >= result.TotalCount)
            {
                break;
            }
        }

        LogCompleted(_logger, QueryLevels.Term(find.Query.Level), sent);
        return new FindCompletion(QueryRetrieveStatus.Success, null, [], sent);
    }

    [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "C-FIND refused: department {Department} may not query")]
    private static partial void LogRefused(ILogger logger, string department);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Debug, Message = "C-FIND identifier refused with status {Status:X4}: {Reason}")]
    private static partial void LogBadIdentifier(ILogger logger, ushort status, string reason);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Error, Message = "C-FIND failed: the index could not be queried")]
    private static partial void LogIndexFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 6004, Level = LogLevel.Debug, Message = "C-FIND at {Level} level: {Matches} matches")]
    private static partial void LogCompleted(ILogger logger, string level, int matches);
}
