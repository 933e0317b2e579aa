using Vna.Core;

namespace Vna.Tiers;

/// <summary>One study to move, queued for the migration workers; <paramref name="QueuedId"/> is its queued journal row (0: none).</summary>
public sealed record MigrationRequest(string StudyInstanceUid, StorageTier Target, string? TransferSyntaxUid, string Reason, long QueuedId = 0);
