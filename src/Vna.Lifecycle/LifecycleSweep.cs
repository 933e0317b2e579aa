using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Vna.Archive.Grains;
using Vna.Archive.Lifecycle;

namespace Vna.Lifecycle;

/// <summary>
/// After the policies change, re-evaluates every study (bounded concurrency) so each one's reminder follows the new
/// schedule at once rather than at its old due time. Requests during a sweep start one more sweep after it.
/// </summary>
public sealed partial class LifecycleSweep(
    IGrainFactory grains,
    PostgresLifecycleStore store,
    LifecycleOptions options,
    ILogger<LifecycleSweep> logger) : BackgroundService
{
    private readonly SemaphoreSlim _requests = new(0, 1);
    private readonly Lock _progress = new();
    private long _requested;
    private long _completed;
    private TaskCompletionSource _sweepEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _evaluated;
    private long _failed;
    private int _running;

    /// <summary>Studies evaluated by sweeps since start.</summary>
    public long Evaluated => Interlocked.Read(ref _evaluated);

    public long Failed => Interlocked.Read(ref _failed);

    public bool Running => Volatile.Read(ref _running) == 1;

    /// <summary>Asks for a sweep (coalesced with one already asked for).</summary>
    public void Request()
    {
        lock (_progress)
        {
            _requested++;
        }

        try
        {
            _requests.Release();
        }
        catch (SemaphoreFullException)
        {
            // One is pending already.
        }
    }

    /// <summary>Re-evaluates every study now; returns how many were evaluated.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        Volatile.Write(ref _running, 1);
        var count = 0;
        try
        {
            long after = 0;
            while (true)
            {
                var (studies, last) = await store.StudyPageAsync(after, 1000, cancellationToken).ConfigureAwait(false);
                if (studies.Count == 0)
                {
                    break;
                }

                after = last;
                await Parallel.ForEachAsync(studies, new ParallelOptions { MaxDegreeOfParallelism = options.SweepConcurrency, CancellationToken = cancellationToken }, async (uid, _) =>
                {
                    try
                    {
                        await grains.GetGrain<IStudyLifecycleGrain>(uid).EvaluateAsync().ConfigureAwait(false);
                        Interlocked.Increment(ref _evaluated);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        Interlocked.Increment(ref _failed);
                        LogStudyFailed(logger, ex.GetType().Name);
                    }
                }).ConfigureAwait(false);
                count += studies.Count;
            }

            LogSwept(logger, count);
            return count;
        }
        finally
        {
            Volatile.Write(ref _running, 0);
        }
    }

    /// <summary>
    /// Completes once every sweep requested before the call has run (a sweep that starts after a request covers it):
    /// whoever moves time by hand, as the time-travel tests do, waits for the sweep an activation asked for first.
    /// </summary>
    public async Task WhenSweptAsync(CancellationToken cancellationToken)
    {
        long wanted;
        lock (_progress)
        {
            wanted = _requested;
        }

        while (true)
        {
            Task ended;
            lock (_progress)
            {
                if (_completed >= wanted)
                {
                    return;
                }

                ended = _sweepEnded.Task;
            }

            await ended.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await _requests.WaitAsync(stoppingToken).ConfigureAwait(false);
            long covers;
            lock (_progress)
            {
                covers = _requested; // every request made so far is served by the sweep that starts now
            }

            try
            {
                await SweepAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogSweepFailed(logger, ex.GetType().Name, ex.Message);
            }
            finally
            {
                TaskCompletionSource ended;
                lock (_progress)
                {
                    _completed = Math.Max(_completed, covers);
                    ended = _sweepEnded;
                    _sweepEnded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }

                ended.TrySetResult();
            }
        }
    }

    [LoggerMessage(EventId = 3311, Level = LogLevel.Information, Message = "Lifecycle sweep re-evaluated {Count} studies")]
    private static partial void LogSwept(ILogger logger, int count);

    [LoggerMessage(EventId = 3312, Level = LogLevel.Warning, Message = "Lifecycle sweep: a study's evaluation failed ({Error}); its reminder will try again")]
    private static partial void LogStudyFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 3313, Level = LogLevel.Error, Message = "Lifecycle sweep failed ({Error}: {Message})")]
    private static partial void LogSweepFailed(ILogger logger, string error, string message);
}
