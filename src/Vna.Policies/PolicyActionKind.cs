namespace Vna.Policies;

/// <summary>What a policy action does.</summary>
public enum PolicyActionKind
{
    MoveToWarm,
    MoveToCold,

    /// <summary>Two-phase expiry: reject (hidden from queries), then purge after the grace period.</summary>
    Expire,
}
