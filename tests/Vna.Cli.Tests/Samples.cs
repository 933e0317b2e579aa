namespace Vna.Cli.Tests;

/// <summary>
/// The shared sample corpus: <c>$VNA_SHARED_DIR/dicom-samples</c>, else <c>../shared/dicom-samples</c> beside the repository
/// (the folder that holds Vna.sln). Tests that need it skip when it is absent.
/// </summary>
internal static class Samples
{
    public const string MissingMessage = "../shared/dicom-samples is not beside the repository: sample tests skipped";

    private static readonly Lazy<string?> s_repositoryRoot = new(FindRepositoryRoot);
    private static readonly Lazy<string?> s_directory = new(FindDirectory);
    private static readonly Lazy<IReadOnlyList<ManifestRow>> s_manifest = new(LoadManifest);

    /// <summary>The folder that holds Vna.sln, or null when the tests run outside the repository.</summary>
    public static string? RepositoryRoot => s_repositoryRoot.Value;

    /// <summary>The sample folder, or null when it is absent.</summary>
    public static string? Directory => s_directory.Value;

    /// <summary>The manifest rows (empty when the folder is absent).</summary>
    public static IReadOnlyList<ManifestRow> Manifest => s_manifest.Value;

    /// <summary>The sample folder; skips the calling test when it is absent.</summary>
    public static string Require()
    {
        var directory = Directory;
        if (directory is null)
        {
            Assert.Skip(MissingMessage);
        }

        return directory;
    }

    public static ManifestRow Row(string file) =>
        Manifest.FirstOrDefault(r => string.Equals(r.File, file, StringComparison.Ordinal))
        ?? throw new InvalidOperationException($"{file} is not in MANIFEST.tsv.");

    public static string PathOf(string file) => Path.Combine(Require(), file.Replace('/', Path.DirectorySeparatorChar));

    /// <summary>Theory data: every manifest file, one test case each; a single placeholder (which skips) when the folder is absent.</summary>
    public static IEnumerable<TheoryDataRow<string>> ManifestFiles()
    {
        if (Manifest.Count == 0)
        {
            yield return new TheoryDataRow<string>("(no samples)");
            yield break;
        }

        foreach (var row in Manifest)
        {
            yield return new TheoryDataRow<string>(row.File);
        }
    }

    private static string? FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Vna.sln")))
            {
                return dir.FullName;
            }
        }

        return null;
    }

    private static string? FindDirectory()
    {
        var shared = Environment.GetEnvironmentVariable("VNA_SHARED_DIR");
        if (!string.IsNullOrEmpty(shared))
        {
            var fromEnvironment = Path.Combine(shared, "dicom-samples");
            if (File.Exists(Path.Combine(fromEnvironment, "MANIFEST.tsv")))
            {
                return Path.GetFullPath(fromEnvironment);
            }
        }

        if (RepositoryRoot is { } root)
        {
            var beside = Path.GetFullPath(Path.Combine(root, "..", "shared", "dicom-samples"));
            if (File.Exists(Path.Combine(beside, "MANIFEST.tsv")))
            {
                return beside;
            }
        }

        return null;
    }

    private static List<ManifestRow> LoadManifest()
    {
        var rows = new List<ManifestRow>();
        if (Directory is not { } directory)
        {
            return rows;
        }

        var lines = File.ReadAllLines(Path.Combine(directory, "MANIFEST.tsv"));
        var header = lines[0].Split('\t');
        if (header.Length < 6 || header[0] != "file")
        {
            throw new InvalidDataException("MANIFEST.tsv does not start with the header file, source, licence, sop_class_uid, transfer_syntax_uid, notes.");
        }

        foreach (var line in lines.Skip(1))
        {
            if (line.Length == 0)
            {
                continue;
            }

            var f = line.Split('\t');
            if (f.Length < 6)
            {
                throw new InvalidDataException($"MANIFEST.tsv row has {f.Length} columns: {line}");
            }

            rows.Add(new ManifestRow(f[0], f[1], f[2], f[3], f[4], f[5]));
        }

        return rows;
    }
}
