namespace Vna.Policies;

/// <summary>
/// What a set of policies would do to the archive: the steps due today and over the next <see cref="Days"/> days,
/// counted and summed per action and tier, and the steps themselves (the first <see cref="StudyLimit"/>).
/// </summary>
public sealed record PreviewReport
{
    public required string PolicyVersion { get; init; }

    public required DateTimeOffset At { get; init; }

    public required int Days { get; init; }

    /// <summary>Studies in the archive (not purged) and their bytes.</summary>
    public required int ArchiveStudies { get; init; }

    public required long ArchiveBytes { get; init; }

    /// <summary>Steps due now.</summary>
    public required IReadOnlyList<PreviewLine> Today { get; init; }

    /// <summary>Steps due from now to the end of the window (today's included).</summary>
    public required IReadOnlyList<PreviewLine> Window { get; init; }

    /// <summary>Studies that would be rejected or purged within the window.</summary>
    public required int StudiesExpiring { get; init; }

    /// <summary>Studies whose expiry falls in the window but a legal hold stops it.</summary>
    public required int StudiesHeld { get; init; }

    /// <summary>True when every study in the archive that no hold protects would be rejected within the window.</summary>
    public required bool ExpiresEverything { get; init; }

    public required int StudyLimit { get; init; }

    /// <summary>How many steps there are in all (the list holds at most <see cref="StudyLimit"/>).</summary>
    public required int StepCount { get; init; }

    public required IReadOnlyList<PreviewStudy> Steps { get; init; }
}
