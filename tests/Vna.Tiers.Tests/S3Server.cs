using System.Diagnostics;
using Amazon.S3;
using Amazon.S3.Model;
using Vna.Storage.Warm;
using Vna.Testing;

namespace Vna.Tiers.Tests;

/// <summary>
/// The S3 server the tests run against: the one named by <c>VNA_TEST_S3</c> (an endpoint URL), else Ceph RGW started by
/// <c>deploy/local/s3 start</c> (idempotent: reused when running). Missing radosgw skips the test with the reason, except
/// under CI=true, where it fails.
/// </summary>
internal static class S3Server
{
    public const string AccessKey = "vnatestaccess";
    public const string SecretKey = "vnatestsecret";

    private static readonly Lazy<Task<(string? Endpoint, string? Problem)>> s_server = new(FindAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The endpoint; skips (or under CI fails) the calling test when there is none.</summary>
    public static async Task<string> RequireAsync()
    {
        var (endpoint, problem) = await s_server.Value;
        if (endpoint is not null)
        {
            return endpoint;
        }

        var message = $"No S3 server: {problem} (install radosgw ceph-mon ceph-osd, or set VNA_TEST_S3)";
        if (TestPostgres.InCi)
        {
            Assert.Fail("CI=true, so this fails rather than skips: " + message);
        }

        Assert.Skip(message);
        throw new UnreachableException();
    }

    /// <summary>Options for the server with a fresh pair of buckets of the caller's own (created here).</summary>
    public static async Task<S3StorageOptions> NewBucketsAsync(string endpoint, CancellationToken cancellationToken)
    {
        var suffix = Guid.NewGuid().ToString("N")[..10];
        var options = new S3StorageOptions
        {
            ServiceUrl = endpoint,
            AccessKey = AccessKey,
            SecretKey = SecretKey,
            WarmBucket = $"t-{suffix}-warm",
            ColdBucket = $"t-{suffix}-cold",
            MaxRetries = 2,
        };
        using var client = S3ClientFactory.Create(options);
        await client.PutBucketAsync(new PutBucketRequest { BucketName = options.WarmBucket }, cancellationToken);
        await client.PutBucketAsync(new PutBucketRequest { BucketName = options.ColdBucket }, cancellationToken);
        return options;
    }

    /// <summary>Every key in a bucket.</summary>
    public static async Task<List<string>> KeysAsync(S3StorageOptions options, string bucket, CancellationToken cancellationToken)
    {
        using var store = new S3ObjectStore(options);
        var keys = new List<string>();
        await foreach (var key in store.ListKeysAsync(bucket, "", cancellationToken))
        {
            keys.Add(key);
        }

        return keys;
    }

    private static async Task<(string? Endpoint, string? Problem)> FindAsync()
    {
        var configured = Environment.GetEnvironmentVariable("VNA_TEST_S3");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return (configured, null);
        }

        var script = Path.Combine(RepositoryPaths.Root, "deploy", "local", "s3");
        if (!File.Exists("/usr/bin/radosgw") && Environment.GetEnvironmentVariable("VNA_SKIP_APT") == "1")
        {
            return (null, "radosgw is not installed and VNA_SKIP_APT=1");
        }

        var start = new ProcessStartInfo(script, "start") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        var endpoint = (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        if (process.ExitCode != 0 || endpoint is null || !endpoint.StartsWith("http", StringComparison.Ordinal))
        {
            var tail = string.Join(" | ", (await errors).Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(3));
            return (null, $"`deploy/local/s3 start` failed (exit {process.ExitCode}): {tail}");
        }

        return (endpoint, null);
    }
}
