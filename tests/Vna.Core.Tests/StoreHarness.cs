using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Vna.Dicom;
using Vna.Storage;

namespace Vna.Core.Tests;

/// <summary>A StoreService over a real FileSystemHotStore in a temporary folder, with in-memory coordinator and audit sink.</summary>
internal sealed class StoreHarness : IDisposable
{
    public StoreHarness(ArchiveOptions? options = null, Func<IHotStore, IHotStore>? wrapHotStore = null, IInstanceDocumentBuilder? documents = null)
    {
        Root = Path.Combine(Path.GetTempPath(), "vna-store-tests-" + Guid.NewGuid().ToString("N"));
        HotStore = new FileSystemHotStore(new HotStoreOptions { RootPath = Root });
        Options = new TestOptionsMonitor<ArchiveOptions>(options ?? new ArchiveOptions());
        IHotStore hotStore = new RecordingHotStore(HotStore, Events);
        Service = new StoreService(wrapHotStore?.Invoke(hotStore) ?? hotStore, Coordinator, Audit, Options, TimeProvider.System, Logger, documents);
        Audit.OnWrite = record => Events.Add($"audit:{record.Action}");
    }

    public string Root { get; }

    public FileSystemHotStore HotStore { get; }

    public FakeStudyCoordinator Coordinator { get; } = new();

    public FakeAuditSink Audit { get; } = new();

    public TestOptionsMonitor<ArchiveOptions> Options { get; }

    public ListLogger<StoreService> Logger { get; } = new();

    /// <summary>Audits and deletions, in the order they happened.</summary>
    public List<string> Events { get; } = [];

    public StoreService Service { get; }

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public Task<StoreResult> StoreAsync(byte[] bytes, StoreRequest? request = null) =>
        Service.StoreAsync(new MemoryStream(bytes, writable: false), request ?? Request(), Ct);

    public static StoreRequest Request(string department = "default") => new() { Department = department, Actor = "TEST_AE" };

    /// <summary>Every file under studies/ (relative paths with '/').</summary>
    public IReadOnlyList<string> StoredFiles() => Files("studies");

    public IReadOnlyList<string> TemporaryFiles() => Files("tmp");

    /// <summary>Asserts a refusal left nothing in studies/ or tmp/.</summary>
    public void AssertNothingLeft()
    {
        Assert.Empty(StoredFiles());
        Assert.Empty(TemporaryFiles());
    }

    public string FullPath(StoreResult result) => HotStore.GetFullPath(result.Instance!.Location);

    public async Task<DicomFile> ReadStoredAsync(StoreResult result) =>
        await DicomReader.ReadFileAsync(FullPath(result), null, Ct);

    public static string Sha256Of(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    /// <summary>True when no log entry at Information or above mentions any of <paramref name="secrets"/>.</summary>
    public void AssertNotLoggedAboveDebug(params string?[] secrets)
    {
        foreach (var (level, message) in Logger.Entries.Where(e => e.Level >= LogLevel.Information))
        {
            foreach (var secret in secrets.Where(s => !string.IsNullOrEmpty(s)))
            {
                Assert.DoesNotContain(secret!, message, StringComparison.Ordinal);
            }
        }
    }

    public void Dispose()
    {
        HotStore.Dispose();
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }

    private List<string> Files(string folder)
    {
        var path = Path.Combine(Root, folder);
        return Directory.Exists(path)
            ? Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                .Where(f => Path.GetFileName(f) != FileSystemHotStore.OwnerFileName)
                .Select(f => Path.GetRelativePath(Root, f).Replace('\\', '/')).Order(StringComparer.Ordinal).ToList()
            : [];
    }

    /// <summary>Delegates to the real store and records deletions (to check they come after their audit records).</summary>
    private sealed class RecordingHotStore(IHotStore inner, List<string> events) : IHotStore
    {
        public Task<IHotWrite> BeginWriteAsync(CancellationToken cancellationToken) => inner.BeginWriteAsync(cancellationToken);

        public Task<Stream> OpenReadAsync(string location, CancellationToken cancellationToken) => inner.OpenReadAsync(location, cancellationToken);

        public Task<bool> ExistsAsync(string location, CancellationToken cancellationToken) => inner.ExistsAsync(location, cancellationToken);

        public Task DeleteAsync(string location, CancellationToken cancellationToken)
        {
            events.Add($"delete:{location}");
            return inner.DeleteAsync(location, cancellationToken);
        }

        public string GetFullPath(string location) => inner.GetFullPath(location);

        public Task<HotStoreReconciliation> ReconcileAsync(CancellationToken cancellationToken) => inner.ReconcileAsync(cancellationToken);
    }
}
