namespace Vna.Lifecycle;

/// <summary>A study the engine parked after repeated failures, as reported by <c>GET /api/lifecycle/parked</c>.</summary>
public sealed record ParkedStudy(string StudyInstanceUid, DateTimeOffset ParkedAt, int Failures, string? LastError, string? Rule);
