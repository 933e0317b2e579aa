namespace Vna.Dimse.QueryRetrieve.Tests;

public sealed class SubOperationProgressTests
{
    [Fact]
    public void Counts_follow_the_store_statuses()
    {
        var progress = new SubOperationProgress(5);
        progress.Record("1.1", 0x0000);
        progress.Record("1.2", 0xB007);
        progress.Record("1.3", 0xA700);
        progress.RecordFailure("1.4");

        Assert.Equal((1, 1, 2, 1), (progress.Completed, progress.Warning, progress.Failed, progress.Remaining));
        Assert.Equal(["1.3", "1.4"], progress.FailedSopInstanceUids);
    }

    [Fact]
    public void The_final_status_is_success_b000_or_a702()
    {
        var all = new SubOperationProgress(2);
        all.Record("1", 0);
        all.Record("2", 0);
        Assert.Equal(QueryRetrieveStatus.Success, all.FinalStatus());

        var some = new SubOperationProgress(2);
        some.Record("1", 0);
        some.RecordFailure("2");
        Assert.Equal(QueryRetrieveStatus.SubOperationsCompleteWithFailures, some.FinalStatus());

        var warned = new SubOperationProgress(1);
        warned.Record("1", 0x0001);
        Assert.Equal(QueryRetrieveStatus.SubOperationsCompleteWithFailures, warned.FinalStatus());

        var none = new SubOperationProgress(2);
        none.RecordFailure("1");
        none.RecordFailure("2");
        Assert.Equal(QueryRetrieveStatus.OutOfResourcesSubOperations, none.FinalStatus());

        Assert.Equal(QueryRetrieveStatus.Success, new SubOperationProgress(0).FinalStatus());
    }

    [Fact]
    public void Counting_past_the_total_is_a_bug_and_throws()
    {
        var progress = new SubOperationProgress(1);
        progress.Record("1", 0);
        Assert.Throws<InvalidOperationException>(() => progress.Record("2", 0));
    }
}
