namespace Vna.Lifecycle;

/// <summary>A legal hold as listed: on a study or on a patient (all of the patient's studies), placed, perhaps released.</summary>
public sealed record LegalHoldRecord
{
    public required string HoldId { get; init; }

    /// <summary>"study" or "patient".</summary>
    public required string Scope { get; init; }

    public string? StudyInstanceUid { get; init; }

    public string? PatientId { get; init; }

    public string IssuerOfPatientId { get; init; } = string.Empty;

    public required string Reason { get; init; }

    public required string PlacedBy { get; init; }

    public required DateTimeOffset PlacedAt { get; init; }

    public DateTimeOffset? ReleasedAt { get; init; }

    public string? ReleasedBy { get; init; }

    public string? ReleaseReason { get; init; }
}
