using System.Security.Cryptography;

namespace Vna.Testing;

/// <summary>
/// A temporary folder for one fixture (servers' working and data folders), deleted on dispose. The servers' logs
/// (<c>logs/</c>) are first copied to <c>var/test-results/server-logs/&lt;folder&gt;/</c> when that folder exists (as under
/// <c>deploy/local/test</c>), so a failure can be read afterwards. <c>VNA_KEEP_TEST_DATA=1</c> keeps the folder.
/// </summary>
public sealed class ScratchFolder : IDisposable
{
    public ScratchFolder(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"vna-{name}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}");
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>A folder below this one (created).</summary>
    public string Sub(string name)
    {
        var path = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(path);
        return path;
    }

    public void Dispose()
    {
        try
        {
            var logs = System.IO.Path.Combine(Path, "logs");
            var results = System.IO.Path.Combine(RepositoryPaths.Root, "var", "test-results");
            if (Directory.Exists(logs) && Directory.Exists(results))
            {
                var target = System.IO.Path.Combine(results, "server-logs", System.IO.Path.GetFileName(Path));
                Directory.CreateDirectory(target);
                foreach (var file in Directory.GetFiles(logs))
                {
                    File.Copy(file, System.IO.Path.Combine(target, System.IO.Path.GetFileName(file)), overwrite: true);
                }
            }

            if (Environment.GetEnvironmentVariable("VNA_KEEP_TEST_DATA") != "1")
            {
                Directory.Delete(Path, recursive: true);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A leftover temporary folder is not worth failing a test for.
        }
    }
}
