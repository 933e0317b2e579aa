namespace Vna.Lifecycle;

/// <summary>One activation of a policy document as stored (policy_document): in force or not, who activated it and when.</summary>
public sealed record PolicyRecord(
    long Id,
    string Name,
    string Version,
    string Sha256,
    bool Active,
    DateTimeOffset ActivatedAt,
    string ActivatedBy,
    DateTimeOffset? DeactivatedAt,
    string? DeactivatedBy);
