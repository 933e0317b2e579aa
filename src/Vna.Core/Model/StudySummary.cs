namespace Vna.Core;

/// <summary>A study as its coordinator sees it.</summary>
public sealed record StudySummary
{
    public required string StudyInstanceUid { get; init; }

    public required int InstanceCount { get; init; }

    public required int SeriesCount { get; init; }

    public required long TotalBytes { get; init; }

    /// <summary>Departments that sent instances of this study.</summary>
    public required IReadOnlyList<string> SourceDepartments { get; init; }

    public required StudyLifecycleState LifecycleState { get; init; }

    public required bool OnLegalHold { get; init; }

    public DateTimeOffset? FirstReceivedAt { get; init; }

    public DateTimeOffset? LastReceivedAt { get; init; }

    /// <summary>When the lifecycle engine next has something to do for this study.</summary>
    public DateTimeOffset? NextDueAt { get; init; }
}
