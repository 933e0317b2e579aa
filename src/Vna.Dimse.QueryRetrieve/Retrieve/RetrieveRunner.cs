using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vna.Core;
using Vna.Dicom.Network;

namespace Vna.Dimse.QueryRetrieve;

/// <summary>
/// Runs the C-STORE sub-operations of a C-MOVE or C-GET (PS3.4 C.4.2.3, C.4.3.3): for each instance, reads its copy
/// through <see cref="IInstanceContentSource"/> only, picks the accepted context (<see cref="TransferSyntaxPlanner"/>),
/// transcodes when the stored syntax was not accepted, sends it, counts the response, and sends a pending response with
/// the counts after each. A study being recalled from the cold tier keeps the requester informed with pending responses
/// until it is readable or <see cref="QueryRetrieveOptions.RecallWaitLimit"/> has passed. C-CANCEL stops before the next
/// instance (0xFE00).
/// </summary>
public sealed partial class RetrieveRunner
{
    private readonly IInstanceContentSource _contentSource;
    private readonly IInstanceTranscoder _transcoder;
    private readonly TransferSyntaxPlanner _planner;
    private readonly QueryRetrieveOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<RetrieveRunner> _logger;

    public RetrieveRunner(
        IInstanceContentSource contentSource,
        IInstanceTranscoder transcoder,
        IOptions<QueryRetrieveOptions> options,
        TimeProvider time,
        ILogger<RetrieveRunner> logger)
    {
        ArgumentNullException.ThrowIfNull(contentSource);
        ArgumentNullException.ThrowIfNull(transcoder);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _contentSource = contentSource;
        _transcoder = transcoder as NativeSyntaxTranscoder ?? new NativeSyntaxTranscoder(transcoder);
        _planner = new TransferSyntaxPlanner(_transcoder);
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    /// <summary>The planner this runner chooses syntaxes with (its transcoder included), for proposing contexts to a destination.</summary>
    public TransferSyntaxPlanner Planner => _planner;

    /// <summary>
    /// Sends <paramref name="instances"/> to <paramref name="target"/>. <paramref name="sendPending"/> sends one pending
    /// response with the counts; <paramref name="cancelRequested"/> is C-CANCEL; <paramref name="cancellationToken"/> the
    /// requester's association going away (throws).
    /// </summary>
    public async Task<RetrieveCompletion> RunAsync(
        IReadOnlyList<StoredInstance> instances,
        IStorageSubOperationTarget target,
        Func<SubOperationProgress, CancellationToken, ValueTask> sendPending,
        CancellationToken cancelRequested,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instances);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(sendPending);
        var progress = new SubOperationProgress(instances.Count);
        var recallTimedOut = new HashSet<string>(StringComparer.Ordinal);
        var broken = false;
        for (var i = 0; i < instances.Count; i++)
        {
            var instance = instances[i];
            if (cancelRequested.IsCancellationRequested)
            {
                LogCancelled(_logger, progress.Completed, progress.Remaining);
                return new RetrieveCompletion(QueryRetrieveStatus.Cancel, progress, progress.FailedList(), null);
            }

            if (broken)
            {
                progress.RecordFailure(instance.SopInstanceUid);
                continue;
            }

            try
            {
                var status = await SendOneAsync(instance, target, progress, recallTimedOut, sendPending, cancellationToken).ConfigureAwait(false);
                progress.Record(instance.SopInstanceUid, status);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // The storage association failed: nothing more can be sent on it.
                LogTargetFailed(_logger, e);
                progress.RecordFailure(instance.SopInstanceUid);
                broken = true;
                continue;
            }

            if (progress.Remaining > 0)
            {
                await sendPending(progress, cancellationToken).ConfigureAwait(false);
            }
        }

        var final = progress.FinalStatus();
        LogCompleted(_logger, progress.Completed, progress.Warning, progress.Failed);
        return new RetrieveCompletion(final, progress, progress.FailedList(), null);
    }

