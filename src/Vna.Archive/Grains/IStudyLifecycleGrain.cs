using Vna.Archive.Lifecycle;

namespace Vna.Archive.Grains;

/// <summary>
/// The lifecycle engine's calls on a study grain (keyed by the Study Instance UID): evaluate the policies and act on what
/// is due, report, react to a changed hold, retry a parked study.
/// </summary>
[Alias("vna.IStudyLifecycleGrain")]
public interface IStudyLifecycleGrain : IGrainWithStringKey
{
    /// <summary>
    /// Evaluates the policies in force now and takes the step that is due (move, reject, purge, restore), then schedules
    /// the study's reminder for the next. What its reminder calls; idempotent.
    /// </summary>
    [Alias("EvaluateAsync")]
    Task<LifecycleStatus> EvaluateAsync();

    [Alias("GetLifecycleAsync")]
    Task<LifecycleStatus> GetLifecycleAsync();

    /// <summary>A hold on the study or its patient was placed or released: re-read the holds, then evaluate.</summary>
    [Alias("HoldsChangedAsync")]
    Task<LifecycleStatus> HoldsChangedAsync();

    /// <summary>Clears the failures of a parked study and evaluates it again.</summary>
    [Alias("RetryAsync")]
    Task<LifecycleStatus> RetryAsync();
}
