namespace Vna.Core;

/// <summary>Where a study is in its life (the lifecycle engine moves it on; see the retention policies).</summary>
public enum StudyLifecycleState
{
    Active = 0,
    Migrating = 1,
    Rejected = 2,
    Purged = 3,
}
