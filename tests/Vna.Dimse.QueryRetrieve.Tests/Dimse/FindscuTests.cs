using System.Text;
using Vna.Core;
using Vna.Dicom;
using Vna.Dimse.QueryRetrieve.Tests.Interop;

namespace Vna.Dimse.QueryRetrieve.Tests.Dimse;

/// <summary>DCMTK findscu against the C-FIND SCP: every level of both roots, wildcards, ranges, UID lists, non-ASCII names.</summary>
public sealed class FindscuTests : QrServerFixture
{
    private List<ArchivedInstance> _s1 = [];
    private List<ArchivedInstance> _s2 = [];
    private List<ArchivedInstance> _s3 = [];

    [Fact]
    public async Task Study_root_study_level_with_a_wildcard_name()
    {
        await SeedAsync();

        var responses = await FindAsync("-S", ["QueryRetrieveLevel=STUDY", "PatientName=MUELLER*", "StudyInstanceUID", "PatientID"]);

        var match = Assert.Single(responses);
        Assert.Equal(Study(_s1), match.GetString(DicomTag.StudyInstanceUID));
        Assert.Equal("QR1", match.GetString(DicomTag.PatientID));
    }

    [Fact]
    public async Task Study_root_study_level_with_a_date_range_and_a_uid_list()
    {
        await SeedAsync();

        var range = await FindAsync("-S", ["QueryRetrieveLevel=STUDY", "StudyDate=20240201-20240331", "StudyInstanceUID"]);
        var list = await FindAsync("-S", ["QueryRetrieveLevel=STUDY", $"StudyInstanceUID={Study(_s1)}\\{Study(_s3)}"]);

        Assert.Equal(new[] { Study(_s2), Study(_s3) }.Order(), range.Select(r => r.GetString(DicomTag.StudyInstanceUID)!).Order());
        Assert.Equal(new[] { Study(_s1), Study(_s3) }.Order(), list.Select(r => r.GetString(DicomTag.StudyInstanceUID)!).Order());
    }

    [Fact]
    public async Task Study_root_series_and_image_levels()
    {
        await SeedAsync();
        var series = _s1.Select(i => i.Stored.SeriesInstanceUid).Distinct().Order().ToArray();

        var seriesMatches = await FindAsync("-S", ["QueryRetrieveLevel=SERIES", $"StudyInstanceUID={Study(_s1)}", "SeriesInstanceUID", "Modality", "NumberOfSeriesRelatedInstances"]);
        var images = await FindAsync("-S", ["QueryRetrieveLevel=IMAGE", $"StudyInstanceUID={Study(_s1)}", $"SeriesInstanceUID={series[0]}", "SOPInstanceUID", "InstanceNumber"]);

        Assert.Equal(series, seriesMatches.Select(r => r.GetString(DicomTag.SeriesInstanceUID)!).Order());
        Assert.All(seriesMatches, r => Assert.Equal("2", r.GetString(DicomTag.NumberOfSeriesRelatedInstances)));
        Assert.Equal(
            _s1.Where(i => i.Stored.SeriesInstanceUid == series[0]).Select(i => i.Stored.SopInstanceUid).Order(),
            images.Select(r => r.GetString(DicomTag.SOPInstanceUID)!).Order());
    }

