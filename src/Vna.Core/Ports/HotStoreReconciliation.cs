namespace Vna.Core;

/// <summary>What start-up reconciliation of the hot tier found.</summary>
public sealed record HotStoreReconciliation(int TemporaryFilesRemoved, long BytesReclaimed);
