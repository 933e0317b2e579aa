using Vna.Core;

namespace Vna.Policies;

/// <summary>
/// What the policies say of a study at an instant: the step due now (if any), when the next one falls due, and under
/// which rule and version.
/// </summary>
public sealed record LifecycleDecision
{
    public required LifecycleStepKind Due { get; init; }

    /// <summary>For a move: the tier to move to.</summary>
    public StorageTier Target { get; init; }

    /// <summary>For a move: the transfer syntax to re-encode to (null: as stored).</summary>
    public string? TransferSyntaxUid { get; init; }

    /// <summary>When the next step falls due after the one due now (null: nothing more is planned).</summary>
    public DateTimeOffset? NextAt { get; init; }

    /// <summary>The rule that decided (null when no policy is active).</summary>
    public PolicyRule? Rule { get; init; }

    /// <summary>Why, in words, for the audit trail: the rule, the action and its anchor.</summary>
    public string Reason { get; init; } = string.Empty;

    /// <summary>Expiry was due but a legal hold stands.</summary>
    public bool BlockedByHold { get; init; }
}
