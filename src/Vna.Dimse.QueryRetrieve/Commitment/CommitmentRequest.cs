namespace Vna.Dimse.QueryRetrieve;

/// <summary>A storage commitment request (N-ACTION Action Type 1, PS3.4 J.3.2): the transaction and the instances to commit.</summary>
public sealed record CommitmentRequest(string TransactionUid, IReadOnlyList<ReferencedSop> Instances);
