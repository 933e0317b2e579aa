using Vna.Core;
using Vna.Dicom;

namespace Vna.Dimse.QueryRetrieve.Tests;

/// <summary>Which instances a C-MOVE / C-GET selects, over the real PostgreSQL index.</summary>
public sealed class InstanceResolverTests : IndexFixture
{
    private string _study1 = string.Empty;
    private string _study2 = string.Empty;
    private string _series1a = string.Empty;
    private StoredInstance[] _instances = [];

    [Fact]
    public async Task A_patient_level_retrieve_selects_every_study_of_the_patient()
    {
        await SeedAsync();

        var found = await ResolveAsync(QueryRetrieveModel.PatientRoot, QrData.Identifier("PATIENT", (DicomTag.PatientID, "PR1")));

        Assert.Equal(_instances.Where(i => i.Attributes.PatientId == "PR1").Select(i => i.SopInstanceUid).Order(), found.Order());
    }

    [Fact]
    public async Task A_study_level_retrieve_takes_a_uid_list()
    {
        await SeedAsync();

        var found = await ResolveAsync(QueryRetrieveModel.StudyRoot, QrData.Identifier("STUDY", (DicomTag.StudyInstanceUID, _study1 + "\\" + _study2)));

        Assert.Equal(_instances.Length, found.Count);
    }

    [Fact]
    public async Task A_series_level_retrieve_selects_only_that_series()
    {
        await SeedAsync();

        var found = await ResolveAsync(QueryRetrieveModel.StudyRoot, QrData.Identifier("SERIES", (DicomTag.StudyInstanceUID, _study1), (DicomTag.SeriesInstanceUID, _series1a)));

        Assert.Equal(_instances.Where(i => i.SeriesInstanceUid == _series1a).Select(i => i.SopInstanceUid).Order(), found.Order());
    }

    [Fact]
    public async Task An_image_level_retrieve_selects_the_listed_instances_short_and_long_lists_alike()
    {
        await SeedAsync();
        var two = _instances.Take(2).Select(i => i.SopInstanceUid).ToArray();
        var all = _instances.Select(i => i.SopInstanceUid).ToArray();

        var foundTwo = await ResolveAsync(QueryRetrieveModel.StudyRoot, QrData.Identifier("IMAGE", (DicomTag.SOPInstanceUID, string.Join('\\', two))));
        var foundAll = await ResolveAsync(QueryRetrieveModel.StudyRoot, QrData.Identifier("IMAGE", (DicomTag.SOPInstanceUID, string.Join('\\', all))));

        Assert.Equal(two.Order(), foundTwo.Order());
        Assert.Equal(all.Order(), foundAll.Order());
    }

    [Fact]
    public async Task A_hidden_study_is_not_retrieved()
    {
        await SeedAsync();
        await Index.SetStudyLifecycleStateAsync(_study2, StudyLifecycleState.Rejected, Ct);

        var found = await ResolveAsync(QueryRetrieveModel.StudyRoot, QrData.Identifier("STUDY", (DicomTag.StudyInstanceUID, _study1 + "\\" + _study2)));

        Assert.All(found, sop => Assert.Equal(_study1, _instances.Single(i => i.SopInstanceUid == sop).StudyInstanceUid));
    }

    [Fact]
    public async Task Nothing_matches_an_unknown_uid()
    {
        await SeedAsync();

        Assert.Empty(await ResolveAsync(QueryRetrieveModel.StudyRoot, QrData.Identifier("STUDY", (DicomTag.StudyInstanceUID, "1.2.3.4.5.6.7.8.9"))));
    }

    private async Task SeedAsync()
    {
        (_study1, _study2, _series1a) = (QrData.Uid(), QrData.Uid(), QrData.Uid());
        var series1b = QrData.Uid();
        var series2 = QrData.Uid();
        _instances =
        [
            .. Enumerable.Range(0, 3).Select(_ => QrData.Instance(_study1, _series1a, attributes: a => a with { PatientId = "PR1" })),
            .. Enumerable.Range(0, 20).Select(_ => QrData.Instance(_study1, series1b, attributes: a => a with { PatientId = "PR1" })),
            .. Enumerable.Range(0, 2).Select(_ => QrData.Instance(_study2, series2, attributes: a => a with { PatientId = "PR2" })),
        ];
        await Index.UpsertInstancesAsync(_instances, Ct);
    }

    private async Task<List<string>> ResolveAsync(QueryRetrieveModel model, DicomDataset identifier)
    {
        var selection = RetrieveRequestParser.Parse(identifier, model, out var problem);
        Assert.Null(problem);
        var found = await new InstanceResolver(Index).ResolveAsync(selection!, Ct);
        return [.. found.Select(i => i.SopInstanceUid)];
    }
}
