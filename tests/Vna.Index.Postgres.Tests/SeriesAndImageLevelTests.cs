using Vna.Core;
using Vna.Dicom;

namespace Vna.Index.Postgres.Tests;

public sealed class SeriesAndImageLevelTests : IndexTestBase
{
    private string _study = string.Empty;
    private string _otherStudy = string.Empty;
    private string[] _series = [];
    private string[] _sops = [];

    /// <summary>
    /// Study 1 (DOE^JOHN, 20240115): series 0 CT #1 AXIAL CHEST (2 instances), series 1 CT #2 CORONAL CHEST (1), series 2
    /// MR #10 T1 SAG HEAD (1, cold). Study 2 (ROE^JANE, 20240301): series 3 MR #1 (1).
    /// </summary>
    private async Task SeedAsync()
    {
        _study = TestData.Uid();
        _otherStudy = TestData.Uid();
        _series = [TestData.Uid(), TestData.Uid(), TestData.Uid(), TestData.Uid()];
        _sops = [TestData.Uid(), TestData.Uid(), TestData.Uid(), TestData.Uid(), TestData.Uid()];
        await UpsertAsync(
            TestData.Instance(_study, _series[0], _sops[0], a => a with { InstanceNumber = "1" }),
            TestData.Instance(_study, _series[0], _sops[1], a => a with { InstanceNumber = "2" }),
            TestData.Instance(_study, _series[1], _sops[2], a => a with { SeriesNumber = "2", SeriesDescription = "CORONAL", PerformedProcedureStepStartTime = "1130" }),
            TestData.Instance(_study, _series[2], _sops[3], a => a with
            {
                Modality = "MR", SeriesNumber = "10", SeriesDescription = "T1 SAG", BodyPartExamined = "HEAD",
                PerformedProcedureStepStartDate = "20240116", PerformedProcedureStepStartTime = "0900", SopClassUid = TestData.MrImageStorage,
            }, tier: StorageTier.Cold));
        await UpsertAsync(
            TestData.Instance(_otherStudy, _series[3], _sops[4], a => a with
            {
                PatientId = "P2", PatientName = "ROE^JANE", StudyDate = "20240301", Modality = "MR", SopClassUid = TestData.MrImageStorage,
            }));
    }

    private async Task<string[]> SeriesAsync(params (DicomTag Tag, string Value)[] keys) =>
        ValuesOf(await QueryAsync(QueryLevel.Series, keys), DicomTag.SeriesInstanceUID);

    private async Task<string[]> ImagesAsync(params (DicomTag Tag, string Value)[] keys) =>
        ValuesOf(await QueryAsync(QueryLevel.Image, keys), DicomTag.SOPInstanceUID);

    [Fact]
    public async Task Series_keys_match_every_way()
    {
        await SeedAsync();

        Assert.Equal([_series[0], _series[1]], await SeriesAsync((DicomTag.Modality, "CT")));
        Assert.Equal(_series, await SeriesAsync((DicomTag.Modality, "CT\\MR")));
        Assert.Equal([_series[2]], await SeriesAsync((DicomTag.SeriesNumber, "010")));
        Assert.Equal([_series[2]], await SeriesAsync((DicomTag.SeriesDescription, "*SAG")));
        Assert.Equal([_series[1]], await SeriesAsync((DicomTag.SeriesDescription, "C?RONAL")));
        Assert.Equal([_series[2]], await SeriesAsync((DicomTag.BodyPartExamined, "HEAD")));
        Assert.Equal([_series[2]], await SeriesAsync((DicomTag.PerformedProcedureStepStartDate, "20240116-")));
        Assert.Equal([_series[0], _series[2], _series[3]], await SeriesAsync((DicomTag.PerformedProcedureStepStartTime, "-1059")));
        Assert.Equal([_series[0], _series[3]], await SeriesAsync((DicomTag.SeriesInstanceUID, $"{_series[3]}\\{_series[0]}")));
        Assert.Equal([_series[0], _series[1], _series[2]], await SeriesAsync((DicomTag.StudyInstanceUID, _study)));
    }

