namespace Vna.Testing;

/// <summary>The answer to <c>GET /api/instances/{uid}</c>: where the instance is and its checksum.</summary>
public sealed record InstancePlacement(
    string StudyInstanceUid,
    string SeriesInstanceUid,
    string SopInstanceUid,
    string TransferSyntaxUid,
    long Size,
    string Sha256,
    string Tier,
    string Location);
