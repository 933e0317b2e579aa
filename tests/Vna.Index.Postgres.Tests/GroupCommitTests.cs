using Vna.Core;
using Vna.Dicom;

namespace Vna.Index.Postgres.Tests;

/// <summary>Registrations of many studies at once share transactions; each caller still sees only its own outcome.</summary>
public sealed class GroupCommitTests : IndexTestBase
{
    [Fact]
    public async Task Concurrent_one_instance_studies_are_all_indexed_with_their_counts()
    {
        var instances = Enumerable.Range(0, 200).Select(_ => TestData.Instance(TestData.Uid(), TestData.Uid(), size: 700)).ToArray();

        await Task.WhenAll(instances.Select(i => Task.Run(() => Store.UpsertInstancesAsync([i], Ct), Ct)));

        var result = await QueryAsync(
            new IndexQuery { Level = QueryLevel.Study, Identifier = TestData.Identifier((DicomTag.NumberOfStudyRelatedInstances, "")), Limit = 1000 });
        Assert.Equal(200, result.TotalCount);
        Assert.All(result.Matches, m => Assert.Equal("1", m.GetString(DicomTag.NumberOfStudyRelatedInstances)));
        Assert.Equal(200L, await Database.ScalarAsync("SELECT count(*) FROM instance", Ct));
        Assert.Equal(200L * 700, await Database.ScalarAsync("SELECT sum(total_bytes)::bigint FROM study", Ct));
    }

    [Fact]
    public async Task A_batch_the_database_refuses_fails_alone_while_others_in_its_group_commit()
    {
        var good = Enumerable.Range(0, 40).Select(_ => TestData.Instance(TestData.Uid(), TestData.Uid())).ToArray();

        // PostgreSQL text cannot hold U+0000: this batch's transaction is refused whatever it is grouped with.
        var bad = TestData.Instance(TestData.Uid(), TestData.Uid()) with { Location = "studies/a\0b.dcm" };

        var goodTasks = good.Select(i => Task.Run(() => Store.UpsertInstancesAsync([i], Ct), Ct)).ToList();
        var badTask = Task.Run(() => Store.UpsertInstancesAsync([bad], Ct), Ct);

        await Task.WhenAll(goodTasks);
        await Assert.ThrowsAnyAsync<Exception>(() => badTask);
        Assert.Equal(40L, await Database.ScalarAsync("SELECT count(*) FROM instance", Ct));
        Assert.Equal(0L, await Database.ScalarAsync("SELECT count(*) FROM study WHERE study_instance_uid = $1", Ct, bad.StudyInstanceUid));
    }

    [Fact]
    public async Task Without_group_commit_every_batch_is_its_own_transaction_and_the_result_is_the_same()
    {
        await using var database = await IndexDatabase.CreateAsync(Ct);
        var store = new PostgresIndexStore(database.DataSource, new PostgresIndexOptions { GroupCommitMaxInstances = 0 });
        var instances = Enumerable.Range(0, 30).Select(_ => TestData.Instance(TestData.Uid(), TestData.Uid())).ToArray();

        await Task.WhenAll(instances.Select(i => Task.Run(() => store.UpsertInstancesAsync([i], Ct), Ct)));

        Assert.Equal(30L, await database.ScalarAsync("SELECT count(*) FROM instance", Ct));
        Assert.Equal(30L, await database.ScalarAsync("SELECT count(*) FROM study WHERE num_instances = 1", Ct));
    }
}
