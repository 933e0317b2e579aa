using Npgsql;

namespace Vna.Server.Endpoints;

/// <summary>
/// <c>GET /health/ready</c>, for a load balancer or an orchestrator: 200 when this server can take a store now — PostgreSQL
/// answers (the index, where every acknowledged object is recorded) and the hot tier has at least
/// <see cref="VnaServerOptions.MinFreeHotBytes"/> free — else 503 naming what is wrong. <c>GET /health</c> stays a liveness
/// check (the process answers). Neither needs a token; neither says anything about patients.
/// </summary>
internal static class ReadinessEndpoints
{
    private static readonly TimeSpan s_databaseTimeout = TimeSpan.FromSeconds(3);

    public static IEndpointRouteBuilder MapVnaReadiness(this IEndpointRouteBuilder app, string hotRoot, long minFreeHotBytes)
    {
        app.MapGet("/health/ready", async (NpgsqlDataSource database, CancellationToken cancellationToken) =>
        {
            var postgres = await DatabaseAsync(database, cancellationToken).ConfigureAwait(false);
            var hot = HotTier(hotRoot, minFreeHotBytes);
            var ready = postgres.Ok && hot.Ok;
            var body = new
            {
                status = ready ? "ready" : "not ready",
                checks = new { postgres = postgres.Text, hotTier = hot.Text },
            };
            return ready ? Results.Ok(body) : Results.Json(body, statusCode: StatusCodes.Status503ServiceUnavailable);
        });
        return app;
    }

    private static async Task<(bool Ok, string Text)> DatabaseAsync(NpgsqlDataSource database, CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(s_databaseTimeout);
            await using var command = database.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(timeout.Token).ConfigureAwait(false);
            return (true, "ok");
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException or TimeoutException or InvalidOperationException)
        {
            return (false, "unreachable: " + (e is OperationCanceledException ? $"no answer within {s_databaseTimeout.TotalSeconds:0} s" : e.Message));
        }
    }

    private static (bool Ok, string Text) HotTier(string hotRoot, long minFreeHotBytes)
    {
        try
        {
            // The file system that holds the hot tier: the mount point that is the longest prefix of its path.
            var full = Path.GetFullPath(hotRoot);
            var drive = DriveInfo.GetDrives()
                .Where(d => d.RootDirectory.FullName == "/" || full == d.RootDirectory.FullName.TrimEnd('/') || full.StartsWith(d.RootDirectory.FullName.TrimEnd('/') + "/", StringComparison.Ordinal))
                .MaxBy(d => d.RootDirectory.FullName.Length)
                ?? new DriveInfo(Path.GetPathRoot(full)!);
            var free = drive.AvailableFreeSpace;
            return free >= minFreeHotBytes
                ? (true, $"ok ({free} bytes free)")
                : (false, $"{free} bytes free, below Vna:MinFreeHotBytes ({minFreeHotBytes})");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return (false, "unreadable: " + e.Message);
        }
    }
}
