using System.Diagnostics;
using System.Globalization;
using Vna.Core;
using Vna.Dicom;

namespace Vna.Index.Postgres.Tests;

/// <summary>A large study registered in batches: the cost of a batch must not grow with the study (timings printed, not asserted).</summary>
[Collection(TimingCollection.Name)]
public sealed class BatchScalingTests(ITestOutputHelper output) : IndexTestBase
{
    [Fact]
    public async Task Five_thousand_instances_of_one_study_in_batches_of_one_hundred()
    {
        // VNA_TEST_INDEX_INSTANCES raises the count for a longer look at the trend (default 5,000).
        var total = int.TryParse(Environment.GetEnvironmentVariable("VNA_TEST_INDEX_INSTANCES"), CultureInfo.InvariantCulture, out var n) && n >= 1000
            ? n / 100 * 100
            : 5000;
        const int batchSize = 100, seriesCount = 10;
        var study = TestData.Uid();
        var series = Enumerable.Range(0, seriesCount).Select(_ => TestData.Uid()).ToArray();
        var timings = new List<double>();
        var stopwatch = new Stopwatch();
        for (var start = 0; start < total; start += batchSize)
        {
            var batch = Enumerable.Range(start, batchSize)
                .Select(n => TestData.Instance(study, series[n % seriesCount], attributes: a => a with
                {
                    InstanceNumber = (n + 1).ToString(CultureInfo.InvariantCulture),
                    Modality = n % seriesCount == 0 ? "SR" : "CT",
                }))
                .ToArray();
            stopwatch.Restart();
            await Store.UpsertInstancesAsync(batch, Ct);
            timings.Add(stopwatch.Elapsed.TotalMilliseconds);
        }

        var match = Assert.Single((await QueryAsync(
            QueryLevel.Study,
            (DicomTag.StudyInstanceUID, study),
            (DicomTag.NumberOfStudyRelatedInstances, ""),
            (DicomTag.NumberOfStudyRelatedSeries, ""),
            (DicomTag.ModalitiesInStudy, ""))).Matches);
        Assert.Equal(total.ToString(CultureInfo.InvariantCulture), match.GetString(DicomTag.NumberOfStudyRelatedInstances));
        Assert.Equal("10", match.GetString(DicomTag.NumberOfStudyRelatedSeries));
        Assert.Equal(["CT", "SR"], match.GetStrings(DicomTag.ModalitiesInStudy));
        Assert.Equal(total, (await Store.GetStudyInstancesAsync(study, Ct)).Count);

        // Batch 1 creates the patient, study and series; report it apart from the steady state.
        var first10 = timings.Skip(1).Take(10).Average();
        var last10 = timings.TakeLast(10).Average();
        var report = string.Create(
            CultureInfo.InvariantCulture,
            $"{total:N0} instances, one study, {timings.Count} batches of {batchSize}: total {timings.Sum():F0} ms; first batch {timings[0]:F1} ms; "
            + $"batches 2-11 mean {first10:F2} ms; last 10 mean {last10:F2} ms (ratio {last10 / first10:F2}); "
            + $"median {Median(timings):F2} ms; max {timings.Max():F1} ms; per batch: {string.Join(' ', timings.Select(t => t.ToString("F1", CultureInfo.InvariantCulture)))}");
        output.WriteLine(report);
        TestContext.Current.SendDiagnosticMessage(report);
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }
}
