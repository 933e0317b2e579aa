using System.Security.Cryptography;
using Vna.Core;

namespace Vna.Storage.Tests;

/// <summary>The hot tier on the local filesystem: durable, atomic commits; reconciliation; locations that cannot escape the root.</summary>
public sealed class FileSystemHotStoreTests : IDisposable
{
    private const string Study = "1.2.826.0.1.3680043.8.498.1";
    private const string Series = "1.2.826.0.1.3680043.8.498.1.2";
    private const string Sop = "1.2.826.0.1.3680043.8.498.1.2.3";

    private readonly string _root = Path.Combine(Path.GetTempPath(), "vna-hot-tests-" + Guid.NewGuid().ToString("N"));
    private readonly FileSystemHotStore _store;

    public FileSystemHotStoreTests() => _store = new FileSystemHotStore(new HotStoreOptions { RootPath = _root });

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        _store.Dispose();
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public async Task Commit_moves_the_temporary_file_to_its_final_name_with_the_content()
    {
        var content = RandomNumberGenerator.GetBytes(200_000);
        var sha = Convert.ToHexStringLower(SHA256.HashData(content));

        string temporary;
        string location;
        var write = await _store.BeginWriteAsync(Ct);
        await using (write)
        {
            temporary = write.TemporaryPath;
            Assert.StartsWith(Path.Combine(_root, "tmp") + Path.DirectorySeparatorChar, temporary, StringComparison.Ordinal);
            await write.Stream.WriteAsync(content, Ct);
            Assert.True(File.Exists(temporary));

            location = await write.CommitAsync(Study, Series, Sop, sha, Ct);
        }

        Assert.Equal($"studies/{Study}/{Series}/{Sop}.{sha[..16]}.dcm", location);
        Assert.False(File.Exists(temporary));
        Assert.Empty(TemporaryObjects());
        var full = _store.GetFullPath(location);
        Assert.Equal(Path.Combine(_root, "studies", Study, Series, $"{Sop}.{sha[..16]}.dcm"), full);
        Assert.Equal(content, await File.ReadAllBytesAsync(full, Ct));
        Assert.True(await _store.ExistsAsync(location, Ct));

        var read = await _store.OpenReadAsync(location, Ct);
        await using (read)
        {
            using var copy = new MemoryStream();
            await read.CopyToAsync(copy, Ct);
            Assert.Equal(content, copy.ToArray());
        }
    }

    [Fact]
    public async Task Disposing_without_commit_deletes_the_temporary_file()
    {
        string temporary;
        var write = await _store.BeginWriteAsync(Ct);
        await using (write)
        {
            temporary = write.TemporaryPath;
            await write.Stream.WriteAsync(new byte[] { 1, 2, 3 }, Ct);
        }

        Assert.False(File.Exists(temporary));
        Assert.False(Directory.Exists(Path.Combine(_root, "studies")));
    }

    [Fact]
    public async Task An_identical_copy_lands_on_the_same_name_and_says_so_and_a_different_one_does_not()
    {
        var first = await CommitAsync([1, 2, 3, 4]);
        var again = await CommitAsync([1, 2, 3, 4]);
        var other = await CommitAsync([5, 6, 7, 8]);

        Assert.False(first.Existing);
        Assert.True(again.Existing);
        Assert.Equal(first.Location, again.Location);
        Assert.False(other.Existing);
        Assert.NotEqual(first.Location, other.Location);
        Assert.Equal(2, Directory.GetFiles(Path.Combine(_root, "studies", Study, Series)).Length);
    }

    [Fact]
    public async Task Reconcile_removes_what_a_dead_process_left_in_tmp_and_counts_it()
    {
        // Another process received an object and died mid-way (its owner lock is released with it), plus stray files.
        var dead = new FileSystemHotStore(new HotStoreOptions { RootPath = _root });
        var abandoned = await dead.BeginWriteAsync(Ct);
        await abandoned.Stream.WriteAsync(new byte[1000], Ct);
        await abandoned.Stream.FlushAsync(Ct);
        dead.Dispose();
        await File.WriteAllBytesAsync(Path.Combine(_root, "tmp", "stray.tmp"), new byte[24], Ct);
        Directory.CreateDirectory(Path.Combine(_root, "tmp", "spool"));
        await File.WriteAllBytesAsync(Path.Combine(_root, "tmp", "spool", "bulk"), new byte[6], Ct);
        var committed = await CommitAsync([9, 9, 9]);

        var result = await _store.ReconcileAsync(Ct);

        Assert.Equal(3, result.TemporaryFilesRemoved);
        Assert.Equal(1030, result.BytesReclaimed);
        Assert.Empty(TemporaryObjects());
        Assert.True(await _store.ExistsAsync(committed.Location, Ct));
        await abandoned.DisposeAsync();

        Assert.Equal(new HotStoreReconciliation(0, 0), await _store.ReconcileAsync(Ct));
    }

