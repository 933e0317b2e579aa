using System.Net.Http.Json;
using System.Text.Json;
using Vna.Storage.Warm;
using Vna.Testing;

namespace Vna.Tiers.Tests;

/// <summary>The built server as a child process with the tiers on, and the admin calls the tests make.</summary>
internal static class TieredServer
{
    public static ServerSettings Settings(string name, string postgres, ScratchFolder scratch, S3StorageOptions s3, int maxConcurrentMigrations = 2) => new()
    {
        Name = name,
        Postgres = postgres,
        WorkDirectory = scratch.Path,
        DataDirectory = scratch.Sub("data"),
        Configuration = new Dictionary<string, string>
        {
            ["Tiers__Enabled"] = "true",
            ["Tiers__S3__ServiceUrl"] = s3.ServiceUrl,
            ["Tiers__S3__AccessKey"] = s3.AccessKey,
            ["Tiers__S3__SecretKey"] = s3.SecretKey,
            ["Tiers__S3__WarmBucket"] = s3.WarmBucket,
            ["Tiers__S3__ColdBucket"] = s3.ColdBucket,
            ["Tiers__S3__ColdStorageClass"] = s3.ColdStorageClass ?? "GLACIER",
            ["Tiers__MaxConcurrentMigrations"] = maxConcurrentMigrations.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Tiers__RecallWait"] = "00:00:30",
        },
    };

    /// <summary>Stores the instances over HTTP, 8 at a time; returns SOP Instance UID → SHA-256 of what was sent.</summary>
    public static async Task<Dictionary<string, string>> ImportAsync(HttpClient http, Uri server, IEnumerable<SyntheticInstance> instances, CancellationToken ct)
    {
        var sent = new System.Collections.Concurrent.ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(instances, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (instance, token) =>
        {
            var bytes = await SyntheticCt.EncodeAsync(instance, token);
            var result = await ArchiveHttp.PostAsync(http, server, bytes, token);
            Assert.True(result.Acknowledged, $"store refused: {result.StatusCode} {result.Detail}");
            sent[instance.SopInstanceUid!] = SyntheticCt.Sha256(bytes);
        });
        return new Dictionary<string, string>(sent, StringComparer.Ordinal);
    }

    public static async Task<HttpResponseMessage> QueueAsync(HttpClient http, Uri server, IEnumerable<string> studies, string tier, CancellationToken ct) =>
        await http.PostAsJsonAsync(new Uri(server, "api/tiers/migrations"), new { studies = studies.ToArray(), tier, reason = "test batch" }, ct);

    /// <summary>The journal rows: study → state of its latest row.</summary>
    public static async Task<List<(string Study, string State, string To)>> MigrationsAsync(HttpClient http, Uri server, CancellationToken ct)
    {
        using var document = JsonDocument.Parse(await http.GetStringAsync(new Uri(server, "api/tiers/migrations?limit=1000"), ct));
        return [.. document.RootElement.GetProperty("migrations").EnumerateArray()
            .Select(m => (m.GetProperty("studyInstanceUid").GetString()!, m.GetProperty("state").GetString()!, m.GetProperty("toTier").GetString()!))];
    }

    /// <summary>GET /api/tiers/instances/{sop}/content: status, body's SHA-256 (when 200), Retry-After (when 202).</summary>
    public static async Task<(int Status, string? Sha256, int? RetryAfter)> ReadAsync(HttpClient http, Uri server, string sop, double? wait, CancellationToken ct)
    {
        var query = wait is { } w ? $"?wait={w.ToString(System.Globalization.CultureInfo.InvariantCulture)}" : string.Empty;
        using var response = await http.GetAsync(new Uri(server, $"api/tiers/instances/{sop}/content{query}"), ct);
        var body = await response.Content.ReadAsByteArrayAsync(ct);
        return ((int)response.StatusCode,
            response.IsSuccessStatusCode && (int)response.StatusCode == 200 ? SyntheticCt.Sha256(body) : null,
            response.Headers.RetryAfter?.Delta is { } delta ? (int)delta.TotalSeconds : null);
    }
}
