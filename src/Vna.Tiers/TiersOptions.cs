using System.ComponentModel.DataAnnotations;
using Vna.Storage.Warm;

namespace Vna.Tiers;

/// <summary>Settings of the tiers (section <c>Tiers</c>).</summary>
public sealed class TiersOptions
{
    public const string SectionName = "Tiers";

    /// <summary>Off: studies stay on the hot tier and moves are refused.</summary>
    public bool Enabled { get; set; }

    /// <summary>The S3-compatible server of the warm and cold tiers.</summary>
    public S3StorageOptions S3 { get; set; } = new();

    /// <summary>Study moves running at once in one server process (the rest wait their turn).</summary>
    [Range(1, 64)]
    public int MaxConcurrentMigrations { get; set; } = 2;

    /// <summary>Instances of one study copied at once during a move (S3 requests in flight are bounded by <c>S3:MaxConcurrentRequests</c> across all moves).</summary>
    [Range(1, 64)]
    public int CopyConcurrency { get; set; } = 8;

    /// <summary>How long an HTTP recall or retrieval waits for a cold study before answering 202 with Retry-After.</summary>
    public TimeSpan RecallWait { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How often pending recalls (a backend restoring an archived bundle) are checked.</summary>
    public TimeSpan RecallPollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Retry-After suggested while a restore is under way.</summary>
    public TimeSpan RestoreRetryAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Moves a crash left running are retried at start, up to this many attempts; beyond it the study is parked (journal state failed).</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 5;

    /// <summary>Scratch folder for bundles being built or unpacked (default: tiers-tmp under the data folder); each process works in its own &lt;pid&gt; subfolder.</summary>
    public string? ScratchDirectory { get; set; }
}
