using System.Security.Cryptography;
using Vna.Storage.Cold;

namespace Vna.Tiers.Tests;

/// <summary>The cold bundle container: round trip, and every kind of damage found rather than passed on.</summary>
public sealed class BundleTests
{
    [Fact]
    public async Task Entries_round_trip_with_their_checksums()
    {
        var ct = TestContext.Current.CancellationToken;
        var entries = new[] { ("manifest.json", RandomNumberGenerator.GetBytes(100)), ("1.2/3.4.dcm", RandomNumberGenerator.GetBytes(700_000)), ("1.2/3.5.dcm", new byte[300_000]) };
        var bundle = await WriteAsync(entries, ct);

        await using var reader = new StudyBundleReader(new MemoryStream(bundle));
        foreach (var (name, bytes) in entries)
        {
            var entry = await reader.NextAsync(ct);
            Assert.NotNull(entry);
            Assert.Equal(name, entry.Name);
            Assert.Equal(bytes.Length, entry.Length);
            using var copy = new MemoryStream();
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), await reader.CopyEntryToAsync(copy, ct));
            Assert.Equal(bytes, copy.ToArray());
        }

        Assert.Null(await reader.NextAsync(ct));
        Assert.True(bundle.Length < 700_000 + 300_000, $"the zeros compress: {bundle.Length} bytes");
    }

    [Fact]
    public async Task A_truncated_bundle_is_found()
    {
        var ct = TestContext.Current.CancellationToken;
        var bundle = await WriteAsync([("a.dcm", RandomNumberGenerator.GetBytes(200_000)), ("b.dcm", RandomNumberGenerator.GetBytes(200_000))], ct);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => ReadAllAsync(bundle[..(bundle.Length / 2)], ct));

        Assert.True(error is BundleCorruptException or InvalidDataException or EndOfStreamException, error.ToString());
    }

    [Fact]
    public async Task A_flipped_byte_is_found()
    {
        var ct = TestContext.Current.CancellationToken;
        // Random bytes do not compress: LZ4 stores them as literals, so a flipped byte changes content, not framing.
        var bundle = await WriteAsync([("a.dcm", RandomNumberGenerator.GetBytes(200_000))], ct);
        bundle[bundle.Length / 2] ^= 0x40;

        var error = await Assert.ThrowsAnyAsync<Exception>(() => ReadAllAsync(bundle, ct));

        Assert.True(error is BundleCorruptException or InvalidDataException, error.ToString());
    }

    [Fact]
    public async Task Something_that_is_not_a_bundle_is_refused()
    {
        var ct = TestContext.Current.CancellationToken;
        var output = new MemoryStream();
        await using (var lz4 = K4os.Compression.LZ4.Streams.LZ4Stream.Encode(output, leaveOpen: true))
        {
            await lz4.WriteAsync("DICM not a bundle"u8.ToArray(), ct);
        }

        var error = await Assert.ThrowsAsync<BundleCorruptException>(() => ReadAllAsync(output.ToArray(), ct));

        Assert.Contains("Not a Vna study bundle", error.Message, StringComparison.Ordinal);
    }

    private static async Task<byte[]> WriteAsync((string Name, byte[] Bytes)[] entries, CancellationToken ct)
    {
        var output = new MemoryStream();
        await using (var writer = new StudyBundleWriter(output))
        {
            foreach (var (name, bytes) in entries)
            {
                await writer.AddAsync(name, new MemoryStream(bytes), bytes.Length, ct);
            }

            await writer.CompleteAsync(ct);
        }

        return output.ToArray();
    }

    private static async Task ReadAllAsync(byte[] bundle, CancellationToken ct)
    {
        await using var reader = new StudyBundleReader(new MemoryStream(bundle));
        while (await reader.NextAsync(ct) is not null)
        {
            await reader.CopyEntryToAsync(Stream.Null, ct);
        }
    }
}
