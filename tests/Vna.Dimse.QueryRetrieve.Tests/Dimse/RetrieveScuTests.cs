using System.Globalization;
using System.Security.Cryptography;
using Vna.Core;
using Vna.Dicom;
using Vna.Dicom.Network;
using Vna.Dimse.QueryRetrieve.Tests.Interop;
using Vna.Testing;

namespace Vna.Dimse.QueryRetrieve.Tests.Dimse;

/// <summary>DCMTK getscu and movescu against the C-GET / C-MOVE SCP; every object received is compared with the original.</summary>
public sealed class RetrieveScuTests : QrServerFixture
{
    private const string DestinationAe = "CAPTURE";
    private int _destinationPort;

    protected override void ConfigureArchive(ArchiveOptions archive)
    {
        _destinationPort = FreePorts.Next();
        var radiology = new DepartmentOptions { Name = "radiology" };
        radiology.AeTitles.Add("MOVESCU");
        radiology.AeTitles.Add("GETSCU");
        radiology.MoveDestinations.Add(new MoveDestinationOptions { AeTitle = DestinationAe, Host = "127.0.0.1", Port = _destinationPort });
        archive.Departments.Add(radiology);
        var modalities = new DepartmentOptions { Name = "modalities" };
        modalities.AeTitles.Add("MODALITY");
        modalities.AllowedOperations.Add("store");
        modalities.AllowedOperations.Add("query");
        archive.Departments.Add(modalities);
    }

    [Fact]
    public async Task Getscu_retrieves_a_study_byte_for_byte()
    {
        InteropRequirements.RequireTools("getscu");
        var study = await ArchiveStudyAsync(11, 2, 3);
        var folder = Directory.CreateDirectory(Path.Combine(WorkFolder, "get")).FullName;

        var run = await RunToolAsync("getscu", ["-S", "-v", "-aet", "GETSCU", "-aec", ServerAe, "-od", folder, "-k", "QueryRetrieveLevel=STUDY", "-k", $"StudyInstanceUID={study[0].Stored.StudyInstanceUid}", "127.0.0.1", PortText]);

        Assert.True(run.ExitCode == 0, run.All);
        var received = Directory.GetFiles(folder);
        Assert.Equal(6, received.Length);
        var expected = new HashSet<string>(await Task.WhenAll(study.Select(i => DatasetHashAsync(i.File))));
        foreach (var file in received)
        {
            Assert.Contains(await DatasetHashAsync(await File.ReadAllBytesAsync(file, Ct)), expected);
        }
    }

    [Fact]
    public async Task Getscu_retrieves_one_series_and_one_instance()
    {
        InteropRequirements.RequireTools("getscu");
        var study = await ArchiveStudyAsync(12, 2, 2);
        var series = study[0].Stored.SeriesInstanceUid;
        var seriesFolder = Directory.CreateDirectory(Path.Combine(WorkFolder, "series")).FullName;
        var imageFolder = Directory.CreateDirectory(Path.Combine(WorkFolder, "image")).FullName;

        var bySeries = await RunToolAsync("getscu", ["-S", "-aet", "GETSCU", "-aec", ServerAe, "-od", seriesFolder, "-k", "QueryRetrieveLevel=SERIES", "-k", $"StudyInstanceUID={study[0].Stored.StudyInstanceUid}", "-k", $"SeriesInstanceUID={series}", "127.0.0.1", PortText]);
        var byImage = await RunToolAsync("getscu", ["-P", "-aet", "GETSCU", "-aec", ServerAe, "-od", imageFolder, "-k", "QueryRetrieveLevel=IMAGE", "-k", $"PatientID={study[0].Stored.Attributes.PatientId}", "-k", $"StudyInstanceUID={study[0].Stored.StudyInstanceUid}", "-k", $"SeriesInstanceUID={series}", "-k", $"SOPInstanceUID={study[1].Stored.SopInstanceUid}", "127.0.0.1", PortText]);

        Assert.True(bySeries.ExitCode == 0 && byImage.ExitCode == 0, bySeries.All + byImage.All);
        Assert.Equal(2, Directory.GetFiles(seriesFolder).Length);
        var single = Assert.Single(Directory.GetFiles(imageFolder));
        Assert.Equal(await DatasetHashAsync(study[1].File), await DatasetHashAsync(await File.ReadAllBytesAsync(single, Ct)));
    }

    [Fact]
    public async Task Movescu_sends_a_study_to_the_configured_destination_with_pending_counts()
    {
        InteropRequirements.RequireTools("movescu");
        var study = await ArchiveStudyAsync(13, 1, 4);
        var capture = new StorageCapture();
        await using var destination = await StartDestinationAsync(capture);

        var run = await RunToolAsync("movescu", ["-S", "-v", "-aet", "MOVESCU", "-aec", ServerAe, "-aem", DestinationAe, "-k", "QueryRetrieveLevel=STUDY", "-k", $"StudyInstanceUID={study[0].Stored.StudyInstanceUid}", "127.0.0.1", PortText]);

        Assert.True(run.ExitCode == 0, run.All);
        Assert.Contains("Received Move Response 3 (Pending)", run.All, StringComparison.Ordinal);
        Assert.Contains("Received Final Move Response (Success)", run.All, StringComparison.Ordinal);
        Assert.Equal(4, capture.Received.Count);
        foreach (var instance in study)
        {
            var (syntax, dataset, originator) = capture.Received[instance.Stored.SopInstanceUid];
            Assert.Equal(DicomTransferSyntax.ExplicitVRLittleEndian.Uid, syntax);
            Assert.Equal("MOVESCU", originator);
            Assert.Equal(await DatasetHashAsync(instance.File), Convert.ToHexStringLower(SHA256.HashData(dataset)));
        }
    }

