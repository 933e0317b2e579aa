namespace Vna.Tiers;

/// <summary>One row of the move journal, as the admin API lists it (state queued, running, done or failed).</summary>
public sealed record MigrationRecord(
    long Id,
    string StudyInstanceUid,
    string? FromTier,
    string ToTier,
    string Reason,
    string State,
    int Attempts,
    int Instances,
    long Bytes,
    string? Error,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt,
    string? TransferSyntaxUid = null);
