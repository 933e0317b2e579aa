using Vna.Core;
using Vna.Storage;

namespace Vna.Cli.Import;

/// <summary>
/// The composition behind <c>vna import</c>: the Store feature over a <see cref="FileSystemHotStore"/> on the data folder,
/// with a study coordinator and an audit sink chosen by <c>--coordinator</c>. The seam for the archive's own coordinator:
/// today only <c>local</c> (an in-process coordinator with a JSON Lines index under the data folder); the Orleans cluster
/// client joins here, as another value, once the archive server exists. Holds an exclusive lock on the data folder for its
/// lifetime and reconciles the hot tier's temporary files at start.
/// </summary>
internal sealed class ImportHost : IAsyncDisposable
{
    public const string LocalCoordinator = "local";

    private const string LockFileName = "vna-import.lock";
    private const string LocalIndexFolderName = "local-index";
    private const string AuditFileName = "audit.jsonl";

    private readonly FileStream _lock;
    private readonly List<IDisposable> _owned;

    private ImportHost(FileStream folderLock, StoreService store, HotStoreReconciliation reconciliation, string dataPath, List<IDisposable> owned)
    {
        _lock = folderLock;
        Store = store;
        Reconciliation = reconciliation;
        DataPath = dataPath;
        _owned = owned;
    }

    /// <summary>The values <c>--coordinator</c> accepts.</summary>
    public static IReadOnlyList<string> Coordinators { get; } = [LocalCoordinator];

    public StoreService Store { get; }

    /// <summary>What the start-up reconciliation of the hot tier removed.</summary>
    public HotStoreReconciliation Reconciliation { get; }

    /// <summary>The data folder (absolute).</summary>
    public string DataPath { get; }

    /// <exception cref="ImportConfigurationException">The data folder cannot be used (in use by another import, not writable) or the coordinator is unknown.</exception>
    public static async Task<ImportHost> StartAsync(ImportSettings settings, ArchiveOptions options, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(error);
        if (!Coordinators.Contains(settings.Coordinator, StringComparer.Ordinal))
        {
            throw new ImportConfigurationException($"Unknown coordinator '{settings.Coordinator}' (known: {string.Join(", ", Coordinators)}).");
        }

        var dataPath = Path.GetFullPath(settings.DataPath);
        FileStream folderLock;
        try
        {
            Directory.CreateDirectory(dataPath);
            folderLock = new FileStream(Path.Combine(dataPath, LockFileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ImportConfigurationException($"Cannot use the data folder {dataPath} (another vna import may be using it): {ex.Message}", ex);
        }

        var owned = new List<IDisposable>();
        try
        {
            var hotStore = new FileSystemHotStore(new HotStoreOptions { RootPath = dataPath });
            var reconciliation = await hotStore.ReconcileAsync(cancellationToken).ConfigureAwait(false);

            // The seam: the archive's coordinator (Orleans client) and audit sink will be composed here.
            var coordinator = new LocalStudyCoordinator(Path.Combine(dataPath, LocalIndexFolderName), options.DuplicatePolicy);
            var audit = new JsonLinesAuditSink(Path.Combine(dataPath, AuditFileName));
            owned.Add(coordinator);
            owned.Add(audit);

            var store = new StoreService(
                hotStore, coordinator, audit, new FixedOptionsMonitor<ArchiveOptions>(options), TimeProvider.System, new ErrorWriterLogger<StoreService>(error));
            return new ImportHost(folderLock, store, reconciliation, dataPath, owned);
        }
        catch
        {
            owned.ForEach(o => o.Dispose());
            await folderLock.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _owned.ForEach(o => o.Dispose());
        await _lock.DisposeAsync().ConfigureAwait(false);
    }
}
