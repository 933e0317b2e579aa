namespace Vna.Tiers;

/// <summary>Body of POST /api/tiers/migrations: studies to move to one tier.</summary>
public sealed record MigrationBatch(IReadOnlyList<string> Studies, string Tier, string? TransferSyntax, string? Reason);
