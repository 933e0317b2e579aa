namespace Vna.Archive.Grains;

/// <summary>
/// The study's persisted grain state: its summary and lifecycle. The per-instance placement map lives in the index's
/// instance table, which only this grain writes, so a registration costs one small state write and one batched index
/// write whatever the size of the study (a state blob holding every instance would be rewritten whole on each batch).
/// </summary>
[GenerateSerializer]
[Alias("vna.StudyState")]
public sealed class StudyState
{
    [Id(0)] public int InstanceCount { get; set; }

    [Id(1)] public long TotalBytes { get; set; }

    /// <summary>Number of series (the set itself is rebuilt in memory from the placement map: writing it whole on every batch would grow with the study).</summary>
    [Id(2)] public int SeriesCount { get; set; }

    [Id(3)] public HashSet<string> SourceDepartments { get; set; } = [];

    [Id(4)] public int LifecycleState { get; set; }

    [Id(5)] public List<LegalHold> LegalHolds { get; set; } = [];

    [Id(6)] public DateTimeOffset? FirstReceivedAt { get; set; }

    [Id(7)] public DateTimeOffset? LastReceivedAt { get; set; }

    [Id(8)] public DateTimeOffset? NextDueAt { get; set; }

    /// <summary>Incremented on every change; lets tests and recovery see progress.</summary>
    [Id(9)] public long Revision { get; set; }

    // Tiers (issue 7): [Id(10..19)].

    /// <summary>A move under way (null when none): what to clean up if the process dies half-way.</summary>
    [Id(10)] public Tiers.TierMove? TierMove { get; set; }

    /// <summary>When the study last changed tier.</summary>
    [Id(11)] public DateTimeOffset? TierChangedAt { get; set; }

    /// <summary>When a recall was asked for and is waiting on the backend's restore (null when none).</summary>
    [Id(12)] public DateTimeOffset? RecallRequestedAt { get; set; }

    // Lifecycle and policy (issue 7, StudyGrain.Lifecycle.cs): [Id(20..29)].

    /// <summary>When the study was rejected (expiry's first phase); its grace period counts from then.</summary>
    [Id(20)] public DateTimeOffset? RejectedAt { get; set; }

    /// <summary>When the study was purged (its objects and index rows deleted).</summary>
    [Id(21)] public DateTimeOffset? PurgedAt { get; set; }

    /// <summary>Failed lifecycle steps in a row (reset by a step that succeeds).</summary>
    [Id(22)] public int LifecycleFailures { get; set; }

    /// <summary>When the study was parked after too many failures (null: not parked).</summary>
    [Id(23)] public DateTimeOffset? ParkedAt { get; set; }

    /// <summary>The last failure of a lifecycle step (type and message, no PHI).</summary>
    [Id(24)] public string? LifecycleError { get; set; }

    /// <summary>Not before this instant is a failed or deferred step tried again.</summary>
    [Id(25)] public DateTimeOffset? RetryAt { get; set; }

    /// <summary>The instant the study's reminder was last registered for (skip registering the same again).</summary>
    [Id(26)] public DateTimeOffset? ReminderFor { get; set; }

    /// <summary>The rule in force at the last evaluation ("rule (document@version)").</summary>
    [Id(27)] public string? PolicyRule { get; set; }

    /// <summary>The kind of step <see cref="RetryAt"/> holds back (a deferred move does not hold back an expiry).</summary>
    [Id(28)] public string? RetryStep { get; set; }
}
