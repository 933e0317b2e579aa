using Vna.Testing;

namespace Vna.Cli.Tests;

/// <summary>
/// The archive server for <c>vna import</c>'s tests: the built Vna.Server as a child process on a throwaway database and
/// data folder. Where PostgreSQL cannot be had the tests skip (and fail under CI=true).
/// </summary>
public sealed class ImportServerFixture : IAsyncLifetime
{
    private ScratchFolder? _scratch;

    public string? Unavailable { get; private set; }

    public TestDatabase Database { get; private set; } = null!;

    public ServerProcess Server { get; private set; } = null!;

    public string DataDirectory { get; private set; } = "";

    public HttpClient Http { get; } = ArchiveHttp.CreateClient();

    public void SkipIfUnavailable()
    {
        if (Unavailable is not null)
        {
            Assert.Skip(Unavailable);
        }
    }

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

        _scratch = new ScratchFolder("cli-import");
        Database = await TestDatabase.CreateAsync(admin, "vna_cli", ct);
        DataDirectory = _scratch.Sub("data");
        Server = await ServerProcess.StartAsync(
            new ServerSettings { Name = "cli-import", Postgres = Database.ConnectionString, WorkDirectory = _scratch.Path, DataDirectory = DataDirectory },
            ct);
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