    [Fact]
    public async Task Patient_root_at_every_level()
    {
        await SeedAsync();

        var patients = await FindAsync("-P", ["QueryRetrieveLevel=PATIENT", "PatientID=QR?", "PatientName", "NumberOfPatientRelatedStudies"]);
        var studies = await FindAsync("-P", ["QueryRetrieveLevel=STUDY", "PatientID=QR1", "StudyInstanceUID"]);
        var series = await FindAsync("-P", ["QueryRetrieveLevel=SERIES", "PatientID=QR1", $"StudyInstanceUID={Study(_s1)}", "SeriesInstanceUID"]);
        var images = await FindAsync("-P", ["QueryRetrieveLevel=IMAGE", "PatientID=QR1", $"StudyInstanceUID={Study(_s1)}", $"SeriesInstanceUID={_s1[0].Stored.SeriesInstanceUid}", "SOPInstanceUID"]);

        Assert.Equal(["QR1", "QR2", "QR3"], patients.Select(r => r.GetString(DicomTag.PatientID)!).Order());
        Assert.All(patients, p => Assert.Equal("1", p.GetString(DicomTag.NumberOfPatientRelatedStudies)));
        Assert.Equal([Study(_s1)], studies.Select(r => r.GetString(DicomTag.StudyInstanceUID)));
        Assert.Equal(2, series.Count);
        Assert.Equal(2, images.Count);
        Assert.All(images, r => Assert.Equal("QR1", r.GetString(DicomTag.PatientID)));
    }

    [Fact]
    public async Task A_latin1_query_finds_a_latin1_name_and_gets_latin1_back()
    {
        await SeedAsync();
        var query = QueryFile("ISO_IR 100", "STUDY", "Müller*", Encoding.Latin1);

        var responses = await FindAsync("-S", ["StudyInstanceUID"], query);

        var match = Assert.Single(responses);
        Assert.Equal(Study(_s2), match.GetString(DicomTag.StudyInstanceUID));
        Assert.Equal("ISO_IR 100", match.GetString(DicomTag.SpecificCharacterSet));
        Assert.Equal("Müller^Jürgen", match.GetString(DicomTag.PatientName));
        Assert.StartsWith(Encoding.Latin1.GetString(Encoding.Latin1.GetBytes("Müller^Jürgen")), Encoding.Latin1.GetString(match.GetElement(DicomTag.PatientName)!.InlineValue.Span));
    }

    [Fact]
    public async Task A_utf8_query_finds_a_japanese_name_and_gets_utf8_back()
    {
        await SeedAsync();
        var query = QueryFile("ISO_IR 192", "STUDY", "山田*", Encoding.UTF8);

        var responses = await FindAsync("-S", ["StudyInstanceUID"], query);

        var match = Assert.Single(responses);
        Assert.Equal(Study(_s3), match.GetString(DicomTag.StudyInstanceUID));
        Assert.Equal("ISO_IR 192", match.GetString(DicomTag.SpecificCharacterSet));
        Assert.Equal("山田^太郎", match.GetString(DicomTag.PatientName));
    }

    [Fact]
    public async Task A_latin1_requester_gets_a_name_latin1_cannot_hold_in_utf8()
    {
        await SeedAsync();
        var query = QueryFile("ISO_IR 100", "STUDY", "", Encoding.Latin1);

        var responses = await FindAsync("-S", ["StudyInstanceUID", "PatientID=QR3"], query);

        var match = Assert.Single(responses);
        Assert.Equal("ISO_IR 192", match.GetString(DicomTag.SpecificCharacterSet));
        Assert.Equal("山田^太郎", match.GetString(DicomTag.PatientName));
    }

