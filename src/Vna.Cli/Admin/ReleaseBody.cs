namespace Vna.Cli.Admin;

/// <summary>The body of POST /api/holds/{id}/release.</summary>
internal sealed record ReleaseBody(string Reason);
