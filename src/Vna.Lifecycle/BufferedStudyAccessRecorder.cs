using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Vna.Archive.Lifecycle;
using Vna.Core;

namespace Vna.Lifecycle;

/// <summary>
/// Records study reads for the "since last access" policies: in memory (one entry per study, the latest time and a
/// count), written to study_access in one statement every <see cref="LifecycleOptions.AccessFlushInterval"/> and at
/// shutdown. Never fails or slows a retrieval: a failed write keeps the entries for the next flush.
/// </summary>
public sealed partial class BufferedStudyAccessRecorder(
    PostgresLifecycleStore store,
    LifecycleOptions options,
    TimeProvider clock,
    ILogger<BufferedStudyAccessRecorder> logger) : BackgroundService, IStudyAccessRecorder
{
    private ConcurrentDictionary<string, (DateTimeOffset At, int Count)> _pending = new(StringComparer.Ordinal);

    public ValueTask RecordAccessAsync(string studyInstanceUid, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(studyInstanceUid))
        {
            var now = clock.GetUtcNow();
            _pending.AddOrUpdate(studyInstanceUid, (now, 1), (_, old) => (old.At > now ? old.At : now, old.Count + 1));
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Writes what was recorded since the last flush; returns how many studies.</summary>
    public async Task<int> FlushAsync(CancellationToken cancellationToken)
    {
        var batch = Interlocked.Exchange(ref _pending, new ConcurrentDictionary<string, (DateTimeOffset, int)>(StringComparer.Ordinal));
        if (batch.IsEmpty)
        {
            return 0;
        }

        var snapshot = new Dictionary<string, (DateTimeOffset At, int Count)>(batch, StringComparer.Ordinal);
        try
        {
            await store.RecordAccessesAsync(snapshot, cancellationToken).ConfigureAwait(false);
            return snapshot.Count;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            foreach (var (uid, entry) in snapshot)
            {
                _pending.AddOrUpdate(uid, entry, (_, old) => (old.At > entry.At ? old.At : entry.At, old.Count + entry.Count));
            }

            LogFlushFailed(logger, snapshot.Count, ex.GetType().Name);
            return 0;
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        await FlushAsync(CancellationToken.None).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.AccessFlushInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await FlushAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: StopAsync flushes what is left.
        }
    }

    [LoggerMessage(EventId = 3321, Level = LogLevel.Warning, Message = "Could not record the last access of {Count} studies ({Error}); kept for the next flush")]
    private static partial void LogFlushFailed(ILogger logger, int count, string error);
}
