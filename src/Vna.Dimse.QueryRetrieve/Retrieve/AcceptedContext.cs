namespace Vna.Dimse.QueryRetrieve;

/// <summary>A presentation context the storage peer of a retrieve accepted: its ID, abstract syntax (SOP class) and transfer syntax.</summary>
public sealed record AcceptedContext(byte Id, string SopClassUid, string TransferSyntaxUid);
