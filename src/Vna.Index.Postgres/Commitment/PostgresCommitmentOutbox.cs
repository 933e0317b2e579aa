using Npgsql;
using NpgsqlTypes;
using Vna.Core;

namespace Vna.Index.Postgres;

/// <summary><see cref="ICommitmentReportOutbox"/> on the <c>commitment_outbox</c> table (migration 0060).</summary>
public sealed class PostgresCommitmentOutbox(NpgsqlDataSource dataSource) : ICommitmentReportOutbox
{
    private const string Columns =
        "id, transaction_uid, department, requester_ae_title, calling_ae_title, event_type_id, committed_count, failed_count, report, created_at, attempts, last_error, state, next_attempt_at";

    public async Task<long> AddAsync(PendingCommitmentReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO commitment_outbox (transaction_uid, department, requester_ae_title, calling_ae_title, event_type_id,
                                           committed_count, failed_count, report, created_at, next_attempt_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)
            RETURNING id
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = report.TransactionUid });
        command.Parameters.Add(new NpgsqlParameter { Value = report.Department });
        command.Parameters.Add(new NpgsqlParameter { Value = report.RequesterAeTitle });
        command.Parameters.Add(new NpgsqlParameter { Value = report.CallingAeTitle });
        command.Parameters.Add(new NpgsqlParameter { Value = (short)report.EventTypeId });
        command.Parameters.Add(new NpgsqlParameter { Value = report.CommittedCount });
        command.Parameters.Add(new NpgsqlParameter { Value = report.FailedCount });
        command.Parameters.Add(new NpgsqlParameter { Value = report.Report, NpgsqlDbType = NpgsqlDbType.Bytea });
        command.Parameters.Add(new NpgsqlParameter { Value = report.CreatedAt.ToUniversalTime() });
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    public async Task<IReadOnlyList<PendingCommitmentReport>> ClaimDueAsync(DateTimeOffset now, TimeSpan lease, int max, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        await using var command = dataSource.CreateCommand(
            $"""
            UPDATE commitment_outbox AS o SET next_attempt_at = $2
            FROM (SELECT id FROM commitment_outbox
                  WHERE state = 'pending' AND next_attempt_at <= $1
                  ORDER BY next_attempt_at, id
                  LIMIT $3
                  FOR UPDATE SKIP LOCKED) AS due
            WHERE o.id = due.id
            RETURNING {string.Join(", ", Columns.Split(", ").Select(c => "o." + c))}
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = now.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter { Value = (now + lease).ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter { Value = max });
        var claimed = await ReadAllAsync(command, cancellationToken).ConfigureAwait(false);
        claimed.Sort((a, b) => a.Id.CompareTo(b.Id));
        return claimed;
    }

    public async Task<IReadOnlyList<PendingCommitmentReport>> ListAsync(string? state, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        await using var command = dataSource.CreateCommand(
            $"SELECT {Columns} FROM commitment_outbox WHERE $1::text IS NULL OR state = $1 ORDER BY id LIMIT $2");
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)state ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        return await ReadAllAsync(command, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> RetryNowAsync(long id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE commitment_outbox SET state = 'pending', next_attempt_at = $2, created_at = $2 WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        command.Parameters.Add(new NpgsqlParameter { Value = now.ToUniversalTime() });
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    private static async Task<List<PendingCommitmentReport>> ReadAllAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var reports = new List<PendingCommitmentReport>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            reports.Add(new PendingCommitmentReport
            {
                Id = reader.GetInt64(0),
                TransactionUid = reader.GetString(1),
                Department = reader.GetString(2),
                RequesterAeTitle = reader.GetString(3),
                CallingAeTitle = reader.GetString(4),
                EventTypeId = (ushort)reader.GetInt16(5),
                CommittedCount = reader.GetInt32(6),
                FailedCount = reader.GetInt32(7),
                Report = reader.GetFieldValue<byte[]>(8),
                CreatedAt = reader.GetFieldValue<DateTimeOffset>(9),
                Attempts = reader.GetInt32(10),
                LastError = reader.IsDBNull(11) ? null : reader.GetString(11),
                State = reader.GetString(12),
                NextAttemptAt = reader.GetFieldValue<DateTimeOffset>(13),
            });
        }

        return reports;
    }

    public Task CompleteAsync(long id, CancellationToken cancellationToken) =>
        ExecuteAsync("DELETE FROM commitment_outbox WHERE id = $1", cancellationToken, id);

    public Task RescheduleAsync(long id, DateTimeOffset nextAttemptAt, string error, CancellationToken cancellationToken) =>
        ExecuteAsync(
            "UPDATE commitment_outbox SET attempts = attempts + 1, last_error = $2, next_attempt_at = $3 WHERE id = $1 AND state = 'pending'",
            cancellationToken,
            id,
            error,
            nextAttemptAt.ToUniversalTime());

    public Task AbandonAsync(long id, string error, CancellationToken cancellationToken) =>
        ExecuteAsync(
            "UPDATE commitment_outbox SET attempts = attempts + 1, last_error = $2, state = 'abandoned' WHERE id = $1 AND state = 'pending'",
            cancellationToken,
            id,
            error);

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken, params object[] parameters)
    {
        await using var command = dataSource.CreateCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
