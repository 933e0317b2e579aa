using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Vna.Archive.Grains;

namespace Vna.Tiers;

/// <summary>
/// Runs queued study moves (batches from the admin API) with <see cref="TiersOptions.MaxConcurrentMigrations"/> workers.
/// A batch is journalled (rows in state queued) before it is acknowledged, so at start this service queues again both the
/// moves a crash left running and those it left waiting, parking a study whose move has failed
/// <see cref="TiersOptions.MaxAttempts"/> times. Each move is the study grain's: idempotent and resumable.
/// </summary>
public sealed partial class MigrationService(
    IGrainFactory grains,
    PostgresMigrationJournal journal,
    TiersOptions options,
    IHostApplicationLifetime lifetime,
    ILogger<MigrationService> logger) : BackgroundService
{
    private readonly Channel<MigrationRequest> _queue = Channel.CreateUnbounded<MigrationRequest>();
    private int _queued;

    /// <summary>Moves waiting for a worker.</summary>
    public int Queued => Volatile.Read(ref _queued);

    /// <summary>Journals the moves (state queued), then hands them to the workers; returns how many were queued.</summary>
    /// <exception cref="NpgsqlException">The journal could not be written: nothing was queued.</exception>
    public async Task<int> QueueAsync(IReadOnlyList<string> studies, Vna.Core.StorageTier target, string? transferSyntaxUid, string reason, CancellationToken cancellationToken)
    {
        var ids = await journal.QueueAsync(studies, target, transferSyntaxUid, reason, cancellationToken).ConfigureAwait(false);
        foreach (var (study, id) in ids)
        {
            Enqueue(new MigrationRequest(study, target, transferSyntaxUid, reason, id));
        }

        return ids.Count;
    }

    private void Enqueue(MigrationRequest request)
    {
        Interlocked.Increment(ref _queued);
        _queue.Writer.TryWrite(request);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Grain calls need the silo, which starts after this service: wait for the host to be up.
        var started = new TaskCompletionSource();
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        using (stoppingToken.Register(() => started.TrySetCanceled(stoppingToken)))
        {
            try
            {
                await started.Task.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        try
        {
            await ResumeAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogResumeFailed(logger, ex.Message);
        }

        var workers = Enumerable.Range(0, options.MaxConcurrentMigrations).Select(_ => WorkAsync(stoppingToken)).ToList();
        await Task.WhenAll(workers).ConfigureAwait(false);
    }

    private async Task ResumeAsync(CancellationToken cancellationToken)
    {
        // The moves a crash interrupted first, then those still waiting, oldest first.
        var running = await journal.ListAsync("running", null, 10_000, cancellationToken).ConfigureAwait(false);
        foreach (var row in running)
        {
            if (row.Attempts >= options.MaxAttempts)
            {
                await journal.FailAsync(row.Id, $"parked after {row.Attempts} attempts; move it again from the admin API once the cause is fixed", cancellationToken).ConfigureAwait(false);
                continue;
            }

            Enqueue(new MigrationRequest(row.StudyInstanceUid, Enum.Parse<Vna.Core.StorageTier>(row.ToTier), row.TransferSyntaxUid, row.Reason));
        }

        var queued = await journal.ListAsync("queued", null, 100_000, cancellationToken).ConfigureAwait(false);
        foreach (var row in queued.Reverse())
        {
            Enqueue(new MigrationRequest(row.StudyInstanceUid, Enum.Parse<Vna.Core.StorageTier>(row.ToTier), row.TransferSyntaxUid, row.Reason, row.Id));
        }

        if (running.Count + queued.Count > 0)
        {
            LogResumed(logger, running.Count, queued.Count);
        }
    }

    private async Task WorkAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var request in _queue.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                Interlocked.Decrement(ref _queued);
                string? error = null;
                try
                {
                    await grains.GetGrain<IStudyTierGrain>(request.StudyInstanceUid)
                        .MoveToTierAsync(request.Target, request.TransferSyntaxUid, request.Reason).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    // Recorded in the journal by the grain (state failed, with the error); the study stays readable where it was.
                    error = $"{ex.GetType().Name}: {ex.Message}";
                    LogMoveFailed(logger, request.Target, ex.GetType().Name);
                }

                await SettleAsync(request, error, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the moves still queued stay queued in the journal and run after the next start.
        }
    }

    /// <summary>Closes the request's queued journal row when the grain did not make it its running move (nothing to copy, or refused).</summary>
    private async Task SettleAsync(MigrationRequest request, string? error, CancellationToken stoppingToken)
    {
        if (request.QueuedId == 0)
        {
            return;
        }

        try
        {
            await journal.SettleQueuedAsync(request.QueuedId, error, stoppingToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Left queued: run again (a no-op once the study is there) after the next start.
            LogSettleFailed(logger, ex.GetType().Name);
        }
    }

    [LoggerMessage(EventId = 7201, Level = LogLevel.Information, Message = "Resuming study moves left by an earlier process: {Running} interrupted, {Queued} still queued")]
    private static partial void LogResumed(ILogger logger, int running, int queued);

    [LoggerMessage(EventId = 7204, Level = LogLevel.Warning, Message = "Could not close a queued move's journal row ({Error}); it runs again after the next start")]
    private static partial void LogSettleFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 7202, Level = LogLevel.Warning, Message = "Could not read the move journal at start: {Message}")]
    private static partial void LogResumeFailed(ILogger logger, string message);

    [LoggerMessage(EventId = 7203, Level = LogLevel.Warning, Message = "A queued study move to {Target} failed ({Error}); see GET /api/tiers/migrations")]
    private static partial void LogMoveFailed(ILogger logger, Vna.Core.StorageTier target, string error);
}
