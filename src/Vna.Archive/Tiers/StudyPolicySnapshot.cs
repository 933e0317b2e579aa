namespace Vna.Archive.Tiers;

/// <summary>The study's lifecycle as its grain knows it, for the manifest written beside a moved study.</summary>
public sealed record StudyPolicySnapshot(string LifecycleState, int LegalHolds, DateTimeOffset? NextDueAt, string Reason);
