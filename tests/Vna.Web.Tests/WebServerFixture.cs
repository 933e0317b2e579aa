using System.Globalization;
using Vna.Testing;

namespace Vna.Web.Tests;

/// <summary>
/// One archive server (the built Vna.Server, DICOMweb in its loopback development mode) on a throwaway database, shared by
/// a test class. When PostgreSQL is missing the tests skip with the reason (and fail under CI=true).
/// </summary>
public class WebServerFixture : IAsyncLifetime
{
    private ScratchFolder? _scratch;

    public string? Unavailable { get; private set; }

    public TestDatabase Database { get; private set; } = null!;

    public ServerProcess Server { get; private set; } = null!;

    public HttpClient Http { get; } = ArchiveHttp.CreateClient(TimeSpan.FromMinutes(5));

    public Uri DicomWeb => new(Server.BaseAddress, "dicomweb/");

    public string DataDirectory { get; private set; } = string.Empty;

    /// <summary>The object size limit the server runs with (0: none).</summary>
    protected virtual long MaxObjectSize => 0;

    /// <summary>Further server settings (environment keys without VNA_).</summary>
    protected virtual IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>();

    protected virtual string Name => "web";

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        var (admin, problem) = await TestPostgres.GetAsync();
        if (admin is null)
        {
            Unavailable = $"PostgreSQL is not available: {problem} (set VNA_TEST_PG, or run deploy/local/pg start)";
            if (TestPostgres.InCi)
            {
                throw new InvalidOperationException("CI=true, so this fails rather than skips: " + Unavailable);
            }

            return;
        }

        _scratch = new ScratchFolder("web-" + Name);
        Database = await TestDatabase.CreateAsync(admin, "vna_web", ct);
        DataDirectory = _scratch.Sub("data");
        var configuration = new Dictionary<string, string>(Settings);
        if (MaxObjectSize > 0)
        {
            configuration["Archive__MaxObjectSize"] = MaxObjectSize.ToString(CultureInfo.InvariantCulture);
        }

        Server = await ServerProcess.StartAsync(
            new ServerSettings
            {
                Name = Name,
                Postgres = Database.ConnectionString,
                WorkDirectory = _scratch.Path,
                DataDirectory = DataDirectory,
                Configuration = configuration,
            },
            ct);
        await OnStartedAsync(ct);
    }

    /// <summary>What a derived fixture stores before its tests run.</summary>
    protected virtual Task OnStartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }

        if (Database is not null)
        {
            await Database.DisposeAsync();
        }

        _scratch?.Dispose();
        GC.SuppressFinalize(this);
    }
}
