namespace Vna.Server.Endpoints;

/// <summary>The JSON answer of POST /api/instances.</summary>
internal sealed record StoreResponse(
    string Status,
    string? Failure,
    string? Reason,
    string? StudyInstanceUid,
    string? SeriesInstanceUid,
    string? SopInstanceUid,
    string? Sha256,
    IReadOnlyList<string> Warnings);
