using System.Globalization;
using System.Net;
using Vna.Dicom;
using Vna.Dicom.Network.Tests;
using Vna.Testing;

namespace Vna.Integration.Tests;

/// <summary>
/// No patient data in the server's log at its shipped level (Information): a patient whose every identifying value is a
/// marker is stored, found, retrieved and refused through every front end — HTTP, STOW-RS, DCMTK's storescu, findscu,
/// QIDO-RS, WADO-URI, bad input of several kinds — and not one marker may appear in what the server wrote.
/// </summary>
public sealed class PhiInLogsTests
{
    // Each marker is unique to this test; none is a substring of anything the server writes by itself.
    private const string FamilyName = "PHIFAMQX";
    private const string GivenName = "PHIGIVQX";
    private const string PatientId = "PHIPIDQX4471";
    private const string BirthDate = "19310817";
    private const string Accession = "PHIACCQX5521";
    private const string Referring = "PHIREFQX";
    private const string Description = "PHIDESCQX";
    private const string Institution = "PHIINSTQX";
    private const string SeriesDescription = "PHISERQX";

    private static readonly string[] s_markers =
        [FamilyName, GivenName, PatientId, BirthDate, Accession, Referring, Description, Institution, SeriesDescription];

    [Fact(Timeout = 300_000)]
    public async Task Storing_finding_retrieving_and_refusing_a_patient_leaves_none_of_its_values_in_the_log()
    {
        var ct = TestContext.Current.CancellationToken;
        var admin = await Postgres.RequireAsync();
        PeerTool.Require("storescu");
        PeerTool.Require("findscu");
        using var scratch = new ScratchFolder("it-phi-logs");
        await using var database = await TestDatabase.CreateAsync(admin, "vna_it", ct);
        await using var server = await ServerProcess.StartAsync(
            new ServerSettings
            {
                Name = "phi-logs",
                Postgres = database.ConnectionString,
                WorkDirectory = scratch.Path,
                DataDirectory = scratch.Sub("data"),
                Configuration = new Dictionary<string, string>
                {
                    ["Archive__Departments__0__Name"] = "radiology",
                    ["Archive__Departments__0__AeTitles__0"] = "STORESCU",
                    ["Archive__Departments__0__AeTitles__1"] = "FINDSCU",
                },
            },
            ct);
        using var http = ArchiveHttp.CreateClient();
        var study = SyntheticCt.NewStudy(4471) with
        {
            PatientName = $"{FamilyName}^{GivenName}",
            PatientId = PatientId,
            PatientBirthDate = BirthDate,
            AccessionNumber = Accession,
            ReferringPhysicianName = $"{Referring}^DOC",
            StudyDescription = Description,
            InstitutionName = Institution,
        };
        var series = DicomUid.Generate();
        var sops = Enumerable.Range(0, 5).Select(_ => DicomUid.Generate()).ToArray();
        SyntheticInstance Instance(int number) => new()
        {
            Study = study,
            SeriesInstanceUid = series,
            SopInstanceUid = sops[number],
            InstanceNumber = number,
            SeriesDescription = SeriesDescription,
            Rows = 64,
            Columns = 64,
        };

        // Stored through the admin API, STOW-RS and C-STORE (storescu); stored again (a duplicate).
        var first = await SyntheticCt.EncodeAsync(Instance(1), ct);
        Assert.Equal(HttpStatusCode.OK, (await ArchiveHttp.PostAsync(http, server.BaseAddress, first, ct)).StatusCode);
        _ = await ArchiveHttp.PostAsync(http, server.BaseAddress, first, ct);
        using (var body = MultipartDicom.Create(await SyntheticCt.EncodeAsync(Instance(2), ct)))
        using (var stow = await http.PostAsync(new Uri(server.BaseAddress, "dicomweb/studies"), body, ct))
        {
            Assert.Equal(HttpStatusCode.OK, stow.StatusCode);
        }

        var third = Path.Combine(scratch.Path, "third.dcm");
        await SyntheticCt.WriteAsync(Instance(3), third, ct);
        var dimse = server.Settings.DimsePort.ToString(CultureInfo.InvariantCulture);
        var store = await PeerTool.RunAsync("storescu", ["-aet", "STORESCU", "-aec", "VNA", "127.0.0.1", dimse, third], TimeSpan.FromSeconds(60), ct);
        Assert.True(store.ExitCode == 0, $"storescu: {store.Output}");

        // Found by C-FIND (findscu) and QIDO-RS on the patient's values, and retrieved by WADO-URI.
        var find = await PeerTool.RunAsync(
            "findscu",
            ["-v", "-S", "-aet", "FINDSCU", "-aec", "VNA", "-k", "QueryRetrieveLevel=STUDY", "-k", $"PatientName={FamilyName}*",
             "-k", $"PatientID={PatientId}", "-k", $"PatientBirthDate={BirthDate}", "-k", $"AccessionNumber={Accession}",
             "-k", "StudyInstanceUID", "-k", "NumberOfStudyRelatedInstances", "127.0.0.1", dimse],
            TimeSpan.FromSeconds(60),
            ct);
        Assert.True(find.ExitCode == 0, $"findscu: {find.Output}");
        Assert.Contains(study.StudyInstanceUid, find.Output, StringComparison.Ordinal);

        var qido = await http.GetStringAsync(
            new Uri(server.BaseAddress, $"dicomweb/studies?PatientName={FamilyName}*&PatientID={PatientId}&AccessionNumber={Accession}&includefield=all"), ct);
        Assert.Contains(study.StudyInstanceUid, qido, StringComparison.Ordinal);
        var wado = await http.GetByteArrayAsync(
            new Uri(server.BaseAddress, $"dicomweb/wado?requestType=WADO&studyUID={study.StudyInstanceUid}&seriesUID={series}&objectUID={Instance(1).SopInstanceUid}&contentType=application/dicom"), ct);
        Assert.True(wado.Length > 64 * 64 * 2);

        // Refused: a truncated object, an object with a malformed Study Instance UID (STOW-RS), and a stranger's C-STORE.
        var truncated = await ArchiveHttp.PostAsync(http, server.BaseAddress, first.AsSpan(0, first.Length - 3000).ToArray(), ct);
        Assert.Equal(HttpStatusCode.BadRequest, truncated.StatusCode);
        using (var body = MultipartDicom.Create(await SyntheticCt.EncodeAsync(Instance(4) with { StudyInstanceUid = "1.2.3.abc" }, ct)))
        using (var bad = await http.PostAsync(new Uri(server.BaseAddress, "dicomweb/studies"), body, ct))
        {
            Assert.False(bad.IsSuccessStatusCode, $"a malformed UID was accepted: {(int)bad.StatusCode}");
        }

        var stranger = await PeerTool.RunAsync("storescu", ["-aet", "STRANGER", "-aec", "VNA", "127.0.0.1", dimse, third], TimeSpan.FromSeconds(60), ct);
        Assert.NotEqual(0, stranger.ExitCode);

        // Three stored.
        Assert.Equal(3, await ArchiveHttp.GetStudyInstanceCountAsync(http, server.BaseAddress, study.StudyInstanceUid, ct));
        await Task.Delay(500, ct); // the console logger writes on its own thread
        var log = server.Log;
        // What was done is logged at Information (without the patient): the stores, the refusals.
        Assert.Contains("info: Vna.Core.StoreService[1] Stored an object from department radiology: Stored", log, StringComparison.Ordinal);
        Assert.Contains("Rejected an object from department default: CannotUnderstand", log, StringComparison.Ordinal);
        Assert.Contains("Rejected an object from department default: InvalidUid", log, StringComparison.Ordinal);
        Assert.Contains("Association rejected: calling AE title not recognized", log, StringComparison.Ordinal);
        foreach (var marker in s_markers)
        {
            var at = log.IndexOf(marker, StringComparison.OrdinalIgnoreCase);
            Assert.True(at < 0, $"the log holds patient data ({marker}): …{log.Substring(Math.Max(0, at - 200), Math.Min(400, log.Length - Math.Max(0, at - 200)))}…");
        }
    }
}
