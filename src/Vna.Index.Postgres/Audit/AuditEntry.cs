using Vna.Core;

namespace Vna.Index.Postgres;

/// <summary>One row of the audit trail as read back: its record, its place in the chain and its hashes.</summary>
public sealed record AuditEntry
{
    public required long Id { get; init; }

    public required AuditRecord Record { get; init; }

    public required string PreviousHash { get; init; }

    public required string Hash { get; init; }
}
