namespace Vna.Server.Endpoints;

/// <summary>Where an instance is and what it is: the JSON answer of GET /api/instances/{uid}.</summary>
internal sealed record InstanceResponse(
    string StudyInstanceUid,
    string SeriesInstanceUid,
    string SopInstanceUid,
    string TransferSyntaxUid,
    long Size,
    string Sha256,
    string Tier,
    string Location,
    DateTimeOffset ReceivedAt);
