namespace Vna.Core;

/// <summary>
/// Storage commitment reports waiting for their requester, durably: a report added here survives a restart or a crash
/// and is retried until it is delivered or given up. Several silos may share the outbox: a claimed report is leased to
/// one of them until its lease ends.
/// </summary>
public interface ICommitmentReportOutbox
{
    /// <summary>Adds a report, due now; returns once it is durable, with its id.</summary>
    Task<long> AddAsync(PendingCommitmentReport report, CancellationToken cancellationToken);

    /// <summary>Reports due at <paramref name="now"/> (at most <paramref name="max"/>, oldest first), each leased to the caller until <paramref name="now"/> + <paramref name="lease"/>.</summary>
    Task<IReadOnlyList<PendingCommitmentReport>> ClaimDueAsync(DateTimeOffset now, TimeSpan lease, int max, CancellationToken cancellationToken);

    /// <summary>The report was delivered: it leaves the outbox.</summary>
    Task CompleteAsync(long id, CancellationToken cancellationToken);

    /// <summary>An attempt failed: counts it, keeps <paramref name="error"/>, and makes the report due again at <paramref name="nextAttemptAt"/>.</summary>
    Task RescheduleAsync(long id, DateTimeOffset nextAttemptAt, string error, CancellationToken cancellationToken);

    /// <summary>Retrying ends: the report stays in the outbox as abandoned, with <paramref name="error"/>, for the administrator to see.</summary>
    Task AbandonAsync(long id, string error, CancellationToken cancellationToken);

    /// <summary>The reports kept, oldest first (at most <paramref name="limit"/>), of one <paramref name="state"/> ("pending", "abandoned") or of both (null).</summary>
    Task<IReadOnlyList<PendingCommitmentReport>> ListAsync(string? state, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// An administrator's retry: the report (pending or abandoned) is pending and due at <paramref name="now"/>, and its
    /// retry period starts again there. False when there is no such report.
    /// </summary>
    Task<bool> RetryNowAsync(long id, DateTimeOffset now, CancellationToken cancellationToken);
}
