using Microsoft.Extensions.Hosting;

namespace Vna.Tiers;

/// <summary>Asks again, every <see cref="TiersOptions.RecallPollInterval"/>, for the recalls a backend is still restoring.</summary>
public sealed class RecallPoller(RecallCoordinator recalls, TiersOptions options, TimeProvider clock) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.RecallPollInterval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await recalls.PollAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }
}
