using Vna.Core;

namespace Vna.Tiers;

/// <summary>One study to move, queued for the migration workers.</summary>
public sealed record MigrationRequest(string StudyInstanceUid, StorageTier Target, string? TransferSyntaxUid, string Reason);
