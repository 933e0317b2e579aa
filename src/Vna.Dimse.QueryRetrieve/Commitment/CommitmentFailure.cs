namespace Vna.Dimse.QueryRetrieve;

/// <summary>An instance the archive does not commit, with its Failure Reason (0008,1197) (PS3.4 J.3.3.1.1).</summary>
public sealed record CommitmentFailure(ReferencedSop Instance, ushort FailureReason);
