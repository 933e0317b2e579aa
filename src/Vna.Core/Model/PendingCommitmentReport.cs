namespace Vna.Core;

/// <summary>
/// A storage commitment report (N-EVENT-REPORT) that must reach its requester on a new association, kept until it has:
/// the requester's department and AE title (its address is looked up in the configuration at each attempt), the event
/// type (1: all committed, 2: some failed) and the report data set, encoded Explicit VR Little Endian.
/// </summary>
public sealed record PendingCommitmentReport
{
    /// <summary>The outbox's key (0 before it is added).</summary>
    public long Id { get; init; }

    public required string TransactionUid { get; init; }

    /// <summary>The department the requester acted for (configuration name).</summary>
    public required string Department { get; init; }

    /// <summary>The requester's AE title: the report is sent to the address its department configures for it.</summary>
    public required string RequesterAeTitle { get; init; }

    /// <summary>The AE title the archive calls from.</summary>
    public required string CallingAeTitle { get; init; }

    public required ushort EventTypeId { get; init; }

    public required int CommittedCount { get; init; }

    public required int FailedCount { get; init; }

    /// <summary>The N-EVENT-REPORT data set (Explicit VR Little Endian, no meta information).</summary>
    public required byte[] Report { get; init; }

    /// <summary>When the report was made, or last put back by an administrator's retry: the retry period counts from it.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Attempts made so far (0 when added).</summary>
    public int Attempts { get; init; }

    /// <summary>Why the last attempt failed; null before the first failure.</summary>
    public string? LastError { get; init; }

    /// <summary>"pending" (being delivered) or "abandoned" (retrying ended; kept for the administrator).</summary>
    public string State { get; init; } = "pending";

    /// <summary>When a pending report is tried next (as read from the outbox; null before it is added).</summary>
    public DateTimeOffset? NextAttemptAt { get; init; }
}
