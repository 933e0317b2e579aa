namespace Vna.Cli.Import;

/// <summary>What <c>vna import</c> was asked to do.</summary>
internal sealed record ImportSettings
{
    public required IReadOnlyList<string> Paths { get; init; }

    /// <summary>The department the files come from; null: the configuration's default department.</summary>
    public string? Department { get; init; }

    /// <summary>A JSON file with the archive options (the server's appsettings.json, whose "Archive" section is read, or the section alone).</summary>
    public string? ConfigPath { get; init; }

    /// <summary>The hot tier's root folder.</summary>
    public required string DataPath { get; init; }

    /// <summary>Which study coordinator registers the instances (<see cref="ImportHost.Coordinators"/>).</summary>
    public string Coordinator { get; init; } = ImportHost.LocalCoordinator;

    /// <summary>Plain lines instead of a progress bar even on a terminal.</summary>
    public bool Plain { get; init; }
}
