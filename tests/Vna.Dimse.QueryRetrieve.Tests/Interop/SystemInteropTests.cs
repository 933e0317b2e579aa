using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Vna.Dicom.Network;
using Vna.Testing;

namespace Vna.Dimse.QueryRetrieve.Tests.Interop;

/// <summary>
/// The running archive with DCMTK and Orthanc as peers, all in one loopback-only network namespace: movescu to a
/// storescp destination (compared by hash), findscu over the real listener, and Orthanc as a departmental PACS that
/// stores a study, asks for storage commitment and gets success, then queries the archive and moves a study to itself.
/// </summary>
public sealed class SystemInteropTests(ArchiveInNamespace archive) : IClassFixture<ArchiveInNamespace>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Movescu_sends_a_stored_study_to_storescp_and_every_file_matches_the_original()
    {
        archive.Require();
        var (study, files) = await WriteStudyAsync(31, 2, 3);
        var store = await archive.RunAsync("storescu", ["-aet", "QRSCU", "-aec", "VNA", "127.0.0.1", Dimse, .. files.Keys]);
        Assert.True(store.ExitCode == 0, store.All);

        var find = await archive.RunAsync("findscu", ["-S", "-v", "-aet", "QRSCU", "-aec", "VNA", "-k", "QueryRetrieveLevel=STUDY", "-k", $"StudyInstanceUID={study}", "-k", "NumberOfStudyRelatedInstances", "127.0.0.1", Dimse]);
        Assert.Contains("[6 ]", find.All, StringComparison.Ordinal);

        var move = await archive.RunAsync("movescu", ["-S", "-v", "-aet", "QRSCU", "-aec", "VNA", "-aem", "STORESCP", "-k", "QueryRetrieveLevel=STUDY", "-k", $"StudyInstanceUID={study}", "127.0.0.1", Dimse]);

        Assert.True(move.ExitCode == 0, move.All);
        Assert.Contains("Received Final Move Response (Success)", move.All, StringComparison.Ordinal);
        var received = Directory.GetFiles(archive.StoreScpFolder).Where(f => !f.EndsWith(".dcm.tmp", StringComparison.Ordinal)).ToArray();
        var originals = new HashSet<string>(await Task.WhenAll(files.Keys.Select(async f => await DatasetHashAsync(f))));
        var matched = 0;
        foreach (var file in received)
        {
            if (originals.Contains(await DatasetHashAsync(file)))
            {
                matched++;
            }
        }

        Assert.Equal(6, matched);
    }

    [Fact]
    public async Task Orthanc_stores_a_study_asks_for_storage_commitment_and_gets_success()
    {
        archive.Require();
        var (_, files) = await WriteStudyAsync(32, 1, 3);
        string? orthancStudy = null;
        var instances = new JsonArray();
        foreach (var (path, sop) in files)
        {
            using var content = new ByteArrayContent(await File.ReadAllBytesAsync(path, Ct));
            using var upload = await archive.Http.PostAsync(Orthanc("instances"), content, Ct);
            upload.EnsureSuccessStatusCode();
            orthancStudy = (await upload.Content.ReadFromJsonAsync<JsonObject>(Ct))!["ParentStudy"]!.GetValue<string>();
            instances.Add(new JsonObject { ["SOPClassUID"] = SyntheticCt.CtImageStorage, ["SOPInstanceUID"] = sop });
        }

        using var store = await archive.Http.PostAsJsonAsync(Orthanc("modalities/vna/store"), new JsonObject { ["Resources"] = new JsonArray(orthancStudy), ["Synchronous"] = true }, Ct);
        Assert.True(store.IsSuccessStatusCode, await store.Content.ReadAsStringAsync(Ct));

        using var commit = await archive.Http.PostAsJsonAsync(Orthanc("modalities/vna/storage-commitment"), new JsonObject { ["DicomInstances"] = instances }, Ct);
        Assert.True(commit.IsSuccessStatusCode, await commit.Content.ReadAsStringAsync(Ct));
        var transaction = (await commit.Content.ReadFromJsonAsync<JsonObject>(Ct))!["ID"]!.GetValue<string>();

        JsonObject? report = null;
        for (var i = 0; i < 200; i++)
        {
            report = await archive.Http.GetFromJsonAsync<JsonObject>(Orthanc($"storage-commitment/{transaction}"), Ct);
            if (report!["Status"]!.GetValue<string>() != "Pending")
            {
                break;
            }

            await Task.Delay(100, Ct);
        }

        Assert.True(report!["Status"]!.GetValue<string>() == "Success", report.ToJsonString() + "\n" + archive.Server.LogTail(30));
        Assert.Equal(3, report["Success"]!.AsArray().Count);
    }

    [Fact]
    public async Task Orthanc_queries_the_archive_and_moves_a_study_to_itself()
    {
        archive.Require();
        var (study, files) = await WriteStudyAsync(33, 1, 4);
        var store = await archive.RunAsync("storescu", ["-aet", "QRSCU", "-aec", "VNA", "127.0.0.1", Dimse, .. files.Keys]);
        Assert.True(store.ExitCode == 0, store.All);

        using var query = await archive.Http.PostAsJsonAsync(
            Orthanc("modalities/vna/query"),
            new JsonObject { ["Level"] = "Study", ["Query"] = new JsonObject { ["StudyInstanceUID"] = study, ["PatientName"] = "", ["NumberOfStudyRelatedInstances"] = "" } },
            Ct);
        Assert.True(query.IsSuccessStatusCode, await query.Content.ReadAsStringAsync(Ct));
        var queryId = (await query.Content.ReadFromJsonAsync<JsonObject>(Ct))!["ID"]!.GetValue<string>();
        var answers = await archive.Http.GetFromJsonAsync<JsonArray>(Orthanc($"queries/{queryId}/answers"), Ct);
        Assert.Single(answers!);
        var answer = await archive.Http.GetFromJsonAsync<JsonObject>(Orthanc($"queries/{queryId}/answers/0/content?simplify"), Ct);
        Assert.Equal(study, answer!["StudyInstanceUID"]!.GetValue<string>());
        Assert.Equal("4", answer["NumberOfStudyRelatedInstances"]!.GetValue<string>());

        using var retrieve = await archive.Http.PostAsJsonAsync(Orthanc($"queries/{queryId}/answers/0/retrieve"), new JsonObject { ["TargetAet"] = "ORTHANC", ["Synchronous"] = true }, Ct);
        Assert.True(retrieve.IsSuccessStatusCode, await retrieve.Content.ReadAsStringAsync(Ct) + "\n" + archive.Server.LogTail(30));

        using var lookup = await archive.Http.PostAsync(Orthanc("tools/lookup"), new StringContent(study), Ct);
        var found = await lookup.Content.ReadFromJsonAsync<JsonArray>(Ct);
        var orthancStudy = Assert.Single(found!)!["ID"]!.GetValue<string>();
        var received = await archive.Http.GetFromJsonAsync<JsonArray>(Orthanc($"studies/{orthancStudy}/instances"), Ct);
        Assert.Equal(4, received!.Count);
    }

    private static string Dimse => ArchiveInNamespace.DimsePort.ToString(CultureInfo.InvariantCulture);

    private static Uri Orthanc(string path) => new($"http://127.0.0.1:{ArchiveInNamespace.OrthancHttpPort}/{path}");

    private async Task<(string Study, Dictionary<string, string> Files)> WriteStudyAsync(int number, int series, int perSeries)
    {
        var folder = Directory.CreateDirectory(Path.Combine(archive.Folder, "in-" + number.ToString(CultureInfo.InvariantCulture))).FullName;
        var files = new Dictionary<string, string>();
        string study = string.Empty;
        foreach (var instance in SyntheticCt.CreateStudy(number, series, perSeries))
        {
            var small = instance with { Rows = 64, Columns = 64 };
            var path = Path.Combine(folder, small.SopInstanceUid + ".dcm");
            await SyntheticCt.WriteAsync(small, path, Ct);
            files[path] = small.SopInstanceUid!;
            study = small.Study.StudyInstanceUid;
        }

        return (study, files);
    }

    private static async Task<string> DatasetHashAsync(string path)
    {
        await using var stream = File.OpenRead(path);
        var (dataset, _) = await Part10Header.SkipAsync(stream, CancellationToken.None);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(dataset, CancellationToken.None));
    }
}
