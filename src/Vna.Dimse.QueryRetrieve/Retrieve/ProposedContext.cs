namespace Vna.Dimse.QueryRetrieve;

/// <summary>A presentation context to propose to a move destination: one SOP class with one transfer syntax.</summary>
public sealed record ProposedContext(string SopClassUid, string TransferSyntaxUid);
