using Vna.Core;
using Vna.Dicom;

namespace Vna.Index.Postgres.Tests;

/// <summary>Batches registered at the same time: shared patients, and (should the single writer ever be two) one study.</summary>
public sealed class ConcurrencyTests : IndexTestBase
{
    [Fact]
    public async Task Concurrent_batches_of_one_patients_studies_keep_every_count()
    {
        var studies = Enumerable.Range(0, 8).Select(_ => TestData.Uid()).ToArray();
        var batches = studies
            .SelectMany(study => Enumerable.Range(0, 4).Select(_ =>
                Enumerable.Range(0, 25).Select(_ => TestData.Instance(study, TestData.Uid())).ToArray()))
            .ToArray();

        await Task.WhenAll(batches.Select(b => Task.Run(() => Store.UpsertInstancesAsync(b, Ct), Ct)));

        var result = await QueryAsync(
            QueryLevel.Study, (DicomTag.NumberOfStudyRelatedInstances, ""), (DicomTag.NumberOfStudyRelatedSeries, ""));
        Assert.Equal(8, result.TotalCount);
        Assert.All(result.Matches, m => Assert.Equal("100", m.GetString(DicomTag.NumberOfStudyRelatedInstances)));
        Assert.All(result.Matches, m => Assert.Equal("100", m.GetString(DicomTag.NumberOfStudyRelatedSeries)));
        Assert.Equal(1L, await Database.ScalarAsync("SELECT count(*) FROM patient", Ct));
    }

    [Fact]
    public async Task Overlapping_batches_of_one_study_do_not_double_count()
    {
        var study = TestData.Uid();
        var series = TestData.Uid();
        var instances = Enumerable.Range(0, 200).Select(_ => TestData.Instance(study, series)).ToArray();

        // Every instance is sent by two writers at once, in overlapping batches.
        var batches = Enumerable.Range(0, 8).Select(i => instances.Skip(i * 25).Take(50).ToArray())
            .Concat(Enumerable.Range(0, 4).Select(i => instances.Skip(i * 50).Take(50).ToArray()))
            .ToArray();
        await Task.WhenAll(batches.Select(b => Task.Run(() => Store.UpsertInstancesAsync(b, Ct), Ct)));

        var match = Assert.Single((await QueryAsync(QueryLevel.Study, (DicomTag.NumberOfStudyRelatedInstances, ""))).Matches);
        Assert.Equal("200", match.GetString(DicomTag.NumberOfStudyRelatedInstances));
        var series1 = Assert.Single((await QueryAsync(QueryLevel.Series, (DicomTag.NumberOfSeriesRelatedInstances, ""))).Matches);
        Assert.Equal("200", series1.GetString(DicomTag.NumberOfSeriesRelatedInstances));
    }
}
