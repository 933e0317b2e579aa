using System.ComponentModel.DataAnnotations;

namespace Vna.Dimse.QueryRetrieve;

/// <summary>Settings of the query/retrieve and storage commitment services (section "QueryRetrieve").</summary>
public sealed class QueryRetrieveOptions
{
    public const string SectionName = "QueryRetrieve";

    /// <summary>The AE title returned as Retrieve AE Title (0008,0054) and used as calling AE title towards move destinations (null: the server's).</summary>
    [MaxLength(16)]
    public string? AeTitle { get; set; }

    /// <summary>Matches read from the index per round trip while a C-FIND streams its responses.</summary>
    [Range(1, 10_000)]
    public int FindPageSize { get; set; } = 1000;

    /// <summary>At most this many C-FIND matches per request (0: no limit); beyond it the request ends with 0xA700 (out of resources).</summary>
    [Range(0, int.MaxValue)]
    public int MaxFindMatches { get; set; }

    /// <summary>How long a C-MOVE/C-GET waits, sending pending responses, for a study being recalled from the cold tier before that sub-operation fails.</summary>
    public TimeSpan RecallWaitLimit { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>While waiting for a recall, a pending response is sent at least this often (the requester sees the retrieve is alive).</summary>
    public TimeSpan PendingInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Connect and association timeout towards move destinations and storage commitment requesters.</summary>
    public TimeSpan OutboundTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the commitment SCP waits for the requester's association to stay open before reporting on a new one.</summary>
    public TimeSpan CommitmentSameAssociationWindow { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often the commitment outbox is looked at for reports due (one queued here is sent at once).</summary>
    public TimeSpan CommitmentReportPollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The wait after a report's first failed delivery; doubled after each further failure.</summary>
    public TimeSpan CommitmentReportRetryInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest wait between two deliveries of one report.</summary>
    public TimeSpan CommitmentReportMaxRetryInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long after it was made a report is still retried; then it is abandoned (kept in the outbox, logged).</summary>
    public TimeSpan CommitmentReportRetryFor { get; set; } = TimeSpan.FromDays(3);
}