    [Fact]
    public async Task Series_level_matches_study_and_patient_keys_and_returns_the_upper_unique_keys()
    {
        await SeedAsync();

        var result = await QueryAsync(
            QueryLevel.Series,
            (DicomTag.PatientName, "roe*"),
            (DicomTag.StudyDate, "20240201-"),
            (DicomTag.NumberOfSeriesRelatedInstances, ""),
            (DicomTag.Modality, ""));

        var match = Assert.Single(result.Matches);
        Assert.Equal("SERIES", match.GetString(DicomTag.QueryRetrieveLevel));
        Assert.Equal(_otherStudy, match.GetString(DicomTag.StudyInstanceUID));
        Assert.Equal(_series[3], match.GetString(DicomTag.SeriesInstanceUID));
        Assert.Equal("MR", match.GetString(DicomTag.Modality));
        Assert.Equal("1", match.GetString(DicomTag.NumberOfSeriesRelatedInstances));

        var counts = await QueryAsync(QueryLevel.Series, (DicomTag.StudyInstanceUID, _study), (DicomTag.NumberOfSeriesRelatedInstances, ""));
        Assert.Equal(["2", "1", "1"], ValuesOf(counts, DicomTag.NumberOfSeriesRelatedInstances));

        var availability = await QueryAsync(QueryLevel.Series, (DicomTag.StudyInstanceUID, _study), (DicomTag.InstanceAvailability, ""));
        Assert.Equal(["ONLINE", "ONLINE", "NEARLINE"], ValuesOf(availability, DicomTag.InstanceAvailability));
    }

    [Fact]
    public async Task Image_keys_match_every_way()
    {
        await SeedAsync();

        Assert.Equal([_sops[1], _sops[3]], await ImagesAsync((DicomTag.SOPInstanceUID, $"{_sops[1]}\\{_sops[3]}")));
        Assert.Equal([_sops[3], _sops[4]], await ImagesAsync((DicomTag.SOPClassUID, TestData.MrImageStorage)));
        Assert.Equal([_sops[1]], await ImagesAsync((DicomTag.SeriesInstanceUID, _series[0]), (DicomTag.InstanceNumber, "2")));
        Assert.Equal([_sops[3]], await ImagesAsync((DicomTag.InstanceAvailability, "NEARLINE")));
        Assert.Equal(_sops, await ImagesAsync((DicomTag.AvailableTransferSyntaxUID, TestData.ExplicitVrLittleEndian)));
        Assert.Equal([_sops[2]], await ImagesAsync((DicomTag.SeriesDescription, "CORONAL")));
        Assert.Equal([_sops[4]], await ImagesAsync((DicomTag.PatientName, "ROE^JANE")));
    }

    [Fact]
    public async Task Image_level_returns_the_unique_keys_of_every_level()
    {
        await SeedAsync();

        var studyRoot = await QueryAsync(QueryLevel.Image, (DicomTag.SOPInstanceUID, _sops[3]), (DicomTag.InstanceAvailability, ""), (DicomTag.InstanceNumber, ""));
        var match = Assert.Single(studyRoot.Matches);
        Assert.Equal("IMAGE", match.GetString(DicomTag.QueryRetrieveLevel));
        Assert.Equal(_study, match.GetString(DicomTag.StudyInstanceUID));
        Assert.Equal(_series[2], match.GetString(DicomTag.SeriesInstanceUID));
        Assert.Equal("NEARLINE", match.GetString(DicomTag.InstanceAvailability));
        Assert.Equal("1", match.GetString(DicomTag.InstanceNumber));
        Assert.False(match.Contains(DicomTag.PatientID));

        var patientRoot = await QueryAsync(TestData.Query(QueryLevel.Image, (DicomTag.SOPInstanceUID, _sops[4])) with { PatientRoot = true });
        var patientMatch = Assert.Single(patientRoot.Matches);
        Assert.Equal("P2", patientMatch.GetString(DicomTag.PatientID));
        Assert.Equal("HOSP", patientMatch.GetString(DicomTag.IssuerOfPatientID));
        Assert.Equal(_otherStudy, patientMatch.GetString(DicomTag.StudyInstanceUID));
    }
}
