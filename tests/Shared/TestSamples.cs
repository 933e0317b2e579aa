namespace Vna.Tests.Shared;

/// <summary>Locates the shared sample corpus (../shared/dicom-samples beside the repository, or $VNA_SHARED_DIR/dicom-samples).</summary>
internal static class TestSamples
{
    private static readonly Lazy<string?> s_root = new(Find);

    public static string? Root => s_root.Value;

    /// <summary>The absolute path of a sample, or skips the test with a clear message when the corpus is absent.</summary>
    public static string PathOf(string relative)
    {
        var root = Root;
        if (root is null)
        {
            Assert.Skip("../shared/dicom-samples is not beside the repository (nor $VNA_SHARED_DIR/dicom-samples): sample test skipped.");
        }

        var path = Path.Combine(root, relative);
        if (!File.Exists(path))
        {
            Assert.Skip($"Sample {relative} is not in {root}.");
        }

        return path;
    }

    private static string? Find()
    {
        var env = Environment.GetEnvironmentVariable("VNA_SHARED_DIR");
        if (!string.IsNullOrEmpty(env) && Directory.Exists(Path.Combine(env, "dicom-samples")))
        {
            return Path.Combine(env, "dicom-samples");
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Vna.sln")))
            {
                var candidate = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "dicom-samples"));
                return Directory.Exists(candidate) ? candidate : null;
            }
        }

        return null;
    }
}
