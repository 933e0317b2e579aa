namespace Vna.Dimse.QueryRetrieve.Tests;

public sealed class CommitmentRetryDelayTests
{
    [Fact]
    public void The_wait_doubles_per_failed_attempt_up_to_the_maximum()
    {
        var settings = new QueryRetrieveOptions
        {
            CommitmentReportRetryInterval = TimeSpan.FromSeconds(10),
            CommitmentReportMaxRetryInterval = TimeSpan.FromMinutes(10),
        };

        var waits = Enumerable.Range(1, 9).Select(attempt => CommitmentReportSender.RetryDelay(attempt, settings).TotalSeconds);

        Assert.Equal([10, 20, 40, 80, 160, 320, 600, 600, 600], waits);
        Assert.Equal(TimeSpan.FromMinutes(10), CommitmentReportSender.RetryDelay(int.MaxValue, settings));
        Assert.Equal(TimeSpan.FromSeconds(10), CommitmentReportSender.RetryDelay(0, settings));
    }
}
