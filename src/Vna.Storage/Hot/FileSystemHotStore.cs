using System.Collections.Concurrent;
using Vna.Core;
using Vna.Dicom;

namespace Vna.Storage;

/// <summary>
/// The hot tier on a local filesystem. An object is written to <c>&lt;root&gt;/tmp/</c>, then committed: fsync of the file,
/// atomic rename to <c>&lt;root&gt;/studies/&lt;Study&gt;/&lt;Series&gt;/&lt;SOP Instance&gt;.&lt;first 16 hex digits of its SHA-256&gt;.dcm</c>,
/// fsync of the folder (and of the parent of each folder the commit created). The location of an object is that path
/// relative to the root, with '/' separators. Two copies of one SOP Instance UID with different content never share a name;
/// an identical copy lands on the same name.
/// Each store (each process) receives into its own folder <c>tmp/&lt;owner&gt;/</c> and holds an exclusive lock on its
/// <c>.owner</c> file while it lives, so several silos can share one root: reconciliation removes only the folders whose
/// owner is gone (its lock can be taken), never an object another live process is receiving.
/// </summary>
public sealed class FileSystemHotStore : IHotStore, IDisposable
{
    /// <summary>The lock file in each owner's temporary folder; not an object.</summary>
    public const string OwnerFileName = ".owner";

    private const string TemporaryFolderName = "tmp";
    private const string StudiesFolderName = "studies";

    /// <summary>Folders whose entry in their parent is known to be on stable storage (their parent was fsync'd after they were created).</summary>
    private readonly ConcurrentDictionary<string, bool> _durableFolders = new(StringComparer.Ordinal);

    /// <summary>Flushes of the folders objects are committed into, shared by concurrent commits.</summary>
    internal FolderFlushGroup FolderFlushes { get; } = new(DirectorySync.Flush);
    private readonly Lock _ownerLock = new();
    private readonly string _ownerFolder;
    private FileStream? _owner;

