using System.Collections.Concurrent;
using Vna.Archive.Grains;
using Vna.Archive.Tiers;

namespace Vna.Tiers;

/// <summary>
/// Recalls of cold studies in this process: one grain call per study at a time (callers asking for the same study share
/// it), each caller waiting only up to its own limit. Recalls the backend is still restoring are remembered and asked
/// again every <see cref="TiersOptions.RecallPollInterval"/> by <see cref="RecallPoller"/>.
/// </summary>
public sealed class RecallCoordinator(IGrainFactory grains, TimeProvider clock)
{
    /// <summary>Retry-After while a recall copies the bundle to the hot tier.</summary>
    public static readonly TimeSpan CopyRetryAfter = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, Task<RecallStatus>> _running = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TimeSpan> _pending = new(StringComparer.Ordinal);

    /// <summary>Studies whose bundle the backend is restoring.</summary>
    public IReadOnlyCollection<string> Pending => [.. _pending.Keys];

    /// <summary>Starts (or joins) the study's recall and waits up to <paramref name="maxWait"/>; the recall goes on after a timeout.</summary>
    public async Task<RecallStatus> RecallAsync(string studyInstanceUid, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        var recall = Start(studyInstanceUid);
        try
        {
            return await recall.WaitAsync(maxWait < TimeSpan.Zero ? TimeSpan.Zero : maxWait, clock, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Still running: the backend's restore time when it is restoring, else a short while (the bundle is being copied).
            return new RecallStatus(false, _pending.TryGetValue(studyInstanceUid, out var retryAfter) ? retryAfter : CopyRetryAfter, 0);
        }
    }

    /// <summary>Completes when no recall of the study is running in this process (at once when none is).</summary>
    public async Task WhenSettledAsync(string studyInstanceUid)
    {
        while (_running.TryGetValue(studyInstanceUid, out var recall))
        {
            try
            {
                await recall.ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Its caller hears the error; settled is all this waits for.
            }
        }
    }

    /// <summary>Asks again for every recall the backend is restoring (the poller calls this).</summary>
    public async Task PollAsync(CancellationToken cancellationToken)
    {
        foreach (var study in _pending.Keys)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                await Start(study).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Asked again at the next poll; a caller waiting on it hears the error itself.
            }
        }
    }

    /// <summary>
    /// The study's running recall, or a new one. The entry is added before the recall starts and removed by the recall
    /// itself (only its own entry), so a recall that ends at once can never leave a finished task behind: with
    /// <c>GetOrAdd(study, RunAsync)</c> a recall could finish, and remove nothing, before the dictionary stored it, and every
    /// later ask — the poller's included — got that stale answer ("still restoring") for ever.
    /// </summary>
    private Task<RecallStatus> Start(string study)
    {
        while (true)
        {
            if (_running.TryGetValue(study, out var running))
            {
                return running;
            }

            var completion = new TaskCompletionSource<RecallStatus>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_running.TryAdd(study, completion.Task))
            {
                _ = RunAsync(study, completion);
                return completion.Task;
            }
        }
    }

    private async Task RunAsync(string study, TaskCompletionSource<RecallStatus> completion)
    {
        await Task.Yield();
        var entry = KeyValuePair.Create(study, completion.Task);
        try
        {
            var status = await grains.GetGrain<IStudyTierGrain>(study).RecallAsync().ConfigureAwait(false);
            if (status.Online)
            {
                _pending.TryRemove(study, out _);
            }
            else
            {
                _pending[study] = status.RetryAfter;
            }

            _running.TryRemove(entry);
            completion.TrySetResult(status);
        }
        catch (OperationCanceledException ex)
        {
            _running.TryRemove(entry);
            completion.TrySetCanceled(ex.CancellationToken);
        }
        catch (Exception ex)
        {
            _running.TryRemove(entry);
            completion.TrySetException(ex);
        }
    }
}
