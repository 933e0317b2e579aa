namespace Vna.Policies;

/// <summary>One line of a preview's totals: an action on studies of one tier (to a target tier for moves), how many, how many bytes.</summary>
public sealed record PreviewLine(string Action, string Tier, string? Target, int Studies, long Bytes);