    /// <summary>Sends one instance; returns the C-STORE status, or 0xC000 for a failure on this side (nothing sent). Throws when the target fails.</summary>
    private async Task<ushort> SendOneAsync(
        StoredInstance instance,
        IStorageSubOperationTarget target,
        SubOperationProgress progress,
        HashSet<string> recallTimedOut,
        Func<SubOperationProgress, CancellationToken, ValueTask> sendPending,
        CancellationToken cancellationToken)
    {
        var plan = _planner.Choose(instance, target.AcceptedContexts);
        if (plan is null)
        {
            LogNoContext(_logger, instance.Attributes.SopClassUid, instance.TransferSyntaxUid);
            return QueryRetrieveStatus.UnableToProcess;
        }

        if (recallTimedOut.Contains(instance.StudyInstanceUid))
        {
            return QueryRetrieveStatus.UnableToProcess;
        }

        var content = await OpenAsync(instance, progress, sendPending, cancellationToken).ConfigureAwait(false);
        if (content is null)
        {
            recallTimedOut.Add(instance.StudyInstanceUid);
            return QueryRetrieveStatus.UnableToProcess;
        }

        await using (content.ConfigureAwait(false))
        {
            Stream dataset;
            Stream? transcoded = null;
            try
            {
                if (plan.Transcode)
                {
                    transcoded = await TranscodeAsync(content, plan.Context.TransferSyntaxUid, cancellationToken).ConfigureAwait(false);
                    if (transcoded is null)
                    {
                        return QueryRetrieveStatus.UnableToProcess;
                    }

                    (dataset, _) = await Part10Header.SkipAsync(transcoded, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    (dataset, _) = await Part10Header.SkipAsync(content.Stream, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is InvalidDataException or IOException or EndOfStreamException)
            {
                LogUnreadable(_logger, e);
                if (transcoded is not null)
                {
                    await transcoded.DisposeAsync().ConfigureAwait(false);
                }

                return QueryRetrieveStatus.UnableToProcess;
            }

            try
            {
                return await target.StoreAsync(plan.Context, instance.Attributes.SopClassUid, instance.SopInstanceUid, dataset, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                if (transcoded is not null)
                {
                    await transcoded.DisposeAsync().ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>Opens the instance's copy, waiting for a recall with pending responses; null when it cannot be read.</summary>
    private async Task<InstanceContent?> OpenAsync(
        StoredInstance instance,
        SubOperationProgress progress,
        Func<SubOperationProgress, CancellationToken, ValueTask> sendPending,
        CancellationToken cancellationToken)
    {
        var deadline = _time.GetUtcNow() + _options.RecallWaitLimit;
        while (true)
        {
            var attempt = _time.GetUtcNow();
            try
            {
                return await _contentSource.OpenAsync(instance, _options.PendingInterval, cancellationToken).ConfigureAwait(false);
            }
            catch (StudyRecallPendingException)
            {
                var now = _time.GetUtcNow();
                if (now >= deadline)
                {
                    LogRecallTimedOut(_logger, _options.RecallWaitLimit);
                    return null;
                }

                LogRecallPending(_logger);
                await sendPending(progress, cancellationToken).ConfigureAwait(false);
                var waited = now - attempt;
                if (waited < _options.PendingInterval)
                {
                    // The content source answered at once: do not spin.
                    await Task.Delay(_options.PendingInterval - waited, _time, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is IOException or InvalidOperationException or UnauthorizedAccessException)
            {
                LogUnreadable(_logger, e);
                return null;
            }
        }
    }

    /// <summary>Transcodes into a temporary file (deleted when closed) positioned at its start; null when the transcoder refuses.</summary>
    private async Task<Stream?> TranscodeAsync(InstanceContent content, string targetSyntax, CancellationToken cancellationToken)
    {
        var path = Path.Combine(Path.GetTempPath(), "vna-retrieve-" + Guid.NewGuid().ToString("N") + ".dcm");
        var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        try
        {
            await _transcoder.TranscodeAsync(content.Stream, targetSyntax, file, null, cancellationToken).ConfigureAwait(false);
            file.Position = 0;
            return file;
        }
        catch (Exception e) when (e is TranscodeException or IOException or InvalidDataException)
        {
            LogTranscodeFailed(_logger, content.TransferSyntaxUid, targetSyntax, e);
            await file.DisposeAsync().ConfigureAwait(false);
            return null;
        }
        catch
        {
            await file.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    [LoggerMessage(EventId = 6101, Level = LogLevel.Warning, Message = "Retrieve sub-operation: the peer accepted no context for SOP class {SopClass} that transfer syntax {TransferSyntax} can be sent in")]
    private static partial void LogNoContext(ILogger logger, string sopClass, string transferSyntax);

    [LoggerMessage(EventId = 6102, Level = LogLevel.Warning, Message = "Retrieve sub-operation: transcoding {From} to {To} failed")]
    private static partial void LogTranscodeFailed(ILogger logger, string from, string to, Exception exception);

    [LoggerMessage(EventId = 6103, Level = LogLevel.Warning, Message = "Retrieve sub-operation: the stored copy could not be read")]
    private static partial void LogUnreadable(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 6104, Level = LogLevel.Information, Message = "Retrieve: waiting for a study being recalled from the cold tier")]
    private static partial void LogRecallPending(ILogger logger);

    [LoggerMessage(EventId = 6105, Level = LogLevel.Warning, Message = "Retrieve: a recall did not finish within {Limit}; its instances fail")]
    private static partial void LogRecallTimedOut(ILogger logger, TimeSpan limit);

    [LoggerMessage(EventId = 6106, Level = LogLevel.Warning, Message = "Retrieve: the storage association failed; the remaining sub-operations fail")]
    private static partial void LogTargetFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 6107, Level = LogLevel.Information, Message = "Retrieve cancelled after {Completed} sub-operations, {Remaining} not attempted")]
    private static partial void LogCancelled(ILogger logger, int completed, int remaining);

    [LoggerMessage(EventId = 6108, Level = LogLevel.Information, Message = "Retrieve complete: {Completed} completed, {Warning} with warnings, {Failed} failed")]
    private static partial void LogCompleted(ILogger logger, int completed, int warning, int failed);
}
