using Vna.Policies;

namespace Vna.Lifecycle;

/// <summary>
/// The outcome of an activation: done (the set's new version), or refused for want of confirmation because the preview
/// shows the new set would expire every study no hold protects.
/// </summary>
public sealed record ActivationResult(bool Activated, bool NeedsConfirmation, string PolicyVersion, PreviewReport Preview);
