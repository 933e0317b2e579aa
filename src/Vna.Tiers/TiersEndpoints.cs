using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vna.Archive.Grains;
using Vna.Core;
using Vna.Web.Access;

namespace Vna.Tiers;

/// <summary>
/// The tiers' admin API under <c>/api/tiers</c>: placement of a study, move (now, or queued in a batch), the move
/// journal, recall (200 once online, else 202 with Retry-After), reading one instance through the content source (the
/// same answers), verification of a study and the rebuild of the index from the buckets. Every call needs the role
/// <c>admin</c> (in the loopback-only development mode, none).
/// </summary>
internal static class TiersEndpoints
{
    public static IEndpointRouteBuilder MapVnaTiersEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/tiers").RequireVnaRole(DicomWebRole.Admin);
        api.MapGet("/studies/{studyInstanceUid}", GetPlacementAsync);
        api.MapPost("/studies/{studyInstanceUid}/move", MoveAsync);
        api.MapPost("/studies/{studyInstanceUid}/recall", RecallAsync);
        api.MapGet("/studies/{studyInstanceUid}/verify", VerifyAsync);
        api.MapPost("/migrations", QueueAsync);
        api.MapGet("/migrations", ListAsync);
        api.MapGet("/instances/{sopInstanceUid}/content", ContentAsync);
        api.MapPost("/rebuild", RebuildAsync);
        return app;
    }

    private static async Task<IResult> GetPlacementAsync(string studyInstanceUid, IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<IStudyTierGrain>(studyInstanceUid).GetPlacementAsync());

    private static async Task<IResult> MoveAsync(string studyInstanceUid, string tier, string? transferSyntax, string? reason, IGrainFactory grains, IIndexStore index, HttpContext context, CancellationToken cancellationToken)
    {
        if (!Enum.TryParse<StorageTier>(tier, ignoreCase: true, out var target) || !Enum.IsDefined(target))
        {
            return TypedResults.Problem(statusCode: 400, title: "Unknown tier", detail: $"'{tier}' is not a tier: hot, warm or cold.");
        }

        if ((await index.GetStudyInstancesAsync(studyInstanceUid, cancellationToken)).Count == 0)
        {
            return TypedResults.Problem(statusCode: 404, title: "No such study", detail: $"The archive holds no instance of study {studyInstanceUid}.");
        }

        try
        {
            var result = await grains.GetGrain<IStudyTierGrain>(studyInstanceUid).MoveToTierAsync(target, transferSyntax, AskedBy(reason ?? "operator request", context));
            return TypedResults.Ok(result);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return Failure("The study was not moved; it stays readable where it was", ex);
        }
    }

    private static async Task<IResult> RecallAsync(string studyInstanceUid, double? wait, RecallCoordinator recalls, TiersOptions options, HttpResponse response, CancellationToken cancellationToken)
    {
        try
        {
            var status = await recalls.RecallAsync(studyInstanceUid, Wait(wait, options), cancellationToken);
            if (status.Online)
            {
                return TypedResults.Ok(status);
            }

            SetRetryAfter(response, status.RetryAfter);
            return TypedResults.Accepted((string?)null, status);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return Failure("The recall failed; the study stays on the cold tier", ex);
        }
    }

    private static async Task<IResult> VerifyAsync(string studyInstanceUid, double? wait, StudyVerifier verifier, TiersOptions options, HttpResponse response, CancellationToken cancellationToken)
    {
        try
        {
            var report = await verifier.VerifyAsync(studyInstanceUid, Wait(wait, options), cancellationToken);
            return report.Instances == 0
                ? TypedResults.Problem(statusCode: 404, title: "No such study", detail: $"The archive holds no instance of study {studyInstanceUid}.")
                : TypedResults.Ok(report);
        }
        catch (StudyRecallPendingException pending)
        {
            SetRetryAfter(response, pending.RetryAfter);
            return TypedResults.Accepted((string?)null, new { studyInstanceUid, recall = "pending" });
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return Failure("The study could not be read back", ex);
        }
    }

    private static async Task<IResult> QueueAsync(MigrationBatch batch, MigrationService service, HttpContext context, CancellationToken cancellationToken)
    {
        if (batch.Studies is null || batch.Studies.Count == 0)
        {
            return TypedResults.Problem(statusCode: 400, title: "No studies", detail: "List the Study Instance UIDs to move in \"studies\".");
        }

        if (!Enum.TryParse<StorageTier>(batch.Tier, ignoreCase: true, out var target) || !Enum.IsDefined(target))
        {
            return TypedResults.Problem(statusCode: 400, title: "Unknown tier", detail: $"'{batch.Tier}' is not a tier: hot, warm or cold.");
        }

        try
        {
            // Journalled before the 202: a crash after it loses none of the batch (the next start queues it again).
            var queued = await service.QueueAsync(batch.Studies, target, batch.TransferSyntax, AskedBy(batch.Reason ?? "operator batch", context), cancellationToken);
            return TypedResults.Accepted("/api/tiers/migrations", new { queued, target = target.ToString() });
        }
        catch (Npgsql.NpgsqlException ex)
        {
            return TypedResults.Problem(statusCode: 503, title: "The batch was not queued", detail: $"The move journal could not be written: {ex.Message}");
        }
    }

    private static async Task<IResult> ListAsync(string? state, string? study, int? limit, PostgresMigrationJournal journal, MigrationService service, MigrationCoordinator coordinator, CancellationToken cancellationToken)
    {
        var rows = await journal.ListAsync(state, study, Math.Clamp(limit ?? 100, 1, 10_000), cancellationToken);
        return TypedResults.Ok(new { queued = service.Queued, running = coordinator.Running, migrations = rows });
    }

    private static async Task<IResult> ContentAsync(string sopInstanceUid, double? wait, IIndexStore index, IInstanceContentSource content, TiersOptions options, HttpContext context, CancellationToken cancellationToken)
    {
        var instance = await index.FindInstanceAsync(sopInstanceUid, cancellationToken);
        if (instance is null)
        {
            return TypedResults.Problem(statusCode: 404, title: "No such instance", detail: $"The archive holds no instance {sopInstanceUid}.");
        }

        try
        {
            var opened = await content.OpenAsync(instance, Wait(wait, options), cancellationToken);
            await using (opened)
            {
                context.Response.ContentType = "application/dicom";
                context.Response.ContentLength = opened.Length;
                context.Response.Headers["X-Vna-Tier"] = (await index.FindInstanceAsync(sopInstanceUid, cancellationToken))?.Tier.ToString() ?? instance.Tier.ToString();
                await opened.Stream.CopyToAsync(context.Response.Body, cancellationToken);
                return TypedResults.Empty;
            }
        }
        catch (StudyRecallPendingException pending)
        {
            SetRetryAfter(context.Response, pending.RetryAfter);
            return TypedResults.Accepted((string?)null, new { studyInstanceUid = pending.StudyInstanceUid, recall = "pending", retryAfterSeconds = (int)Math.Ceiling(pending.RetryAfter.TotalSeconds) });
        }
        catch (Exception ex) when (ex is not OperationCanceledException && !context.Response.HasStarted)
        {
            return Failure("The instance could not be read", ex);
        }
    }

    private static async Task<IResult> RebuildAsync(bool? verify, IndexRebuilder rebuilder, CancellationToken cancellationToken)
    {
        try
        {
            return TypedResults.Ok(await rebuilder.RebuildAsync(verify ?? true, cancellationToken));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return Failure("The rebuild stopped", ex);
        }
    }

    /// <summary>The reason as audited: who asked (the token's subject; in development mode X-Vna-User or the address) appended.</summary>
    private static string AskedBy(string reason, HttpContext context)
    {
        var who = AdminAccess.AuthenticatedName(context) is { Length: > 0 } name
            ? "user:" + name
            : context.Request.Headers["X-Vna-User"].FirstOrDefault() is { Length: > 0 } user
                ? "user:" + user.Trim()
                : "http:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
        return $"{reason} (asked by {who})";
    }

    private static TimeSpan Wait(double? seconds, TiersOptions options) =>
        seconds is { } s && s >= 0 ? TimeSpan.FromSeconds(Math.Min(s, 3600)) : options.RecallWait;

    private static void SetRetryAfter(HttpResponse response, TimeSpan retryAfter) =>
        response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    /// <summary>A failure as problem details: 503 when storage could not be reached, 409 when a copy did not verify, 501 when tiers are off, else 500.</summary>
    private static IResult Failure(string title, Exception ex)
    {
        var name = ex.GetType().Name;
        var status = name switch
        {
            _ when name.Contains("Unavailable", StringComparison.Ordinal) || ex.Message.StartsWith("S3 at ", StringComparison.Ordinal) => 503,
            _ when name.Contains("Verification", StringComparison.Ordinal) || name.Contains("BundleCorrupt", StringComparison.Ordinal) => 409,
            nameof(NotSupportedException) => 501,
            nameof(TimeoutException) => 504,
            nameof(InvalidOperationException) or nameof(ArgumentException) => 400,
            _ => 500,
        };
        return TypedResults.Problem(statusCode: status, title: title, detail: $"{name}: {ex.Message}");
    }
}
