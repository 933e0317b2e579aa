namespace Vna.Storage.Warm;

/// <summary>The study's lifecycle when its manifest was written.</summary>
/// <param name="LifecycleState">StudyLifecycleState name (Active, Rejected, ...).</param>
/// <param name="LegalHolds">Number of legal holds standing.</param>
/// <param name="NextDueAt">When the lifecycle engine next has something to do, if known.</param>
/// <param name="Reason">Why the study was moved to this tier (the policy rule or the operator's request).</param>
public sealed record ManifestPolicyState(string LifecycleState, int LegalHolds, DateTimeOffset? NextDueAt, string Reason);
