using System.Collections.Concurrent;
using Vna.Testing;

namespace Vna.Integration.Tests;

/// <summary>Checks shared by the scenarios: acknowledged instances indexed and intact, every index row backed by its file.</summary>
internal static class Verification
{
    public static Task<List<IndexRow>> ReadIndexAsync(TestDatabase database, CancellationToken cancellationToken) =>
        database.QueryAsync(
            "SELECT i.sop_instance_uid, s.study_instance_uid, i.sha256, i.location, i.size FROM instance i JOIN study s USING (study_pk)",
            r => new IndexRow(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetInt64(4)),
            cancellationToken);

    /// <summary>
    /// Every acknowledged instance answers GET /api/instances/{uid} (from <paramref name="servers"/>, in turn) with the
    /// acknowledged checksum, which is the checksum of what was sent, and the file at its location has that checksum and size.
    /// Returns the problems found (empty when all is well).
    /// </summary>
    public static async Task<List<string>> CheckAcknowledgedAsync(
        HttpClient http,
        IReadOnlyList<Uri> servers,
        string dataDirectory,
        IReadOnlyDictionary<string, string> acknowledged,
        IReadOnlyDictionary<string, string> sent,
        CancellationToken cancellationToken)
    {
        var problems = new ConcurrentBag<string>();
        var index = 0;
        await Parallel.ForEachAsync(acknowledged, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (pair, token) =>
        {
            var (uid, sha) = pair;
            if (!sent.TryGetValue(uid, out var sentSha) || sentSha != sha)
            {
                problems.Add($"{uid}: acknowledged sha256 {sha} is not the sha256 of the bytes sent ({sentSha})");
            }

            var server = servers[Interlocked.Increment(ref index) % servers.Count];
            var placement = await ArchiveHttp.GetInstanceAsync(http, server, uid, token);
            if (placement is null)
            {
                problems.Add($"{uid}: acknowledged but GET {server}api/instances answers 404");
                return;
            }

            if (placement.Sha256 != sha)
            {
                problems.Add($"{uid}: indexed with sha256 {placement.Sha256}, acknowledged {sha}");
            }

            var path = HotTier.PathOf(dataDirectory, placement.Location);
            var onDisk = await HotTier.Sha256OfFileAsync(path, token);
            if (onDisk != sha)
            {
                problems.Add($"{uid}: the file at {placement.Location} has sha256 {onDisk ?? "(missing)"}, acknowledged {sha}");
            }
            else if (new FileInfo(path).Length != placement.Size)
            {
                problems.Add($"{uid}: the file at {placement.Location} has {new FileInfo(path).Length} bytes, indexed {placement.Size}");
            }
        });
        return [.. problems];
    }

    /// <summary>Every index row points at a file that exists, whole, with the indexed checksum and size. Returns the problems.</summary>
    public static async Task<List<string>> CheckIndexRowsAsync(IReadOnlyList<IndexRow> rows, string dataDirectory, CancellationToken cancellationToken)
    {
        var problems = new ConcurrentBag<string>();
        await Parallel.ForEachAsync(rows, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (row, token) =>
        {
            var path = HotTier.PathOf(dataDirectory, row.Location);
            var onDisk = await HotTier.Sha256OfFileAsync(path, token);
            if (onDisk is null)
            {
                problems.Add($"index row {row.SopInstanceUid} points at a missing file {row.Location}");
            }
            else if (onDisk != row.Sha256 || new FileInfo(path).Length != row.Size)
            {
                problems.Add($"index row {row.SopInstanceUid}: the file {row.Location} ({new FileInfo(path).Length} bytes, sha256 {onDisk}) is not the indexed one ({row.Size} bytes, {row.Sha256})");
            }
        });
        return [.. problems];
    }

    /// <summary>Committed files under hot/studies that no index row names (a crash between commit and registration leaves these).</summary>
    public static int CountUnindexedFiles(IReadOnlyList<IndexRow> rows, string dataDirectory)
    {
        var indexed = rows.Select(r => Path.GetFullPath(HotTier.PathOf(dataDirectory, r.Location))).ToHashSet(StringComparer.Ordinal);
        return HotTier.CommittedFiles(dataDirectory).Count(f => !indexed.Contains(Path.GetFullPath(f)));
    }

    public static string Describe(IReadOnlyCollection<string> problems) =>
        problems.Count == 0 ? "none" : $"{problems.Count} problem(s):\n  " + string.Join("\n  ", problems.Take(20));
}
