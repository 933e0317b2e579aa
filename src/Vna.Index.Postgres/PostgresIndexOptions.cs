namespace Vna.Index.Postgres;

/// <summary>Settings of the PostgreSQL query index.</summary>
public sealed class PostgresIndexOptions
{
    /// <summary>The default cap on the matches of one query page.</summary>
    public const int DefaultMaxPageSize = 10_000;

    /// <summary>At most this many matches per query, whatever the query's limit (a query without a limit gets this many).</summary>
    public int MaxPageSize { get; init; } = DefaultMaxPageSize;

    /// <summary>
    /// Combined date-time matching (PS3.4 C.2.2.2.5, an extended negotiation option of C-FIND): a Study Date and a Study
    /// Time key (likewise Performed Procedure Step Start Date and Time) with the same range form are matched as one
    /// date-time range ("20240101-20240102" with "2200-0600" is 1 January 22:00 to 2 January 06:59). Off: each key is
    /// matched on its own, as PS3.4 requires without the negotiation.
    /// </summary>
    public bool CombinedDateTimeMatching { get; init; }

    /// <summary>
    /// Group commit of registrations: batches that arrive while others are being written (grains of different studies
    /// registering at the same time) are written together, one transaction for up to this many instances, one
    /// transaction at a time. Each caller still returns only after the transaction holding its rows has committed.
    /// 0 writes every batch in a transaction of its own.
    /// </summary>
    public int GroupCommitMaxInstances { get; init; } = 512;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxPageSize, 1, nameof(MaxPageSize));
        ArgumentOutOfRangeException.ThrowIfNegative(GroupCommitMaxInstances, nameof(GroupCommitMaxInstances));
    }
}
