using System.Globalization;
using System.Text.Json.Nodes;
using Vna.Testing;

namespace Vna.Dimse.QueryRetrieve.Tests.Interop;

/// <summary>
/// The whole system in one loopback-only network namespace: the archive server (Vna.Server, PostgreSQL over its Unix
/// socket), DCMTK storescp as a move destination and Orthanc as a departmental PACS, with DCMTK's clients run in the same
/// namespace. Department "pacs" (calling AE titles ORTHANC and QRSCU) may do everything; its move destinations are
/// STORESCP and ORTHANC. Ports 41280–41289.
/// </summary>
public sealed class ArchiveInNamespace : IAsyncLifetime
{
    public const int HttpPort = 41280;
    public const int DimsePort = 41283;
    public const int StoreScpPort = 41284;
    public const int OrthancDicomPort = 41285;
    public const int OrthancHttpPort = 41286;

    private TestDatabase? _database;

    /// <summary>Why the fixture could not start (the tests skip with it, or fail under CI=true); null when it runs.</summary>
    public string? Unavailable { get; private set; }

    public NetworkNamespace Namespace { get; private set; } = null!;

    public ServerProcess Server { get; private set; } = null!;

    public PeerProcess StoreScp { get; private set; } = null!;

    public PeerProcess Orthanc { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public string Folder { get; } = Directory.CreateTempSubdirectory("vna-qr-system-").FullName;

    public string StoreScpFolder => Path.Combine(Folder, "storescp");

    public async ValueTask InitializeAsync()
    {
        var tools = new[] { "storescp", "storescu", "movescu", "findscu", "Orthanc" };
        var missing = tools.Where(t => !File.Exists("/usr/bin/" + t) && !File.Exists("/usr/sbin/" + t)).ToArray();
        if (missing.Length > 0)
        {
            Unavailable = $"{string.Join(", ", missing)} not installed (Debian packages dcmtk, orthanc)";
            return;
        }

        if (NetworkNamespace.Unavailable() is { } problem)
        {
            Unavailable = "no network namespace: " + problem;
            return;
        }

        var (admin, pgProblem) = await TestPostgres.GetAsync();
        if (admin is null)
        {
            Unavailable = "PostgreSQL: " + pgProblem;
            return;
        }

        var ct = TestContext.Current.CancellationToken;
        Namespace = NetworkNamespace.Create();
        Http = Namespace.CreateHttpClient(TimeSpan.FromSeconds(60));
        _database = await TestDatabase.CreateAsync(admin, "vna_qrsys", ct);
        var configuration = new Dictionary<string, string>
        {
            ["Archive__Departments__0__Name"] = "pacs",
            ["Archive__Departments__0__AeTitles__0"] = "ORTHANC",
            ["Archive__Departments__0__AeTitles__1"] = "QRSCU",
            ["Archive__Departments__0__MoveDestinations__0__AeTitle"] = "STORESCP",
            ["Archive__Departments__0__MoveDestinations__0__Host"] = "127.0.0.1",
            ["Archive__Departments__0__MoveDestinations__0__Port"] = StoreScpPort.ToString(CultureInfo.InvariantCulture),
            ["Archive__Departments__0__MoveDestinations__1__AeTitle"] = "ORTHANC",
            ["Archive__Departments__0__MoveDestinations__1__Host"] = "127.0.0.1",
            ["Archive__Departments__0__MoveDestinations__1__Port"] = OrthancDicomPort.ToString(CultureInfo.InvariantCulture),
        };
        Server = await ServerProcess.StartAsync(
            new ServerSettings
            {
                Name = "qr-system",
                Postgres = await NetworkNamespace.UnixSocketConnectionString(_database.ConnectionString, ct),
                WorkDirectory = Path.Combine(Folder, "server"),
                DataDirectory = Path.Combine(Folder, "server", "data"),
                HttpPort = HttpPort,
                SiloPort = 41281,
                GatewayPort = 41282,
                DimsePort = DimsePort,
                Namespace = Namespace,
                Configuration = configuration,
            },
            ct);
        await InteropRequirements.WaitForPortAsync(Namespace, DimsePort, ct);

        Directory.CreateDirectory(StoreScpFolder);
        StoreScp = PeerProcess.Start(Namespace, StoreScpFolder, "storescp", "-aet", "STORESCP", "-od", StoreScpFolder, StoreScpPort.ToString(CultureInfo.InvariantCulture));
        await InteropRequirements.WaitForPortAsync(Namespace, StoreScpPort, ct);

        var orthancFolder = Path.Combine(Folder, "orthanc");
        Directory.CreateDirectory(orthancFolder);
        var config = new JsonObject
        {
            ["Name"] = "qr-interop",
            ["StorageDirectory"] = Path.Combine(orthancFolder, "storage"),
            ["IndexDirectory"] = orthancFolder,
            ["HttpPort"] = OrthancHttpPort,
            ["DicomPort"] = OrthancDicomPort,
            ["DicomAet"] = "ORTHANC",
            ["RemoteAccessAllowed"] = false,
            ["AuthenticationEnabled"] = false,
            ["Plugins"] = new JsonArray(),
            ["DicomModalities"] = new JsonObject { ["vna"] = new JsonArray("VNA", "127.0.0.1", DimsePort) },
            ["DicomScuTimeout"] = 30,
        };
        var configPath = Path.Combine(orthancFolder, "orthanc.json");
        await File.WriteAllTextAsync(configPath, config.ToJsonString(), ct);
        Orthanc = PeerProcess.Start(Namespace, orthancFolder, "Orthanc", configPath);
        await InteropRequirements.WaitForPortAsync(Namespace, OrthancHttpPort, ct);
        await InteropRequirements.WaitForPortAsync(Namespace, OrthancDicomPort, ct);
    }

    /// <summary>Skips the test (fails under CI=true) when the fixture could not start.</summary>
    public void Require()
    {
        if (Unavailable is null)
        {
            return;
        }

        if (TestPostgres.InCi)
        {
            Assert.Fail(Unavailable + " (CI=true: failing instead of skipping)");
        }

        Assert.Skip(Unavailable);
    }

    /// <summary>Runs a DCMTK client in the namespace.</summary>
    public Task<ToolRun> RunAsync(string tool, params IEnumerable<string> arguments) =>
        PeerProcess.RunAsync(Namespace, Folder, TimeSpan.FromSeconds(90), tool, arguments);

    public async ValueTask DisposeAsync()
    {
        if (Orthanc is not null)
        {
            await Orthanc.DisposeAsync();
        }

        if (StoreScp is not null)
        {
            await StoreScp.DisposeAsync();
        }

        if (Server is not null)
        {
            await Server.DisposeAsync();
        }

        Http?.Dispose();
        Namespace?.Dispose();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // Files of a peer still closing; the temp folder is cleaned later.
        }
    }
}