    public FileSystemHotStore(HotStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.RootPath);
        RootPath = Path.TrimEndingDirectorySeparator(Path.GetFullPath(options.RootPath));
        TemporaryFolder = Path.Combine(RootPath, TemporaryFolderName);
        StudiesFolder = Path.Combine(RootPath, StudiesFolderName);
        _ownerFolder = Path.Combine(TemporaryFolder, $"{Environment.ProcessId}-{Guid.NewGuid():N}");
    }

    /// <summary>The root folder (absolute).</summary>
    public string RootPath { get; }

    /// <summary>Where objects are received before they are committed.</summary>
    public string TemporaryFolder { get; }

    /// <summary>Where committed objects live.</summary>
    public string StudiesFolder { get; }

    public Task<IHotWrite> BeginWriteAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var path = Path.Combine(OwnedTemporaryFolder(), Guid.NewGuid().ToString("N") + ".tmp");
        var stream = new FileStream(
            path,
            new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.Read | FileShare.Delete,
                BufferSize = 64 * 1024, // written inline (InlineWriteStream), not through the thread pool
            });
        return Task.FromResult<IHotWrite>(new FileSystemHotWrite(this, stream, path));
    }

    public Task<Stream> OpenReadAsync(string location, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var path = GetFullPath(location);
        Stream stream = new FileStream(
            path,
            new FileStreamOptions
            {
                Mode = FileMode.Open,
                Access = FileAccess.Read,
                Share = FileShare.Read | FileShare.Delete,
                Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
                BufferSize = 64 * 1024,
            });
        return Task.FromResult(stream);
    }

    public Task<bool> ExistsAsync(string location, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(File.Exists(GetFullPath(location)));
    }

    public Task DeleteAsync(string location, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        File.Delete(GetFullPath(location));
        return Task.CompletedTask;
    }

    /// <summary>The absolute path of a committed object's location.</summary>
    /// <exception cref="ArgumentException">The location is not a relative path under <c>studies/</c> (an absolute path, "..", a stray separator).</exception>
    public string GetFullPath(string location)
    {
        ArgumentException.ThrowIfNullOrEmpty(location);
        if (location.Contains('\\', StringComparison.Ordinal) || location.Contains('\0', StringComparison.Ordinal) || Path.IsPathRooted(location))
        {
            throw new ArgumentException("A hot-tier location is a relative path with '/' separators.", nameof(location));
        }

        foreach (var segment in location.Split('/'))
        {
            if (segment.Length == 0 || segment is "." or "..")
            {
                throw new ArgumentException("A hot-tier location has no empty, '.' or '..' segments.", nameof(location));
            }
        }

        var full = Path.GetFullPath(Path.Combine(RootPath, location.Replace('/', Path.DirectorySeparatorChar)));
        if (!full.StartsWith(StudiesFolder + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException("A hot-tier location must lie under studies/.", nameof(location));
        }

        return full;
    }

    public Task<HotStoreReconciliation> ReconcileAsync(CancellationToken cancellationToken)
    {
        var removed = 0;
        long bytes = 0;
        if (!Directory.Exists(TemporaryFolder))
        {
            return Task.FromResult(new HotStoreReconciliation(0, 0));
        }

        foreach (var file in new DirectoryInfo(TemporaryFolder).EnumerateFiles())
        {
            // Loose files: never an owner's folder, so nobody alive is writing them.
            cancellationToken.ThrowIfCancellationRequested();
            bytes += file.Length;
            file.Delete();
            removed++;
        }

        foreach (var folder in new DirectoryInfo(TemporaryFolder).EnumerateDirectories())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (string.Equals(folder.FullName, _ownerFolder, StringComparison.Ordinal) || !TryTakeAbandoned(folder.FullName, out var ownerLock))
            {
                continue; // ours, or a live process's
            }

            using (ownerLock)
            {
                foreach (var file in folder.EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
                {
                    if (file.Name != OwnerFileName)
                    {
                        bytes += file.Length;
                        removed++;
                    }
                }
            }

            folder.Delete(recursive: true);
        }

        return Task.FromResult(new HotStoreReconciliation(removed, bytes));
    }

    /// <summary>Releases this store's owner lock (its temporary folder becomes reclaimable by the next reconciliation).</summary>
    public void Dispose()
    {
        lock (_ownerLock)
        {
            _owner?.Dispose();
            _owner = null;
        }
    }

    /// <summary>This store's temporary folder, created and locked on first use.</summary>
    private string OwnedTemporaryFolder()
    {
        lock (_ownerLock)
        {
            if (_owner is null)
            {
                Directory.CreateDirectory(_ownerFolder);
                _owner = OpenOwnerFile(_ownerFolder);
            }
        }

        return _ownerFolder;
    }

    /// <summary>Takes the owner lock of another folder: only possible when its owner is gone (or never had one).</summary>
    private static bool TryTakeAbandoned(string folder, out FileStream ownerLock)
    {
        try
        {
            ownerLock = OpenOwnerFile(folder);
            return true;
        }
        catch (IOException)
        {
            ownerLock = null!;
            return false;
        }
    }

    // FileShare.None is an exclusive advisory lock (flock) on Linux: released by the kernel when the process dies.
    private static FileStream OpenOwnerFile(string folder) =>
        new(Path.Combine(folder, OwnerFileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);

    /// <summary>The location of an object: studies/Study/Series/SOP.sha16.dcm (UIDs checked, so no path can escape the root).</summary>
    internal static string LocationOf(string studyInstanceUid, string seriesInstanceUid, string sopInstanceUid, string sha256)
    {
        CheckUid(studyInstanceUid, nameof(studyInstanceUid));
        CheckUid(seriesInstanceUid, nameof(seriesInstanceUid));
        CheckUid(sopInstanceUid, nameof(sopInstanceUid));
        if (sha256 is null || sha256.Length != 64 || !sha256.All(char.IsAsciiHexDigitLower))
        {
            throw new ArgumentException("The SHA-256 must be 64 lower-case hexadecimal digits.", nameof(sha256));
        }

        return $"{StudiesFolderName}/{studyInstanceUid}/{seriesInstanceUid}/{sopInstanceUid}.{sha256[..16]}.dcm";
    }

    /// <summary>
    /// Creates the folders of <paramref name="folder"/> under the studies folder that are missing, and makes each folder's entry
    /// durable (fsync of its parent) unless that was done before by this instance.
    /// </summary>
    internal void EnsureDurableFolder(string folder)
    {
        if (_durableFolders.ContainsKey(folder))
        {
            return;
        }

        if (string.Equals(folder, RootPath, StringComparison.Ordinal))
        {
            // The root is the operator's: created when missing, its own entry is not this store's to flush.
            Directory.CreateDirectory(folder);
        }
        else
        {
            var parent = Path.GetDirectoryName(folder) ?? throw new InvalidOperationException("A folder under the root has a parent.");
            EnsureDurableFolder(parent);
            Directory.CreateDirectory(folder);
            DirectorySync.Flush(parent);
        }

        _durableFolders.TryAdd(folder, true);
    }

    /// <summary>Forgets which folders are durable (one vanished behind the store's back); commits create and flush them again.</summary>
    internal void ForgetDurableFolders() => _durableFolders.Clear();

    private static void CheckUid(string uid, string name)
    {
        // Only digits and single dots (PS3.5 9.1): nothing that could be a separator, "..", or an empty name.
        if (!DicomUid.IsValid(uid))
        {
            throw new ArgumentException("Not a valid UID (digits and dots only, at most 64 characters).", name);
        }
    }
}
