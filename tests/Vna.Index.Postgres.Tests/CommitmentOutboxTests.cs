using Vna.Core;

namespace Vna.Index.Postgres.Tests;

/// <summary>The commitment report outbox on PostgreSQL: durable rows, leases that keep two senders apart, retry and abandon.</summary>
public sealed class CommitmentOutboxTests : IndexTestBase
{
    private static readonly DateTimeOffset s_t0 = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    private static PendingCommitmentReport Report(string transaction, DateTimeOffset createdAt) => new()
    {
        TransactionUid = transaction,
        Department = "cardiology",
        RequesterAeTitle = "PACS",
        CallingAeTitle = "VNA",
        EventTypeId = 2,
        CommittedCount = 3,
        FailedCount = 1,
        Report = [0x08, 0x00, 0x95, 0x11, 0x55, 0x49, 0x02, 0x00, 0x31, 0x00],
        CreatedAt = createdAt,
    };

    [Fact]
    public async Task A_report_is_kept_whole_and_claimed_once_until_its_lease_ends()
    {
        var outbox = new PostgresCommitmentOutbox(Database.DataSource);
        var original = Report("1.2.3.1", s_t0);
        var id = await outbox.AddAsync(original, Ct);

        // Not due before it was made; due from then on, and then leased to the first claimer only.
        Assert.Empty(await outbox.ClaimDueAsync(s_t0.AddSeconds(-1), TimeSpan.FromMinutes(2), 10, Ct));
        var claimed = Assert.Single(await outbox.ClaimDueAsync(s_t0, TimeSpan.FromMinutes(2), 10, Ct));
        Assert.Empty(await new PostgresCommitmentOutbox(Database.DataSource).ClaimDueAsync(s_t0.AddMinutes(1), TimeSpan.FromMinutes(2), 10, Ct));

        Assert.Equal(id, claimed.Id);
        Assert.Equal(original.Report, claimed.Report);
        // Leased: due again when the lease ends.
        Assert.Equal(original with { Id = id, NextAttemptAt = s_t0.AddMinutes(2) }, claimed with { Report = original.Report });

        // A sender that stopped holding it: another one takes it once the lease is over.
        var again = Assert.Single(await outbox.ClaimDueAsync(s_t0.AddMinutes(2), TimeSpan.FromMinutes(2), 10, Ct));
        Assert.Equal(id, again.Id);

        await outbox.CompleteAsync(id, Ct);
        Assert.Empty(await outbox.ClaimDueAsync(s_t0.AddDays(1), TimeSpan.FromMinutes(2), 10, Ct));
    }

    [Fact]
    public async Task A_failed_attempt_is_counted_and_due_again_later_and_an_abandoned_report_is_kept_but_never_claimed()
    {
        var outbox = new PostgresCommitmentOutbox(Database.DataSource);
        var first = await outbox.AddAsync(Report("1.2.3.2", s_t0), Ct);
        var second = await outbox.AddAsync(Report("1.2.3.3", s_t0.AddSeconds(1)), Ct);

        var claimed = await outbox.ClaimDueAsync(s_t0.AddSeconds(5), TimeSpan.FromMinutes(2), 1, Ct);
        Assert.Equal([first], claimed.Select(r => r.Id));
        await outbox.RescheduleAsync(first, s_t0.AddSeconds(30), "SocketException: Connection refused", Ct);

        // The other one is due; the rescheduled one only at its new time, with its attempt counted.
        Assert.Equal([second], (await outbox.ClaimDueAsync(s_t0.AddSeconds(10), TimeSpan.FromMinutes(2), 10, Ct)).Select(r => r.Id));
        var retried = Assert.Single(await outbox.ClaimDueAsync(s_t0.AddSeconds(30), TimeSpan.FromMinutes(2), 10, Ct));
        Assert.Equal(first, retried.Id);
        Assert.Equal(1, retried.Attempts);
        Assert.Equal("SocketException: Connection refused", retried.LastError);

        await outbox.AbandonAsync(first, "gave up", Ct);
        Assert.DoesNotContain(first, (await outbox.ClaimDueAsync(s_t0.AddDays(10), TimeSpan.FromMinutes(2), 10, Ct)).Select(r => r.Id));
        Assert.Equal("abandoned|2|gave up", await Database.ScalarAsync("SELECT state || '|' || attempts || '|' || last_error FROM commitment_outbox WHERE id = $1", Ct, first));

        // Listed for the administrator, by state; a retry makes it pending and due at once, with a new retry period.
        var listed = Assert.Single(await outbox.ListAsync("abandoned", 10, Ct));
        Assert.Equal((first, "abandoned", 2, "gave up"), (listed.Id, listed.State, listed.Attempts, listed.LastError));
        Assert.Equal([first, second], (await outbox.ListAsync(null, 10, Ct)).Select(r => r.Id));
        Assert.True(await outbox.RetryNowAsync(first, s_t0.AddDays(20), Ct));
        Assert.False(await outbox.RetryNowAsync(first + second + 1000, s_t0.AddDays(20), Ct));
        var again = Assert.Single(await outbox.ClaimDueAsync(s_t0.AddDays(20), TimeSpan.FromMinutes(2), 10, Ct), r => r.Id == first);
        Assert.Equal((first, "pending", s_t0.AddDays(20)), (again.Id, again.State, again.CreatedAt));
        Assert.Empty(await outbox.ListAsync("abandoned", 10, Ct));
    }
}