    [Fact]
    public async Task A_destination_that_takes_only_implicit_vr_gets_implicit_vr()
    {
        InteropRequirements.RequireTools("movescu");
        var study = await ArchiveStudyAsync(14, 1, 2);
        var capture = new StorageCapture { Accepts = [DicomTransferSyntax.ImplicitVRLittleEndian.Uid] };
        await using var destination = await StartDestinationAsync(capture);

        var run = await RunToolAsync("movescu", ["-S", "-aet", "MOVESCU", "-aec", ServerAe, "-aem", DestinationAe, "-k", "QueryRetrieveLevel=STUDY", "-k", $"StudyInstanceUID={study[0].Stored.StudyInstanceUid}", "127.0.0.1", PortText]);

        Assert.True(run.ExitCode == 0, run.All);
        Assert.All(capture.Received.Values, r => Assert.Equal(DicomTransferSyntax.ImplicitVRLittleEndian.Uid, r.TransferSyntax));
        using var sent = await DicomReader.ReadDatasetAsync(new MemoryStream(capture.Received[study[0].Stored.SopInstanceUid].Dataset), DicomTransferSyntax.ImplicitVRLittleEndian, cancellationToken: Ct);
        using var file = await DicomReader.ReadAsync(new MemoryStream(study[0].File), cancellationToken: Ct);
        Assert.Equal(
            (await file.Dataset.GetElement(DicomTag.PixelData)!.GetValueAsync(Ct)).ToArray(),
            (await sent.Dataset.GetElement(DicomTag.PixelData)!.GetValueAsync(Ct)).ToArray());
    }

    [Fact]
    public async Task An_unknown_move_destination_is_refused_with_a801_and_nothing_is_sent()
    {
        InteropRequirements.RequireTools("movescu", "echoscu");
        var study = await ArchiveStudyAsync(15, 1, 1);

        var run = await RunToolAsync("movescu", ["-S", "-v", "-aet", "MOVESCU", "-aec", ServerAe, "-aem", "ELSEWHERE", "-k", "QueryRetrieveLevel=STUDY", "-k", $"StudyInstanceUID={study[0].Stored.StudyInstanceUid}", "127.0.0.1", PortText]);
        var echo = await RunToolAsync("echoscu", ["-aec", ServerAe, "127.0.0.1", PortText]);

        Assert.Contains("MoveDestinationUnknown", run.All, StringComparison.Ordinal);
        Assert.Equal(0, echo.ExitCode);
    }

    [Fact]
    public async Task A_department_without_retrieve_permission_is_refused()
    {
        InteropRequirements.RequireTools("getscu");
        var study = await ArchiveStudyAsync(16, 1, 1);
        var folder = Directory.CreateDirectory(Path.Combine(WorkFolder, "refused")).FullName;

        var run = await RunToolAsync("getscu", ["-S", "-v", "-aet", "MODALITY", "-aec", ServerAe, "-od", folder, "-k", "QueryRetrieveLevel=STUDY", "-k", $"StudyInstanceUID={study[0].Stored.StudyInstanceUid}", "127.0.0.1", PortText]);

        Assert.Empty(Directory.GetFiles(folder));
        Assert.Contains("Received C-GET Response (Unknown Status: 0x124)", run.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_retrieve_without_its_unique_key_is_refused_with_a900()
    {
        InteropRequirements.RequireTools("getscu");
        await ArchiveStudyAsync(17, 1, 1);
        var folder = Directory.CreateDirectory(Path.Combine(WorkFolder, "nokey")).FullName;

        var run = await RunToolAsync("getscu", ["-S", "-v", "-aet", "GETSCU", "-aec", ServerAe, "-od", folder, "-k", "QueryRetrieveLevel=STUDY", "-k", "PatientName=*", "127.0.0.1", PortText]);

        Assert.Empty(Directory.GetFiles(folder));
        Assert.Contains("DataSetDoesNotMatchSOPClass", run.All, StringComparison.Ordinal);
    }

    private string PortText => Port.ToString(CultureInfo.InvariantCulture);

    private async Task<DicomServer> StartDestinationAsync(StorageCapture capture)
    {
        var options = new DicomServerOptions();
        options.Endpoints.Add(new DicomEndpoint("127.0.0.1", _destinationPort));
        var server = new DicomServer(options, new DimseServiceRegistry(capture));
        await server.StartAsync(Ct);
        return server;
    }
}
