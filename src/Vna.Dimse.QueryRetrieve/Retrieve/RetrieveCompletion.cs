namespace Vna.Dimse.QueryRetrieve;

/// <summary>How a C-MOVE or C-GET ended: the final status, the counts, and the Failed SOP Instance UID List.</summary>
public sealed record RetrieveCompletion(ushort Status, SubOperationProgress? Progress, IReadOnlyList<string> FailedSopInstanceUids, string? ErrorComment)
{
    /// <summary>A retrieve refused before any sub-operation (bad identifier, unknown destination, not authorized).</summary>
    public static RetrieveCompletion Refused(ushort status, string comment) => new(status, null, [], comment);
}
