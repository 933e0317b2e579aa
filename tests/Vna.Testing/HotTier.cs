using System.Security.Cryptography;

namespace Vna.Testing;

/// <summary>What the tests check on a server's hot tier (<c>&lt;data&gt;/hot</c>): committed objects, leftover temporary files.</summary>
public static class HotTier
{
    /// <summary>The absolute path of a location the server reported (<c>studies/…</c>, '/' separators).</summary>
    public static string PathOf(string dataDirectory, string location)
    {
        ArgumentException.ThrowIfNullOrEmpty(location);
        return Path.Combine(dataDirectory, "hot", location.Replace('/', Path.DirectorySeparatorChar));
    }

    /// <summary>Files under <c>hot/tmp</c> (objects received but never committed).</summary>
    public static IReadOnlyList<string> TemporaryFiles(string dataDirectory)
    {
        var tmp = Path.Combine(dataDirectory, "hot", "tmp");
        return Directory.Exists(tmp)
            ? [.. Directory.GetFiles(tmp, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
                .Where(f => Path.GetFileName(f) != ".owner")] // the owner lock of a live process, not an object
            : [];
    }

    /// <summary>Committed object files under <c>hot/studies</c>.</summary>
    public static IReadOnlyList<string> CommittedFiles(string dataDirectory)
    {
        var studies = Path.Combine(dataDirectory, "hot", "studies");
        return Directory.Exists(studies)
            ? Directory.GetFiles(studies, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            : [];
    }

    /// <summary>Lower-case hex SHA-256 of a file, or null when it does not exist.</summary>
    public static async Task<string?> Sha256OfFileAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
        await using (stream.ConfigureAwait(false))
        {
            return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
        }
    }
}
