namespace Vna.Lifecycle;

/// <summary>The body of <c>POST /api/holds/{id}/release</c>.</summary>
public sealed record ReleaseRequest(string? Reason);
