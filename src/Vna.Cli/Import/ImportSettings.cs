namespace Vna.Cli.Import;

/// <summary>What <c>vna import</c> was asked to do.</summary>
internal sealed record ImportSettings
{
    /// <summary>Used when neither --server nor <see cref="ServerEnvironmentVariable"/> is given.</summary>
    public const string DefaultServer = "http://127.0.0.1:8080";

    public const string ServerEnvironmentVariable = "VNA_URL";

    public const int DefaultParallel = 4;

    public const int MaxParallel = 64;

    public required IReadOnlyList<string> Paths { get; init; }

    /// <summary>The archive's base URL (its HTTP API is below it: /api/instances, /health).</summary>
    public required Uri Server { get; init; }

    /// <summary>The department the files come from (sent as X-Vna-Department); null: the archive's default department.</summary>
    public string? Department { get; init; }

    /// <summary>How many files are in flight at once.</summary>
    public int Parallel { get; init; } = DefaultParallel;

    /// <summary>Plain lines instead of a progress bar even on a terminal.</summary>
    public bool Plain { get; init; }

    /// <summary>How long one file may take, upload to answer, before it counts as not acknowledged.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromMinutes(5);
}
