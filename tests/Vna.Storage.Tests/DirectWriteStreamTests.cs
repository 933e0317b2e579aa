using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Vna.Storage.Tests;

/// <summary>The hot tier's temporary-file writer: every length and split of writes lands whole, with direct I/O where the file system has it.</summary>
public sealed class DirectWriteStreamTests : IDisposable
{
    private const int B = DirectWriteStream.BufferSize;
    private const int A = DirectWriteStream.Alignment;
    private const int H = DirectWriteStream.HeadBytes;

    /// <summary>O_DIRECT in <c>/proc/self/fdinfo</c>'s flags (x86 headers vs asm-generic).</summary>
    private static readonly int ODirect = RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm ? 0x10000 : 0x4000;

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "vna-direct-tests-" + Guid.NewGuid().ToString("N"));

    public DirectWriteStreamTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    public static TheoryData<int, bool> Lengths()
    {
        var data = new TheoryData<int, bool>();
        foreach (var length in new[] { 0, 1, A - 1, A, A + 1, H - 1, H, H + 1, H + A + 1, B - 1, B, B + 1, (3 * B) + 123, (2 * B) + A })
        {
            data.Add(length, true);
            data.Add(length, false);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public async Task Every_length_written_in_uneven_pieces_lands_whole(int length, bool direct)
    {
        var content = RandomNumberGenerator.GetBytes(length);
        var path = NewPath();
        using (var stream = Open(path, direct))
        {
            var random = new Random(length);
            var offset = 0;
            while (offset < length)
            {
                var n = Math.Min(random.Next(1, 70_000), length - offset);
                stream.Write(content, offset, n);
                offset += n;
            }

            Assert.Equal(length, stream.Length);
            await stream.FlushToDiskAsync();
            Assert.Equal(content, File.ReadAllBytes(path));
        }

        Assert.Equal(content, File.ReadAllBytes(path));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_flush_in_the_middle_shows_every_byte_so_far_and_writing_goes_on_after_it(bool direct)
    {
        var content = RandomNumberGenerator.GetBytes((2 * B) + 5000);
        var path = NewPath();
        using var stream = Open(path, direct);
        var cuts = new[] { 0, 300, 300, A + 7, B + 1, B + 1 + A, (2 * B) + 4999, content.Length };
        for (var i = 1; i < cuts.Length; i++)
        {
            stream.Write(content.AsSpan(cuts[i - 1], cuts[i] - cuts[i - 1]));
            stream.Flush();

            // Read through another handle, as the store parses the temporary file it is still writing.
            Assert.Equal(content.AsSpan(0, cuts[i]).ToArray(), ReadShared(path));
        }
    }

    [Fact]
    public async Task On_a_local_file_system_that_has_direct_io_the_middle_of_the_file_is_written_with_O_DIRECT()
    {
        var format = new DriveInfo(_folder).DriveFormat;
        Assert.SkipUnless(OperatingSystem.IsLinux() && format is "ext4" or "xfs" or "btrfs", $"direct I/O is asserted on Linux ext4, xfs and btrfs; the temporary folder is on {format}.");

        var content = RandomNumberGenerator.GetBytes(B + 10);
        var path = NewPath();
        using var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read | FileShare.Delete);
        using var stream = new DirectWriteStream(handle);

        // A full buffer: its head through the page cache, the rest (whole blocks) directly; the descriptor is left direct.
        stream.Write(content.AsSpan(0, B));
        Assert.True(stream.IsDirect);
        Assert.True((DescriptorFlags(handle) & ODirect) != 0, "flags: " + Convert.ToString(DescriptorFlags(handle), 8));

        // The partial last block goes through the page cache (no padding, no truncation).
        stream.Write(content.AsSpan(B));
        await stream.FlushToDiskAsync();
        Assert.Equal(0, DescriptorFlags(handle) & ODirect);
        Assert.True(stream.IsDirect);
        Assert.Equal(content, ReadShared(path));
    }

    [Fact]
    public void Asked_for_the_page_cache_it_does_not_set_O_DIRECT()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "reads /proc/self/fdinfo");
        var path = NewPath();
        using var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read | FileShare.Delete);
        using var stream = new DirectWriteStream(handle, direct: false);
        stream.Write(new byte[B]);
        Assert.False(stream.IsDirect);
        Assert.Equal(0, DescriptorFlags(handle) & ODirect);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Flushes_then_more_writes_then_the_commit_land_every_byte(bool direct)
    {
        var content = RandomNumberGenerator.GetBytes((2 * B) + 777);
        var path = NewPath();
        using var stream = Open(path, direct);
        stream.Write(content.AsSpan(0, B + 100));
        await stream.FlushAsync(TestContext.Current.CancellationToken);
        Assert.Equal(content.AsSpan(0, B + 100).ToArray(), ReadShared(path));

        stream.Write(content.AsSpan(B + 100));
        await stream.FlushAsync(TestContext.Current.CancellationToken);
        await stream.FlushToDiskAsync();
        await stream.FlushToDiskAsync();
        Assert.Equal(content, ReadShared(path));
    }

    [Fact]
    public async Task Disposed_after_a_flush_it_leaves_the_flushed_bytes_and_closes_the_file()
    {
        var path = NewPath();
        var stream = Open(path, direct: true);
        stream.Write(RandomNumberGenerator.GetBytes(B + 5));
        await stream.FlushAsync(TestContext.Current.CancellationToken);
        stream.Dispose();
        Assert.Equal(B + 5, new FileInfo(path).Length);
        File.Delete(path);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void Disposed_it_refuses_writes_and_closes_the_file()
    {
        var path = NewPath();
        var stream = Open(path, direct: true);
        stream.Write(new byte[10]);
        stream.Flush();
        stream.Dispose();
        Assert.False(stream.CanWrite);
        Assert.Throws<ObjectDisposedException>(() => stream.Write(new byte[1]));
        File.Delete(path);
        Assert.False(File.Exists(path));
    }

    private static int DescriptorFlags(Microsoft.Win32.SafeHandles.SafeFileHandle handle)
    {
        var fdinfo = File.ReadAllLines($"/proc/self/fdinfo/{handle.DangerousGetHandle()}");
        return Convert.ToInt32(fdinfo.Single(l => l.StartsWith("flags:", StringComparison.Ordinal))["flags:".Length..].Trim(), 8);
    }

    private static DirectWriteStream Open(string path, bool direct) =>
        new(File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read | FileShare.Delete), direct);

    private static byte[] ReadShared(string path)
    {
        using var read = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        read.CopyTo(copy);
        return copy.ToArray();
    }

    private string NewPath() => Path.Combine(_folder, Guid.NewGuid().ToString("N") + ".tmp");
}
