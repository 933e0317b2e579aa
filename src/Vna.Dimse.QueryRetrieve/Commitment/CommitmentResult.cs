namespace Vna.Dimse.QueryRetrieve;

/// <summary>The outcome of a storage commitment request: the committed instances and the failed ones.</summary>
public sealed record CommitmentResult(string TransactionUid, IReadOnlyList<ReferencedSop> Committed, IReadOnlyList<CommitmentFailure> Failed)
{
    /// <summary>Event Type ID of the N-EVENT-REPORT: 1 when every instance is committed, 2 when any failed.</summary>
    public ushort EventTypeId => Failed.Count == 0 ? (ushort)1 : (ushort)2;
}
