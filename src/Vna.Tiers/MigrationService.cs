using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Vna.Archive.Grains;

namespace Vna.Tiers;

/// <summary>
/// Runs queued study moves (batches from the admin API) with <see cref="TiersOptions.MaxConcurrentMigrations"/> workers,
/// and at start retries the moves a crash left running (journal rows in state running), parking a study whose move has
/// failed <see cref="TiersOptions.MaxAttempts"/> times. Each move is the study grain's: idempotent and resumable.
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

    public void Enqueue(MigrationRequest request)
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
        var running = await journal.ListAsync("running", null, 10_000, cancellationToken).ConfigureAwait(false);
        foreach (var row in running)
        {
            if (row.Attempts >= options.MaxAttempts)
            {
                await journal.FailAsync(row.Id, $"parked after {row.Attempts} attempts; move it again from the admin API once the cause is fixed", cancellationToken).ConfigureAwait(false);
                continue;
            }

            Enqueue(new MigrationRequest(row.StudyInstanceUid, Enum.Parse<Vna.Core.StorageTier>(row.ToTier), null, row.Reason));
        }

        if (running.Count > 0)
        {
            LogResumed(logger, running.Count);
        }
    }

    private async Task WorkAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var request in _queue.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                Interlocked.Decrement(ref _queued);
                try
                {
                    await grains.GetGrain<IStudyTierGrain>(request.StudyInstanceUid)
                        .MoveToTierAsync(request.Target, request.TransferSyntaxUid, request.Reason).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    // Recorded in the journal by the grain (state failed, with the error); the study stays readable where it was.
                    LogMoveFailed(logger, request.Target, ex.GetType().Name);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: queued moves are not journalled yet and are simply not run; running ones resume at the next start.
        }
    }

    [LoggerMessage(EventId = 7201, Level = LogLevel.Information, Message = "Resuming {Count} study moves left running by an earlier process")]
    private static partial void LogResumed(ILogger logger, int count);

    [LoggerMessage(EventId = 7202, Level = LogLevel.Warning, Message = "Could not read the move journal at start: {Message}")]
    private static partial void LogResumeFailed(ILogger logger, string message);

    [LoggerMessage(EventId = 7203, Level = LogLevel.Warning, Message = "A queued study move to {Target} failed ({Error}); see GET /api/tiers/migrations")]
    private static partial void LogMoveFailed(ILogger logger, Vna.Core.StorageTier target, string error);
}
