using Vna.Core;
using Vna.Dicom;

namespace Vna.Index.Postgres.Tests;

/// <summary>With combined date-time matching on, a date range and a time range of the same form are one datetime range.</summary>
public sealed class CombinedDateTimeTests : IndexTestBase
{
    protected override PostgresIndexOptions Options => new() { CombinedDateTimeMatching = true };

    [Fact]
    public async Task Date_and_time_ranges_combine_into_one_datetime_range()
    {
        var lateEvening = TestData.Uid();
        var earlyMorning = TestData.Uid();
        var morning = TestData.Uid();
        var evening = TestData.Uid();
        await UpsertAsync(
            TestData.Instance(lateEvening, TestData.Uid(), attributes: a => a with { StudyDate = "20240110", StudyTime = "2300" }),
            TestData.Instance(earlyMorning, TestData.Uid(), attributes: a => a with { StudyDate = "20240111", StudyTime = "055959" }),
            TestData.Instance(morning, TestData.Uid(), attributes: a => a with { StudyDate = "20240111", StudyTime = "0800" }),
            TestData.Instance(evening, TestData.Uid(), attributes: a => a with { StudyDate = "20240110", StudyTime = "2100" }));

        var night = await QueryAsync(QueryLevel.Study, (DicomTag.StudyDate, "20240110-20240111"), (DicomTag.StudyTime, "2200-0559"));
        Assert.Equal([lateEvening, earlyMorning], ValuesOf(night, DicomTag.StudyInstanceUID));

        var since = await QueryAsync(QueryLevel.Study, (DicomTag.StudyDate, "20240110-"), (DicomTag.StudyTime, "2200-"));
        Assert.Equal([lateEvening, earlyMorning, morning], ValuesOf(since, DicomTag.StudyInstanceUID));

        var until = await QueryAsync(QueryLevel.Study, (DicomTag.StudyDate, "-20240111"), (DicomTag.StudyTime, "-0600"));
        Assert.Equal([lateEvening, earlyMorning, evening], ValuesOf(until, DicomTag.StudyInstanceUID));

        // Different forms (a single date, a time range) are matched separately.
        var separate = await QueryAsync(QueryLevel.Study, (DicomTag.StudyDate, "20240110"), (DicomTag.StudyTime, "2200-2359"));
        Assert.Equal([lateEvening], ValuesOf(separate, DicomTag.StudyInstanceUID));
    }
}
