using Vna.Core;

namespace Vna.Archive.Lifecycle;

/// <summary>Where a study stands in its life as its grain sees it: the rule in force, the next step, failures, parking.</summary>
[GenerateSerializer]
[Alias("vna.LifecycleStatus")]
public sealed record LifecycleStatus
{
    [Id(0)] public required string StudyInstanceUid { get; init; }

    [Id(1)] public StudyLifecycleState State { get; init; }

    /// <summary>"rule (document@version)", or null when no policy applies.</summary>
    [Id(2)] public string? Rule { get; init; }

    [Id(3)] public string? PolicyVersion { get; init; }

    [Id(4)] public DateTimeOffset? NextDueAt { get; init; }

    /// <summary>What was done by the evaluation that returned this (e.g. "move:warm", "reject", "purge", "deferred"), or null.</summary>
    [Id(5)] public string? LastStep { get; init; }

    [Id(6)] public bool OnLegalHold { get; init; }

    /// <summary>Expiry is due but a legal hold stands.</summary>
    [Id(7)] public bool BlockedByHold { get; init; }

    [Id(8)] public int Failures { get; init; }

    [Id(9)] public DateTimeOffset? ParkedAt { get; init; }

    [Id(10)] public string? LastError { get; init; }

    [Id(11)] public DateTimeOffset? RejectedAt { get; init; }

    [Id(12)] public DateTimeOffset? PurgedAt { get; init; }

    [Id(13)] public int Instances { get; init; }

    /// <summary>The hottest tier holding an instance (null when none).</summary>
    [Id(14)] public StorageTier? Tier { get; init; }

    /// <summary>What the next step will be ("move:cold", "reject", "purge", "retry"…), or null.</summary>
    [Id(15)] public string? NextStep { get; init; }
}