    [Fact]
    public async Task A_patient_level_query_on_the_study_root_is_refused_and_the_server_goes_on()
    {
        await SeedAsync();

        var refused = await RunToolAsync("findscu", ["-S", "-v", "-aet", "FINDSCU", "-aec", ServerAe, "-k", "QueryRetrieveLevel=PATIENT", "-k", "PatientID", "127.0.0.1", Port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        var echo = await RunToolAsync("echoscu", ["-aec", ServerAe, "127.0.0.1", Port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);

        Assert.Contains("Received Final Find Response (Error: DataSetDoesNotMatchSOPClass)", refused.All, StringComparison.Ordinal); // 0xA900
        Assert.Equal(0, echo.ExitCode);
    }

    [Fact]
    public async Task Cancel_after_two_responses_ends_with_fe00()
    {
        InteropRequirements.RequireTools("findscu");
        await ArchiveStudyAsync(9, 1, 40, a => a with { PatientId = "QRCANCEL" });
        QrOptions.FindPageSize = 1; // one index round trip per match: the C-CANCEL arrives long before the last

        var run = await RunToolAsync("findscu", ["-S", "-v", "-aet", "FINDSCU", "-aec", ServerAe, "--cancel", "2", "-k", "QueryRetrieveLevel=IMAGE", "-k", "PatientID=QRCANCEL", "-k", "SOPInstanceUID", "127.0.0.1", Port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);

        Assert.Contains("Received Final Find Response (Cancel: MatchingTerminatedDueToCancelRequest)", run.All, StringComparison.Ordinal);
        Assert.DoesNotContain("Find Response: 40 ", run.All, StringComparison.Ordinal);
    }

    private ToolRun? LastRun { get; set; }

    private static string Study(List<ArchivedInstance> study) => study[0].Stored.StudyInstanceUid;

    private async Task SeedAsync()
    {
        InteropRequirements.RequireTools("findscu", "echoscu");
        _s1 = await ArchiveStudyAsync(1, 2, 2, a => a with { PatientId = "QR1", PatientName = "MUELLER^HANS", StudyDate = "20240115" });
        _s2 = await ArchiveStudyAsync(2, 1, 1, a => a with { PatientId = "QR2", PatientName = "Müller^Jürgen", StudyDate = "20240220" });
        _s3 = await ArchiveStudyAsync(3, 1, 1, a => a with { PatientId = "QR3", PatientName = "山田^太郎", StudyDate = "20240301" });
    }

    /// <summary>A query file: Specific Character Set and a Patient Name key as the bytes of <paramref name="encoding"/>.</summary>
    private string QueryFile(string characterSet, string level, string name, Encoding encoding)
    {
        var dataset = new DicomDataset();
        dataset.AddOrUpdate(DicomTag.SpecificCharacterSet, DicomVR.CS, characterSet);
        dataset.AddOrUpdate(DicomTag.QueryRetrieveLevel, DicomVR.CS, level);
        var bytes = encoding.GetBytes(name);
        dataset.AddOrUpdate(new DicomElement(DicomTag.PatientName, DicomVR.PN, bytes.Length % 2 == 0 ? bytes : [.. bytes, (byte)' ']));
        var path = Path.Combine(WorkFolder, $"query-{Guid.NewGuid():N}.dcm");
        var meta = new DicomDataset();
        meta.AddOrUpdate(DicomTag.MediaStorageSOPClassUID, DicomVR.UI, QueryRetrieveSopClasses.StudyRootFind);
        meta.AddOrUpdate(DicomTag.MediaStorageSOPInstanceUID, DicomVR.UI, DicomUid.Generate());
        DicomWriter.WriteFileAsync(path, new DicomFile(meta, dataset, DicomTransferSyntax.ExplicitVRLittleEndian) { }, null, Ct).GetAwaiter().GetResult();
        return path;
    }

    private async Task<List<DicomDataset>> FindAsync(string model, string[] keys, string? queryFile = null)
    {
        var folder = Directory.CreateDirectory(Path.Combine(WorkFolder, "find-" + Guid.NewGuid().ToString("N"))).FullName;
        var arguments = new List<string> { model, "-aet", "FINDSCU", "-aec", ServerAe, "-X", "-od", folder };
        foreach (var key in keys)
        {
            arguments.Add("-k");
            arguments.Add(key);
        }

        arguments.Add("127.0.0.1");
        arguments.Add(Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (queryFile is not null)
        {
            arguments.Add(queryFile);
        }

        arguments.Insert(0, "-v");
        var run = await RunToolAsync("findscu", arguments);
        Assert.True(run.ExitCode == 0, run.All);
        LastRun = run;
        var responses = new List<DicomDataset>();
        foreach (var file in Directory.GetFiles(folder, "rsp*.dcm").Order())
        {
            using var read = await DicomReader.ReadFileAsync(file, cancellationToken: Ct);
            responses.Add(read.Dataset.Clone());
        }

        return responses;
    }
}
