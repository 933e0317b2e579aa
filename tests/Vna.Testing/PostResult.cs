using System.Net;

namespace Vna.Testing;

/// <summary>
/// The answer to one <c>POST /api/instances</c>: the HTTP status and the fields of the JSON body (the store result on 200,
/// problem details otherwise), or the transport error when no answer came (connection refused or reset, timeout).
/// </summary>
public sealed record PostResult
{
    /// <summary>0 when no answer came (<see cref="Error"/> says why).</summary>
    public HttpStatusCode StatusCode { get; init; }

    /// <summary>The media type of the answer (application/json, application/problem+json).</summary>
    public string? MediaType { get; init; }

    /// <summary>Stored, Duplicate, Replaced, KeptFirst on success.</summary>
    public string? Status { get; init; }

    public string? Sha256 { get; init; }

    public string? SopInstanceUid { get; init; }

    /// <summary>Problem details: title, detail, the store failure (CannotUnderstand, InvalidUid, Conflict…), status.</summary>
    public string? Title { get; init; }

    public string? Detail { get; init; }

    public string? Failure { get; init; }

    public int? ProblemStatus { get; init; }

    public string? Body { get; init; }

    public Exception? Error { get; init; }

    public bool Acknowledged => StatusCode == HttpStatusCode.OK;

    /// <summary>Not acknowledged and worth sending again: no answer, or 503 (the archive could not take it now).</summary>
    public bool Retryable => Error is not null || StatusCode == HttpStatusCode.ServiceUnavailable;

    public override string ToString() =>
        Error is not null ? $"no answer ({Error.GetType().Name}: {Error.Message})" : $"{(int)StatusCode} {Status ?? Failure} {Detail}";
}
