using System.Text.Json;

namespace Vna.Cli.Tests;

/// <summary>
/// What pydicom (Debian python3-pydicom 2.3.1, through /usr/bin/python3) reads from every manifest file, in the canonical
/// form of tests/tools/pydicom_dump.py. The script runs once for all files (Python starts slowly) and the lines are kept.
/// </summary>
internal static class PydicomReference
{
    public const string Python = "/usr/bin/python3";

    private static readonly Lazy<Task<Result>> s_result = new(LoadAsync);

    /// <summary>The canonical line of each manifest file (by manifest path), or why pydicom could not be run.</summary>
    public static Task<Result> GetAsync() => s_result.Value;

    private static async Task<Result> LoadAsync()
    {
        var root = Samples.RepositoryRoot;
        var directory = Samples.Directory;
        if (root is null || directory is null)
        {
            return new Result(null, Samples.MissingMessage);
        }

        if (!File.Exists(Python))
        {
            return new Result(null, $"{Python} is not installed: the pydicom comparison is skipped.");
        }

        var script = Path.Combine(root, "tests", "tools", "pydicom_dump.py");
        var byPath = Samples.Manifest.ToDictionary(r => Path.Combine(directory, r.File), r => r.File, StringComparer.Ordinal);
        var (exitCode, output, error) = await ProcessRunner.RunAsync(Python, [script, .. byPath.Keys], TimeSpan.FromMinutes(10));
        if (exitCode != 0)
        {
            return new Result(null, $"{Python} {script} failed (exit code {exitCode}); is python3-pydicom installed? {error}");
        }

        var lines = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var element = JsonDocument.Parse(line).RootElement;
            var path = element.GetProperty("path").GetString()!;
            lines[byPath.TryGetValue(path, out var file) ? file : path] = element;
        }

        return new Result(lines, null);
    }

    /// <summary>The lines by manifest path, or the reason they are missing.</summary>
    internal sealed record Result(IReadOnlyDictionary<string, JsonElement>? Lines, string? Unavailable);
}
