using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vna.Archive.Grains;
using Vna.Core;

namespace Vna.Archive.Coordination;

/// <summary>
/// <see cref="IStudyCoordinator"/> on Orleans. Registrations for one study that arrive while a call to its grain is in
/// flight are gathered into the next call (group commit), so many concurrent senders of one study cost one grain call
/// and one index transaction per batch. Calls are retried when the cluster is failing over: registration is
/// idempotent (a repeat is reported as a duplicate of itself), so a retry never registers twice.
/// </summary>
public sealed partial class GrainStudyCoordinator : IStudyCoordinator
{
    private readonly IGrainFactory _grains;
    private readonly IOptionsMonitor<ArchiveOptions> _options;
    private readonly ILogger<GrainStudyCoordinator> _logger;
    private readonly ConcurrentDictionary<string, StudyBatcher> _batchers = new(StringComparer.Ordinal);

    public GrainStudyCoordinator(IGrainFactory grains, IOptionsMonitor<ArchiveOptions> options, ILogger<GrainStudyCoordinator> logger)
    {
        _grains = grains;
        _options = options;
        _logger = logger;
    }

    /// <summary>Largest number of instances sent in one grain call.</summary>
    public int MaxBatchSize { get; init; } = 256;

    /// <summary>How long one attempt may take before it is retried.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long to keep retrying while the cluster recovers from a lost silo.</summary>
    public TimeSpan RetryBudget { get; init; } = TimeSpan.FromSeconds(60);

    public async Task<IReadOnlyList<RegistrationResult>> RegisterAsync(string studyInstanceUid, IReadOnlyList<StoredInstance> instances, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(studyInstanceUid);
        ArgumentNullException.ThrowIfNull(instances);
        if (instances.Count == 0)
        {
            return [];
        }

        var batcher = _batchers.GetOrAdd(studyInstanceUid, uid => new StudyBatcher(this, uid));
        var pending = instances.Select(i => new PendingRegistration(i)).ToArray();
        batcher.Enqueue(pending);
        var results = new RegistrationResult[pending.Length];
        for (var i = 0; i < pending.Length; i++)
        {
            results[i] = await pending[i].Completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        return results;
    }

    public Task<StudySummary?> GetStudyAsync(string studyInstanceUid, CancellationToken cancellationToken) =>
        WithRetryAsync(() => _grains.GetGrain<IStudyGrain>(studyInstanceUid).GetSummaryAsync(), cancellationToken);

    private async Task<T> WithRetryAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + RetryBudget;
        var delay = TimeSpan.FromMilliseconds(100);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call().WaitAsync(AttemptTimeout, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (IsTransient(ex) && DateTimeOffset.UtcNow < deadline && !cancellationToken.IsCancellationRequested)
            {
                LogRetry(_logger, attempt, ex.GetType().Name);
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 1000));
            }
        }
    }

    private static bool IsTransient(Exception ex) => ex is TimeoutException
        or SiloUnavailableException
        or OrleansMessageRejectionException
        or Orleans.Runtime.Messaging.ConnectionFailedException
        or Orleans.Runtime.OrleansException { InnerException: TimeoutException };

    private Task<RegistrationResult[]> CallGrainAsync(string studyInstanceUid, StoredInstance[] batch) =>
        WithRetryAsync(
            () => _grains.GetGrain<IStudyGrain>(studyInstanceUid).RegisterAsync(batch, (int)_options.CurrentValue.DuplicatePolicy),
            CancellationToken.None);

    private void Forget(string studyInstanceUid, StudyBatcher batcher) =>
        _batchers.TryRemove(new KeyValuePair<string, StudyBatcher>(studyInstanceUid, batcher));

    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "Study registration attempt {Attempt} failed ({Error}); retrying")]
    private static partial void LogRetry(ILogger logger, int attempt, string error);

    private sealed class PendingRegistration(StoredInstance instance)
    {
        public StoredInstance Instance { get; } = instance;

        public TaskCompletionSource<RegistrationResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>One study's queue: at most one grain call in flight; what arrives meanwhile goes in the next.</summary>
    private sealed class StudyBatcher(GrainStudyCoordinator owner, string studyInstanceUid)
    {
        private readonly Lock _lock = new();
        private readonly List<PendingRegistration> _queue = [];
        private bool _running;

        public void Enqueue(PendingRegistration[] items)
        {
            lock (_lock)
            {
                _queue.AddRange(items);
                if (_running)
                {
                    return;
                }

                _running = true;
            }

            _ = Task.Run(DrainAsync);
        }

        private async Task DrainAsync()
        {
            while (true)
            {
                PendingRegistration[] batch;
                lock (_lock)
                {
                    if (_queue.Count == 0)
                    {
                        _running = false;
                        owner.Forget(studyInstanceUid, this);
                        return;
                    }

                    var take = Math.Min(_queue.Count, owner.MaxBatchSize);
                    batch = _queue.GetRange(0, take).ToArray();
                    _queue.RemoveRange(0, take);
                }

                try
                {
                    var results = await owner.CallGrainAsync(studyInstanceUid, batch.Select(p => p.Instance).ToArray()).ConfigureAwait(false);
                    for (var i = 0; i < batch.Length; i++)
                    {
                        batch[i].Completion.TrySetResult(results[i]);
                    }
                }
                catch (Exception ex)
                {
                    foreach (var p in batch)
                    {
                        p.Completion.TrySetException(ex);
                    }
                }
            }
        }
    }
}
