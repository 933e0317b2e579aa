namespace Vna.Policies;

/// <summary>What the lifecycle engine does to a study when a step falls due.</summary>
public enum LifecycleStepKind
{
    /// <summary>Nothing is due.</summary>
    None,

    /// <summary>Move the study to a colder tier (optionally re-encoding it).</summary>
    Move,

    /// <summary>Expiry, first phase: the study is hidden from queries.</summary>
    Reject,

    /// <summary>Expiry, second phase (after the grace period): every copy and the index rows are deleted.</summary>
    Purge,

    /// <summary>A rejected study the policies no longer expire (changed policy) is shown again.</summary>
    Restore,
}
