using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Vna.Archive.Lifecycle;

namespace Vna.Lifecycle;

/// <summary>
/// Loads the policies in force at start (activating the files of <see cref="LifecycleOptions.PolicyDirectory"/> when the
/// database holds none), then re-reads them every <see cref="LifecycleOptions.PolicyRefreshInterval"/> so an activation on
/// another silo takes effect here too.
/// </summary>
public sealed partial class PolicyRefresher(PolicyCatalog catalog, LifecycleOptions options, ILogger<PolicyRefresher> logger) : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await catalog.RefreshAsync(cancellationToken).ConfigureAwait(false);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            if (options.PolicyDirectory is { Length: > 0 } folder)
            {
                // After start-up: the bootstrap previews over the archive, which needs nothing but the database.
                var activated = await catalog.BootstrapAsync(Path.GetFullPath(folder), stoppingToken).ConfigureAwait(false);
                if (activated > 0)
                {
                    LogBootstrapped(logger, activated, folder);
                }
            }

            using var timer = new PeriodicTimer(options.PolicyRefreshInterval);
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await catalog.RefreshAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogRefreshFailed(logger, ex.GetType().Name, ex.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    [LoggerMessage(EventId = 3341, Level = LogLevel.Information, Message = "Activated {Count} policy documents from {Folder} (the database held none)")]
    private static partial void LogBootstrapped(ILogger logger, int count, string folder);

    [LoggerMessage(EventId = 3342, Level = LogLevel.Warning, Message = "Could not re-read the policies ({Error}: {Message}); the policies in force stay")]
    private static partial void LogRefreshFailed(ILogger logger, string error, string message);
}
