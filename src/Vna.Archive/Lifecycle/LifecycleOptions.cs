using System.ComponentModel.DataAnnotations;

namespace Vna.Archive.Lifecycle;

/// <summary>The lifecycle engine's settings (section <c>Lifecycle</c>).</summary>
public sealed class LifecycleOptions
{
    public const string SectionName = "Lifecycle";

    /// <summary>Off: no policy is evaluated, nothing moves or expires (holds and audit listing still work).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Folder of policy files loaded at start when the database holds no active policy (null: none).</summary>
    public string? PolicyDirectory { get; set; }

    /// <summary>How many policy-driven moves and purges may run at once in this silo; the others are deferred briefly.</summary>
    [Range(1, 256)]
    public int MaxConcurrentMigrations { get; set; } = 2;

    /// <summary>Failures in a row after which a study is parked (no more attempts until an operator retries it).</summary>
    [Range(1, 100)]
    public int MaxFailures { get; set; } = 5;

    /// <summary>The first retry after a failure; doubled after each further failure, up to <see cref="RetryMax"/>.</summary>
    public TimeSpan RetryBase { get; set; } = TimeSpan.FromMinutes(5);

    public TimeSpan RetryMax { get; set; } = TimeSpan.FromDays(1);

    /// <summary>When a move is refused because the tiers are not configured: try again this much later (not a failure).</summary>
    public TimeSpan DeferredRetry { get; set; } = TimeSpan.FromHours(6);

    /// <summary>When every migration slot is busy: try again this much later.</summary>
    public TimeSpan BusyRetry { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// The longest a study's reminder waits before its grain looks again (Orleans caps a reminder's due time near 49
    /// days); also its period, so a missed tick is caught.
    /// </summary>
    public TimeSpan MaxReminderDelay { get; set; } = TimeSpan.FromDays(30);

    /// <summary>The shortest delay a reminder is registered with (Orleans' minimum reminder period is one minute by default).</summary>
    public TimeSpan MinReminderDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often the policies in force are re-read from the database (other silos' activations).</summary>
    public TimeSpan PolicyRefreshInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often recorded accesses are written to the database.</summary>
    public TimeSpan AccessFlushInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How many studies the sweep after an activation re-evaluates at once.</summary>
    [Range(1, 256)]
    public int SweepConcurrency { get; set; } = 8;

    /// <summary>The preview window (days) an activation is checked over for a policy that would expire everything.</summary>
    [Range(0, 36500)]
    public int ConfirmWindowDays { get; set; } = 30;
}
