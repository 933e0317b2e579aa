namespace Vna.Core;

/// <summary>The archive's own settings (section "Archive" of the server configuration).</summary>
public sealed class ArchiveOptions
{
    public const string SectionName = "Archive";

    /// <summary>What to do with a different object under a SOP Instance UID already archived.</summary>
    public DuplicatePolicy DuplicatePolicy { get; set; } = DuplicatePolicy.Reject;

    /// <summary>Accept SOP classes the dictionary does not know (private SOP classes such as Philips 1.3.46.670589.5.0.1.1).</summary>
    public bool AllowUnknownSopClasses { get; set; } = true;

    /// <summary>SOP class UIDs accepted in addition to the dictionary's storage classes when unknown classes are not allowed.</summary>
    public IList<string> AllowedPrivateSopClasses { get; } = [];

    /// <summary>Largest object accepted, in bytes (0: no limit).</summary>
    public long MaxObjectSize { get; set; }

    /// <summary>The departments that send into the archive.</summary>
    public IList<DepartmentOptions> Departments { get; } = [];

    /// <summary>The department used when a caller matches none (null: unknown callers are refused).</summary>
    public string? DefaultDepartment { get; set; } = "default";
}
