namespace Vna.Policies;

/// <summary>One validated policy document (a YAML file): its rules, its default actions if it declares them, and its text.</summary>
public sealed record PolicyDocument
{
    public required string Name { get; init; }

    public required string Version { get; init; }

    public string Description { get; init; } = string.Empty;

    public required IReadOnlyList<PolicyRule> Rules { get; init; }

    /// <summary>The actions for studies no rule selects (null when this document declares none).</summary>
    public PolicyRule? Default { get; init; }

    /// <summary>The document as written, kept with its activation.</summary>
    public required string Text { get; init; }

    /// <summary>SHA-256 of <see cref="Text"/> (lower-case hex).</summary>
    public required string Sha256 { get; init; }
}
