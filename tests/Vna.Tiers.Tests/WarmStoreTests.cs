using System.Security.Cryptography;
using Vna.Storage.Warm;
using Vna.Testing;

namespace Vna.Tiers.Tests;

/// <summary>The warm tier's S3 store against Ceph RGW: verified writes (single and multipart), reads, listings, refusals.</summary>
public sealed class WarmStoreTests
{
    [Fact]
    public async Task A_small_object_is_verified_at_the_destination_and_reads_back_byte_for_byte()
    {
        var ct = TestContext.Current.CancellationToken;
        var options = await S3Server.NewBucketsAsync(await S3Server.RequireAsync(), ct);
        using var store = new S3ObjectStore(options);
        using var scratch = new ScratchFolder("tiers-warm");
        var bytes = RandomNumberGenerator.GetBytes(300_001);
        var path = Path.Combine(scratch.Path, "a.dcm");
        await File.WriteAllBytesAsync(path, bytes, ct);
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));

        var put = await store.PutFileAsync(options.WarmBucket, "studies/1.2/3.4/5.6.dcm", path, sha, "application/dicom", null, ct);

        Assert.Equal(1, put.Parts);
        Assert.Equal(Convert.ToHexStringLower(MD5.HashData(bytes)), put.ETag);
        var head = await store.HeadAsync(options.WarmBucket, "studies/1.2/3.4/5.6.dcm", ct);
        Assert.NotNull(head);
        Assert.Equal(bytes.Length, head.Length);
        Assert.Equal(sha, head.Sha256);
        await using var body = await store.OpenReadAsync(options.WarmBucket, "studies/1.2/3.4/5.6.dcm", ct);
        using var copy = new MemoryStream();
        await body.CopyToAsync(copy, ct);
        Assert.Equal(bytes, copy.ToArray());
    }

    [Fact]
    public async Task A_large_object_goes_up_in_parts_and_is_checked_against_the_multipart_etag()
    {
        var ct = TestContext.Current.CancellationToken;
        var options = await S3Server.NewBucketsAsync(await S3Server.RequireAsync(), ct);
        options.MultipartThreshold = 5 * 1024 * 1024;
        options.PartSize = 5 * 1024 * 1024;
        using var store = new S3ObjectStore(options);
        using var scratch = new ScratchFolder("tiers-warm");
        var bytes = RandomNumberGenerator.GetBytes((18 * 1024 * 1024) + 17);
        var path = Path.Combine(scratch.Path, "big.bin");
        await File.WriteAllBytesAsync(path, bytes, ct);

        var put = await store.PutFileAsync(options.ColdBucket, "studies/9.9/study.vnab", path, Convert.ToHexStringLower(SHA256.HashData(bytes)), "application/octet-stream", "GLACIER", ct);

        Assert.Equal(4, put.Parts);
        Assert.EndsWith("-4", put.ETag, StringComparison.Ordinal);
        var head = await store.HeadAsync(options.ColdBucket, "studies/9.9/study.vnab", ct);
        Assert.NotNull(head);
        Assert.Equal("GLACIER", head.StorageClass);
        Assert.Equal(put.ETag, head.ETag);
        var target = Path.Combine(scratch.Path, "back.bin");
        Assert.Equal(bytes.Length, await store.DownloadAsync(options.ColdBucket, "studies/9.9/study.vnab", target, ct));
        Assert.Equal(bytes, await File.ReadAllBytesAsync(target, ct));
    }

    [Fact]
    public async Task A_source_that_no_longer_matches_its_recorded_checksum_is_never_copied()
    {
        var ct = TestContext.Current.CancellationToken;
        var options = await S3Server.NewBucketsAsync(await S3Server.RequireAsync(), ct);
        using var store = new S3ObjectStore(options);
        using var scratch = new ScratchFolder("tiers-warm");
        var path = Path.Combine(scratch.Path, "rotten.dcm");
        await File.WriteAllBytesAsync(path, RandomNumberGenerator.GetBytes(1000), ct);

        var error = await Assert.ThrowsAsync<ObjectVerificationException>(() =>
            store.PutFileAsync(options.WarmBucket, "studies/1/2/3.dcm", path, new string('0', 64), "application/dicom", null, ct));

        Assert.Contains("no longer matches", error.Message, StringComparison.Ordinal);
        Assert.Null(await store.HeadAsync(options.WarmBucket, "studies/1/2/3.dcm", ct));
    }

    [Fact]
    public async Task The_server_checks_the_body_against_the_sha256_it_was_signed_with()
    {
        var ct = TestContext.Current.CancellationToken;
        var options = await S3Server.NewBucketsAsync(await S3Server.RequireAsync(), ct);
        using var store = new S3ObjectStore(options);
        var bytes = RandomNumberGenerator.GetBytes(4096);
        var other = Convert.ToHexStringLower(SHA256.HashData(RandomNumberGenerator.GetBytes(4096)));

        var error = await Assert.ThrowsAsync<ObjectVerificationException>(() =>
            store.PutSingleAsync(options.WarmBucket, "studies/1/2/4.dcm", bytes, "application/dicom", null, other, ct));

        Assert.Contains("does not match its checksum", error.Message, StringComparison.Ordinal);
        Assert.Null(await store.HeadAsync(options.WarmBucket, "studies/1/2/4.dcm", ct));
    }

    [Fact]
    public async Task Listings_page_through_every_key_under_a_prefix_and_deletes_are_idempotent()
    {
        var ct = TestContext.Current.CancellationToken;
        var options = await S3Server.NewBucketsAsync(await S3Server.RequireAsync(), ct);
        using var store = new S3ObjectStore(options);
        var keys = Enumerable.Range(0, 1005).Select(i => $"studies/1.2.{i % 3}/x/{i}.dcm").ToList();
        await Parallel.ForEachAsync(keys, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (key, token) =>
            await store.PutBytesAsync(options.WarmBucket, key, new byte[] { 1, 2, 3 }, "application/dicom", null, token));

        var listed = new List<string>();
        await foreach (var key in store.ListKeysAsync(options.WarmBucket, "studies/", ct))
        {
            listed.Add(key);
        }

        Assert.Equal(keys.Order(StringComparer.Ordinal), listed);
        await store.DeleteManyAsync(options.WarmBucket, keys, ct);
        await store.DeleteManyAsync(options.WarmBucket, keys, ct);
        await store.DeleteAsync(options.WarmBucket, keys[0], ct);
        Assert.Empty(await S3Server.KeysAsync(options, options.WarmBucket, ct));
    }

    [Fact]
    public async Task An_unreachable_server_is_a_clear_error_naming_it()
    {
        var ct = TestContext.Current.CancellationToken;
        var port = FreePorts.Next();
        var options = new S3StorageOptions { ServiceUrl = $"http://127.0.0.1:{port}/", AccessKey = "a", SecretKey = "b", MaxRetries = 1 };
        using var store = new S3ObjectStore(options);

        var error = await Assert.ThrowsAsync<ObjectStoreUnavailableException>(() =>
            store.PutBytesAsync(options.WarmBucket, "studies/1/2/3.dcm", new byte[] { 1 }, "application/dicom", null, ct));

        Assert.Contains($"S3 at http://127.0.0.1:{port}/ failed PUT vna-warm/studies/1/2/3.dcm", error.Message, StringComparison.Ordinal);
    }
}
