namespace Vna.Dimse.QueryRetrieve;

/// <summary>One item of a Referenced SOP Sequence: a SOP class and instance.</summary>
public sealed record ReferencedSop(string SopClassUid, string SopInstanceUid);
