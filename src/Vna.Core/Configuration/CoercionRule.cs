namespace Vna.Core;

/// <summary>
/// One attribute coercion at ingest: set a tag to a value (always, or only when missing or empty) or remove it.
/// The tag is a keyword ("InstitutionName") or "(gggg,eeee)".
/// </summary>
public sealed class CoercionRule
{
    public CoercionAction Action { get; set; }

    public string Tag { get; set; } = string.Empty;

    public string? Value { get; set; }
}
