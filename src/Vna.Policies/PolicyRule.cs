namespace Vna.Policies;

/// <summary>A rule of a policy document: which studies, what happens to them, and its precedence over other rules.</summary>
public sealed record PolicyRule
{
    public required string Name { get; init; }

    /// <summary>Higher wins.</summary>
    public int Precedence { get; init; }

    /// <summary>The age (years) the anchor <see cref="PolicyAnchor.Adulthood"/> stands for.</summary>
    public int AdulthoodAge { get; init; } = 18;

    public required StudySelector Match { get; init; }

    public required IReadOnlyList<PolicyAction> Actions { get; init; }

    /// <summary>The document the rule comes from (set by the loader).</summary>
    public string DocumentName { get; init; } = string.Empty;

    /// <summary>The document's version (recorded with every action taken under the rule).</summary>
    public string DocumentVersion { get; init; } = string.Empty;
}