    [Fact]
    public async Task Reconcile_leaves_an_object_that_another_live_process_is_receiving()
    {
        // Two silos share the root: one starts (and reconciles) while the other is mid-upload.
        using var other = new FileSystemHotStore(new HotStoreOptions { RootPath = _root });
        await using var receiving = await other.BeginWriteAsync(Ct);
        await receiving.Stream.WriteAsync(new byte[500], Ct);
        await receiving.Stream.FlushAsync(Ct);

        var result = await _store.ReconcileAsync(Ct);

        Assert.Equal(new HotStoreReconciliation(0, 0), result);
        Assert.True(File.Exists(receiving.TemporaryPath));
        var sha = Convert.ToHexStringLower(SHA256.HashData(new byte[500]));
        var location = await receiving.CommitAsync(Study, Series, Sop, sha, Ct);
        Assert.True(await _store.ExistsAsync(location, Ct));
    }

    /// <summary>Objects being received (or left) under tmp/, without the owners' lock files.</summary>
    private string[] TemporaryObjects() =>
        Directory.Exists(Path.Combine(_root, "tmp"))
            ? [.. Directory.EnumerateFiles(Path.Combine(_root, "tmp"), "*", SearchOption.AllDirectories)
                .Where(f => Path.GetFileName(f) != FileSystemHotStore.OwnerFileName)]
            : [];

    [Fact]
    public async Task Reconcile_of_a_new_store_finds_nothing()
    {
        Assert.Equal(new HotStoreReconciliation(0, 0), await _store.ReconcileAsync(Ct));
    }

    [Theory]
    [InlineData("..", Series, Sop)]
    [InlineData("1.2..3", Series, Sop)]
    [InlineData(Study, "../../etc", Sop)]
    [InlineData(Study, Series, "1.2/3")]
    [InlineData(Study, Series, "")]
    [InlineData(Study, Series, "1.2.3\\4")]
    [InlineData(Study, Series, "01.2")]
    public async Task Commit_refuses_uids_that_are_not_uids_and_keeps_nothing(string study, string series, string sop)
    {
        string temporary;
        var write = await _store.BeginWriteAsync(Ct);
        await using (write)
        {
            temporary = write.TemporaryPath;
            await write.Stream.WriteAsync(new byte[] { 1 }, Ct);
            await Assert.ThrowsAsync<ArgumentException>(() => write.CommitAsync(study, series, sop, new string('a', 64), Ct));
        }

        Assert.False(File.Exists(temporary));
        Assert.False(Directory.Exists(Path.Combine(_root, "studies")));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789")]
    [InlineData("../0123456789abcdef0123456789abcdef0123456789abcdef0123456789ab")]
    public async Task Commit_refuses_a_checksum_that_is_not_lower_case_hex(string sha)
    {
        var write = await _store.BeginWriteAsync(Ct);
        await using (write)
        {
            await Assert.ThrowsAsync<ArgumentException>(() => write.CommitAsync(Study, Series, Sop, sha, Ct));
        }
    }

    [Theory]
    [InlineData("../outside.dcm")]
    [InlineData("studies/../../outside.dcm")]
    [InlineData("studies/1.2/../../../outside.dcm")]
    [InlineData("/etc/passwd")]
    [InlineData("tmp/abc.tmp")]
    [InlineData("studies\\1.2\\x.dcm")]
    [InlineData("studies//x.dcm")]
    [InlineData("studies/./x.dcm")]
    [InlineData("studies")]
    public async Task Locations_outside_the_studies_folder_are_refused(string location)
    {
        Assert.Throws<ArgumentException>(() => _store.GetFullPath(location));
        await Assert.ThrowsAsync<ArgumentException>(() => _store.OpenReadAsync(location, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => _store.ExistsAsync(location, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => _store.DeleteAsync(location, Ct));
    }

    [Fact]
    public async Task Delete_removes_a_committed_object_and_is_idempotent()
    {
        var committed = await CommitAsync([1, 2]);

        await _store.DeleteAsync(committed.Location, Ct);
        await _store.DeleteAsync(committed.Location, Ct);

        Assert.False(await _store.ExistsAsync(committed.Location, Ct));
    }

    [Fact]
    public async Task A_study_folder_removed_behind_the_stores_back_is_made_again()
    {
        var first = await CommitAsync([1]);
        Directory.Delete(Path.Combine(_root, "studies", Study), recursive: true);

        var second = await CommitAsync([2]);

        Assert.False(await _store.ExistsAsync(first.Location, Ct));
        Assert.True(await _store.ExistsAsync(second.Location, Ct));
    }

    [Fact]
    public void Folder_fsync_works_on_a_folder_and_fails_clearly_on_a_missing_one()
    {
        Directory.CreateDirectory(_root);
        DirectorySync.Flush(_root);
        if (!OperatingSystem.IsWindows())
        {
            var error = Assert.Throws<IOException>(() => DirectorySync.Flush(Path.Combine(_root, "missing")));
            Assert.Contains("open of folder", error.Message, StringComparison.Ordinal);
        }
    }

    private async Task<(string Location, bool Existing)> CommitAsync(byte[] content)
    {
        var sha = Convert.ToHexStringLower(SHA256.HashData(content));
        var write = await _store.BeginWriteAsync(Ct);
        await using (write)
        {
            await write.Stream.WriteAsync(content, Ct);
            var location = await write.CommitAsync(Study, Series, Sop, sha, Ct);
            return (location, ((IContentAddressedHotWrite)write).LandedOnExistingCopy);
        }
    }
}
