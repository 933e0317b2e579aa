using System.Globalization;
using System.Text.Json;
using Vna.Core;
using Vna.Dicom;
using Vna.Dicom.Network;
using Vna.Dimse.QueryRetrieve.Tests.Interop;
using Vna.Testing;

namespace Vna.Dimse.QueryRetrieve.Tests.Dimse;

/// <summary><c>vna find|move|get|commit</c> (the built CLI, run as a process) against the query/retrieve services.</summary>
public sealed class CliTests : QrServerFixture
{
    private int _destinationPort;

    protected override void ConfigureArchive(ArchiveOptions archive)
    {
        _destinationPort = FreePorts.Next();
        var ops = new DepartmentOptions { Name = "operators" };
        ops.AeTitles.Add("VNACLI");
        ops.MoveDestinations.Add(new MoveDestinationOptions { AeTitle = "CAPTURE", Host = "127.0.0.1", Port = _destinationPort });
        archive.Departments.Add(ops);
    }

    [Fact]
    public async Task Vna_find_prints_one_json_object_per_match()
    {
        var study = await ArchiveStudyAsync(41, 1, 2, a => a with { PatientId = "CLI1", PatientName = "Øster^Åse" });

        var run = await VnaAsync("find", "-k", "PatientID=CLI1", "-k", "PatientName", "-k", "StudyInstanceUID");

        Assert.True(run.ExitCode == 0, run.All);
        var line = Assert.Single(run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        using var json = JsonDocument.Parse(line);
        Assert.Equal(study[0].Stored.StudyInstanceUid, json.RootElement.GetProperty("0020000D").GetProperty("Value")[0].GetString());
        Assert.Equal("Øster^Åse", json.RootElement.GetProperty("00100010").GetProperty("Value")[0].GetProperty("Alphabetic").GetString());
    }

    [Fact]
    public async Task Vna_get_writes_the_study_and_vna_commit_gets_every_instance_committed()
    {
        var study = await ArchiveStudyAsync(42, 1, 3);
        var folder = Path.Combine(WorkFolder, "cli-get");

        var get = await VnaAsync("get", "-L", "SERIES", "-k", $"StudyInstanceUID={study[0].Stored.StudyInstanceUid}", "-k", $"SeriesInstanceUID={study[0].Stored.SeriesInstanceUid}", "-o", folder);
        Assert.True(get.ExitCode == 0, get.All);
        var files = Directory.GetFiles(folder);
        Assert.Equal(3, files.Length);
        foreach (var instance in study)
        {
            var written = await File.ReadAllBytesAsync(Path.Combine(folder, instance.Stored.SopInstanceUid + ".dcm"), Ct);
            Assert.Equal(await DatasetHashAsync(instance.File), await DatasetHashAsync(written));
        }

        var commit = await VnaAsync(["commit", .. files]);
        Assert.True(commit.ExitCode == 0, commit.All);
        Assert.Contains("committed 3, failed 0", commit.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Vna_move_reports_counts_and_an_unknown_destination_is_refused()
    {
        var study = await ArchiveStudyAsync(43, 1, 2);
        var capture = new StorageCapture();
        var options = new DicomServerOptions();
        options.Endpoints.Add(new DicomEndpoint("127.0.0.1", _destinationPort));
        await using var destination = new DicomServer(options, new DimseServiceRegistry(capture));
        await destination.StartAsync(Ct);

        var move = await VnaAsync("move", "--dest", "CAPTURE", "-k", $"StudyInstanceUID={study[0].Stored.StudyInstanceUid}");
        var unknown = await VnaAsync("move", "--dest", "NOWHERE", "-k", $"StudyInstanceUID={study[0].Stored.StudyInstanceUid}");

        Assert.True(move.ExitCode == 0, move.All);
        Assert.Contains("final 0x0000: remaining -, completed 2, failed 0", move.Errors, StringComparison.Ordinal);
        Assert.Equal(2, capture.Received.Count);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("0xA801", unknown.Errors, StringComparison.Ordinal);
    }

    private Task<ToolRun> VnaAsync(params string[] arguments)
    {
        var dll = Path.Combine(RepositoryPaths.Root, "src", "Vna.Cli", "bin", "Release", "net10.0", "vna.dll");
        if (!File.Exists(dll))
        {
            dll = dll.Replace("Release", "Debug", StringComparison.Ordinal);
        }

        return RunToolAsync("dotnet", [dll, .. arguments, "--port", Port.ToString(CultureInfo.InvariantCulture), "--aet", "VNACLI", "--aec", ServerAe]);
    }
}
