namespace Vna.Dimse.QueryRetrieve;

/// <summary>
/// The sub-operation counts of a C-MOVE or C-GET (PS3.4 C.4.2.1.4: Remaining, Completed, Failed, Warning) and the failed
/// instances, from which the pending responses and the final status are made.
/// </summary>
public sealed class SubOperationProgress
{
    private readonly List<string> _failed = [];

    public SubOperationProgress(int total)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(total);
        Total = total;
    }

    public int Total { get; }

    public int Completed { get; private set; }

    public int Failed { get; private set; }

    public int Warning { get; private set; }

    public int Remaining => Total - Completed - Failed - Warning;

    /// <summary>The SOP Instance UIDs of the failed sub-operations, for Failed SOP Instance UID List (0008,0058).</summary>
    public IReadOnlyList<string> FailedSopInstanceUids => _failed;

    /// <summary>Counts one sub-operation by its C-STORE response status (success, warning 0x0001/0xBxxx, or failure).</summary>
    public void Record(string sopInstanceUid, ushort storeStatus)
    {
        ArgumentNullException.ThrowIfNull(sopInstanceUid);
        if (Remaining <= 0)
        {
            throw new InvalidOperationException("Every sub-operation is already counted.");
        }

        if (storeStatus == QueryRetrieveStatus.Success)
        {
            Completed++;
        }
        else if (QueryRetrieveStatus.IsWarning(storeStatus))
        {
            Warning++;
        }
        else
        {
            Failed++;
            _failed.Add(sopInstanceUid);
        }
    }

    /// <summary>Counts a sub-operation that failed before any C-STORE (unreadable copy, no acceptable transfer syntax, recall timed out).</summary>
    public void RecordFailure(string sopInstanceUid) => Record(sopInstanceUid, QueryRetrieveStatus.UnableToProcess);

    /// <summary>
    /// The final status when every sub-operation ran: success when all completed, 0xB000 when any failed or warned
    /// (PS3.4 C.4.2.1.5), and 0xA702 when there were sub-operations and none succeeded.
    /// </summary>
    public ushort FinalStatus()
    {
        if (Failed == 0 && Warning == 0)
        {
            return QueryRetrieveStatus.Success;
        }

        return Completed == 0 && Warning == 0 ? QueryRetrieveStatus.OutOfResourcesSubOperations : QueryRetrieveStatus.SubOperationsCompleteWithFailures;
    }

    /// <summary>The SOP Instance UIDs to list as failed in a final or cancel response: the failed ones and, on cancel, those not attempted.</summary>
    public IReadOnlyList<string> FailedList(IEnumerable<string>? notAttempted = null) =>
        notAttempted is null ? _failed : [.. _failed, .. notAttempted];
}
