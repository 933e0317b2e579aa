namespace Vna.Policies;

/// <summary>One step a preview foresees for one study: when, what, from which tier, under which rule.</summary>
public sealed record PreviewStudy(string StudyInstanceUid, DateTimeOffset At, string Action, string Tier, string? Target, string? Rule, long Bytes, bool Today);
