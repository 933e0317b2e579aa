using Vna.Testing;

namespace Vna.Integration.Tests;

/// <summary>
/// One server (objects over 1 MiB refused) with one good study of three instances stored before the bad input arrives, so
/// each test can check that nothing else was disturbed.
/// </summary>
public sealed class BadInputFixture : IAsyncLifetime
{
    public const long MaxObjectSize = 1024 * 1024;

    private ScratchFolder? _scratch;

    public string? Unavailable { get; private set; }

    public TestDatabase Database { get; private set; } = null!;

    public ServerProcess Server { get; private set; } = null!;

    public HttpClient Http { get; } = ArchiveHttp.CreateClient();

    public string DataDirectory { get; private set; } = "";

    /// <summary>The good instances and the SHA-256 of each (as sent and as acknowledged).</summary>
    public IReadOnlyList<SyntheticInstance> Good { get; private set; } = [];

    public Dictionary<string, string> GoodSha256 { get; } = new(StringComparer.Ordinal);

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

        _scratch = new ScratchFolder("it-bad-input");
        Database = await TestDatabase.CreateAsync(admin, "vna_it", ct);
        DataDirectory = _scratch.Sub("data");
        Server = await ServerProcess.StartAsync(
            new ServerSettings
            {
                Name = "bad-input",
                Postgres = Database.ConnectionString,
                WorkDirectory = _scratch.Path,
                DataDirectory = DataDirectory,
                Configuration = new Dictionary<string, string> { ["Archive__MaxObjectSize"] = MaxObjectSize.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            },
            ct);

        Good = SyntheticCt.CreateStudy(900, 1, 3);
        foreach (var instance in Good)
        {
            var bytes = await SyntheticCt.EncodeAsync(instance, ct);
            var result = await ArchiveHttp.PostAsync(Http, Server.BaseAddress, bytes, ct);
            if (!result.Acknowledged || result.Status != "Stored" || result.Sha256 != SyntheticCt.Sha256(bytes))
            {
                throw new InvalidOperationException($"The good instances could not be stored: {result}\n{Server.LogTail()}");
            }

            GoodSha256[instance.SopInstanceUid!] = result.Sha256;
        }
    }

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
    }
}
