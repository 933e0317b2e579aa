using Vna.Core;
using Vna.Dicom;

namespace Vna.Index.Postgres.Tests;

public sealed class PagingTests : IndexTestBase
{
    protected override PostgresIndexOptions Options => new() { MaxPageSize = 20 };

    private async Task<string[]> StudiesAsync(int count)
    {
        var uids = Enumerable.Range(0, count).Select(_ => TestData.Uid()).ToArray();
        await Store.UpsertInstancesAsync(uids.Select(u => TestData.Instance(u, TestData.Uid())).ToArray(), Ct);
        return uids;
    }

    [Fact]
    public async Task Universal_matching_returns_every_study()
    {
        var uids = await StudiesAsync(15);

        var result = await QueryAsync(QueryLevel.Study, (DicomTag.PatientName, ""), (DicomTag.StudyDate, ""), (DicomTag.ModalitiesInStudy, "*"));

        Assert.Equal(15, result.TotalCount);
        Assert.Equal(uids, ValuesOf(result, DicomTag.StudyInstanceUID));
        Assert.All(result.Matches, m => Assert.Equal("DOE^JOHN", m.GetString(DicomTag.PatientName)));
    }

    [Fact]
    public async Task Pages_cover_every_match_once_with_the_total_count()
    {
        var uids = await StudiesAsync(25);

        var pages = new List<string>();
        for (var offset = 0; offset < 30; offset += 10)
        {
            var page = await QueryAsync(TestData.Query(QueryLevel.Study, (DicomTag.StudyDate, "20240101-")) with { Offset = offset, Limit = 10 });
            Assert.Equal(25, page.TotalCount);
            Assert.Equal(Math.Min(10, 25 - offset), page.Matches.Count);
            pages.AddRange(ValuesOf(page, DicomTag.StudyInstanceUID));
        }

        Assert.Equal(uids, pages);

        var beyond = await QueryAsync(TestData.Query(QueryLevel.Study) with { Offset = 100, Limit = 10 });
        Assert.Empty(beyond.Matches);
        Assert.Equal(25, beyond.TotalCount);

        var countOnly = await QueryAsync(TestData.Query(QueryLevel.Study) with { Limit = 0 });
        Assert.Empty(countOnly.Matches);
        Assert.Equal(25, countOnly.TotalCount);
    }

    [Fact]
    public async Task The_page_size_is_capped()
    {
        await StudiesAsync(25);

        Assert.Equal(20, (await QueryAsync(TestData.Query(QueryLevel.Study))).Matches.Count);
        Assert.Equal(20, (await QueryAsync(TestData.Query(QueryLevel.Study) with { Limit = 1000 })).Matches.Count);
        Assert.Equal(5, (await QueryAsync(TestData.Query(QueryLevel.Study) with { Offset = 20, Limit = 1000 })).Matches.Count);
    }

    [Fact]
    public async Task Negative_offsets_and_limits_are_refused()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => QueryAsync(TestData.Query(QueryLevel.Study) with { Offset = -1 }));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => QueryAsync(TestData.Query(QueryLevel.Study) with { Limit = -1 }));
    }
}
