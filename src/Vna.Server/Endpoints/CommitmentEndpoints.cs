using Vna.Core;
using Vna.Web.Access;

namespace Vna.Server.Endpoints;

/// <summary>
/// The storage commitment reports kept for requesters that could not take them yet (<see cref="ICommitmentReportOutbox"/>),
/// for the PACS administrator: <c>GET /api/commitments</c> (<c>?state=pending|abandoned</c>, <c>&amp;limit=</c>) lists them
/// with their attempts and last error; <c>POST /api/commitments/{id}/retry</c> puts one back to be sent at once, with a
/// new retry period (after the requester's address was corrected, say). Role <c>admin</c>.
/// </summary>
internal static class CommitmentEndpoints
{
    private const int DefaultLimit = 100;
    private const int MaxLimit = 10_000;

    public static IEndpointRouteBuilder MapVnaCommitmentEndpoints(this IEndpointRouteBuilder app)
    {
        var commitments = app.MapGroup("/api/commitments").RequireVnaRole(DicomWebRole.Admin);
        commitments.MapGet("", ListAsync);
        commitments.MapPost("/{id:long}/retry", RetryAsync);
        return app;
    }

    private static async Task<IResult> ListAsync(ICommitmentReportOutbox outbox, string? state, int? limit, CancellationToken cancellationToken)
    {
        if (state is not (null or "pending" or "abandoned"))
        {
            return TypedResults.Problem(statusCode: 400, title: "Bad state", detail: "state is pending or abandoned (or absent: both).");
        }

        if (limit is < 1 or > MaxLimit)
        {
            return TypedResults.Problem(statusCode: 400, title: "Bad limit", detail: $"limit is 1 to {MaxLimit}.");
        }

        var reports = await outbox.ListAsync(state, limit ?? DefaultLimit, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(reports.Select(r => new
        {
            r.Id,
            r.TransactionUid,
            r.Department,
            r.RequesterAeTitle,
            r.EventTypeId,
            r.CommittedCount,
            r.FailedCount,
            r.State,
            r.Attempts,
            r.LastError,
            r.CreatedAt,
            r.NextAttemptAt,
        }));
    }

    private static async Task<IResult> RetryAsync(long id, ICommitmentReportOutbox outbox, TimeProvider time, CancellationToken cancellationToken) =>
        await outbox.RetryNowAsync(id, time.GetUtcNow(), cancellationToken).ConfigureAwait(false)
            ? TypedResults.Accepted((string?)null, new { id, state = "pending" })
            : TypedResults.Problem(statusCode: 404, title: "No such report", detail: $"No storage commitment report {id} is kept.");
}
