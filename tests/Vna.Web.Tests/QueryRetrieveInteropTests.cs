using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Vna.Dicom;
using Vna.Testing;

namespace Vna.Web.Tests;

/// <summary>
/// One archive the other way round: a study stored by STOW-RS is found by DCMTK's findscu (C-FIND) and sent by movescu
/// (C-MOVE) to DCMTK's storescp, which receives the pixels that were stored. Everything runs in a loopback-only network
/// namespace (storescp listens on every interface): the server, storescp, the DCMTK tools and this test's HTTP client.
/// </summary>
public sealed class QueryRetrieveInteropTests
{
    private const string CallingAeTitle = "WEBQR";
    private const string DestinationAeTitle = "STORESCP";

    [Fact]
    public async Task Stow_then_cfind_and_cmove_from_dcmtk()
    {
        var ct = TestContext.Current.CancellationToken;
        var (admin, problem) = await TestPostgres.GetAsync();
        var missing = admin is null ? $"PostgreSQL is not available: {problem}"
            : NetworkNamespace.Unavailable() is { } ns ? $"no loopback-only network namespace ({ns})"
            : new[] { "findscu", "movescu", "storescp" }.FirstOrDefault(t => DimseInteropTests.Tool(t) is null) is { } tool ? $"DCMTK's {tool} is missing"
            : null;
        if (missing is not null)
        {
            if (TestPostgres.InCi)
            {
                Assert.Fail("CI=true, so this fails rather than skips: " + missing);
            }

            Assert.Skip(missing);
        }

        using var scratch = new ScratchFolder("web-qr");
        using var network = NetworkNamespace.Create();
        await using var database = await TestDatabase.CreateAsync(admin!, "vna_web", ct);
        var storePort = FreePorts.Next();
        var settings = await SettingsAsync("web-qr", database, scratch, network, CallingAeTitle, DestinationAeTitle, storePort, ct);
        await using var server = await ServerProcess.StartAsync(settings, ct);
        using var http = network.CreateHttpClient(TimeSpan.FromMinutes(2));
        var dicomWeb = new Uri(server.BaseAddress, "dicomweb/");

        var study = SyntheticCt.CreateStudy(960, 1, 2);
        var bodies = new List<byte[]>();
        foreach (var instance in study)
        {
            bodies.Add(await SyntheticCt.EncodeAsync(instance, ct));
        }

        var stored = await StowClient.StoreAsync(http, dicomWeb, bodies, ct);
        Assert.True(stored.Status == HttpStatusCode.OK, stored.ToString());
        var studyUid = study[0].Study.StudyInstanceUid;
        var dimsePort = settings.DimsePort.ToString(CultureInfo.InvariantCulture);

        // C-FIND at study level: one answer, with the study's patient and its two instances.
        var findFolder = scratch.Sub("find");
        var find = await RunAsync(network, findFolder, "findscu", "-S", "-X", "-aet", CallingAeTitle, "-aec", "VNA",
            "-k", "QueryRetrieveLevel=STUDY", "-k", $"StudyInstanceUID={studyUid}", "-k", "PatientID", "-k", "NumberOfStudyRelatedInstances",
            "127.0.0.1", dimsePort);
        Assert.True(find.ExitCode == 0, $"findscu: {find.Output}\n{server.LogTail(20)}");
        var answer = Assert.Single(Directory.GetFiles(findFolder, "rsp*.dcm"));
        using (var response = await DicomReader.ReadFileAsync(answer, null, ct))
        {
            Assert.Equal(study[0].Study.PatientId, response.Dataset.GetString(DicomTag.PatientID));
            Assert.Equal("2", response.Dataset.GetString(DicomTag.NumberOfStudyRelatedInstances));
        }

        // C-MOVE to storescp: both instances arrive with the pixels stored.
        var received = scratch.Sub("received");
        var storescp = Process.Start(Redirected(network.Wrap("storescp", "-aet", DestinationAeTitle, "-od", received, storePort.ToString(CultureInfo.InvariantCulture))))!;
        try
        {
            await WaitForPortAsync(network, storePort, ct);
            var move = await RunAsync(network, scratch.Path, "movescu", "-S", "-aet", CallingAeTitle, "-aec", "VNA", "-aem", DestinationAeTitle,
                "-k", "QueryRetrieveLevel=STUDY", "-k", $"StudyInstanceUID={studyUid}", "127.0.0.1", dimsePort);
            Assert.True(move.ExitCode == 0, $"movescu: {move.Output}\n{server.LogTail(20)}");
        }
        finally
        {
            storescp.Kill(entireProcessTree: true);
            await storescp.WaitForExitAsync(CancellationToken.None);
            storescp.Dispose();
        }

        var files = Directory.GetFiles(received);
        Assert.Equal(2, files.Length);
        foreach (var file in files)
        {
            using var moved = await DicomReader.ReadFileAsync(file, null, ct);
            var sent = study.Single(i => i.SopInstanceUid == moved.Dataset.GetString(DicomTag.SOPInstanceUID));
            var pixels = await moved.Dataset.GetElement(DicomTag.PixelData)!.GetValueAsync(ct);
            Assert.True(pixels.Span.SequenceEqual(SyntheticCt.ToDataset(sent).GetElement(DicomTag.PixelData)!.InlineValue.Span), "moved pixels differ from those stored");
        }
    }

    /// <summary>A server in <paramref name="network"/> whose one department is <paramref name="callingAeTitle"/>, with one move destination on <paramref name="storePort"/>.</summary>
    internal static async Task<ServerSettings> SettingsAsync(
        string name, TestDatabase database, ScratchFolder scratch, NetworkNamespace network, string callingAeTitle, string destinationAeTitle, int storePort, CancellationToken ct) => new()
    {
        Name = name,
        Postgres = await NetworkNamespace.UnixSocketConnectionString(database.ConnectionString, ct),
        WorkDirectory = scratch.Path,
        DataDirectory = scratch.Sub("data"),
        Namespace = network,
        Configuration = new Dictionary<string, string>
        {
            ["Archive__Departments__0__AeTitles__0"] = callingAeTitle,
            ["Archive__Departments__0__MoveDestinations__0__AeTitle"] = destinationAeTitle,
            ["Archive__Departments__0__MoveDestinations__0__Host"] = "127.0.0.1",
            ["Archive__Departments__0__MoveDestinations__0__Port"] = storePort.ToString(CultureInfo.InvariantCulture),
        },
    };

    internal static ProcessStartInfo Redirected(ProcessStartInfo start)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        return start;
    }

    internal static async Task<(int ExitCode, string Output)> RunAsync(NetworkNamespace network, string folder, string tool, params string[] arguments)
    {
        var start = Redirected(network.Wrap(tool, arguments));
        start.WorkingDirectory = folder;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await errors);
    }

    internal static async Task WaitForPortAsync(NetworkNamespace network, int port, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                using var socket = await network.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), ct);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50, ct);
            }
        }
    }
}
