namespace Vna.Index.Postgres;

/// <summary>Which audit rows to list: after an id (paging), of a study, of an action, since a time; at most <see cref="Limit"/>.</summary>
public sealed record AuditQuery
{
    public long AfterId { get; init; }

    public string? StudyInstanceUid { get; init; }

    public string? Action { get; init; }

    public DateTimeOffset? Since { get; init; }

    public int Limit { get; init; } = 100;
}
