using Npgsql;
using Vna.Archive.Tiers;
using Vna.Core;

namespace Vna.Tiers;

/// <summary>The journal of study moves in table <c>tier_migration</c> (migration 0030).</summary>
public sealed class PostgresMigrationJournal(NpgsqlDataSource dataSource) : IMigrationJournal
{
    public async Task<long> StartAsync(string studyInstanceUid, StorageTier? from, StorageTier to, string? transferSyntaxUid, string reason, CancellationToken cancellationToken)
    {
        // The move queued for this study to the same target, if any, becomes this running move (one row per move).
        await using (var promote = dataSource.CreateCommand("""
            UPDATE tier_migration q SET state = 'running', from_tier = $2, reason = $4, transfer_syntax = $5, started_at = now()
            WHERE q.study_instance_uid = $1 AND q.state = 'queued' AND q.to_tier = $3
              AND NOT EXISTS (SELECT 1 FROM tier_migration r WHERE r.study_instance_uid = $1 AND r.state = 'running')
            RETURNING migration_pk
            """))
        {
            AddMoveParameters(promote, studyInstanceUid, from, to, reason, transferSyntaxUid);
            if (await promote.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long promoted)
            {
                return promoted;
            }
        }

        await using var command = dataSource.CreateCommand("""
            INSERT INTO tier_migration (study_instance_uid, from_tier, to_tier, reason, transfer_syntax) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (study_instance_uid) WHERE state = 'running' DO UPDATE SET
                attempts = tier_migration.attempts + 1,
                to_tier = excluded.to_tier,
                from_tier = coalesce(tier_migration.from_tier, excluded.from_tier),
                reason = excluded.reason,
                transfer_syntax = excluded.transfer_syntax
            RETURNING migration_pk
            """);
        AddMoveParameters(command, studyInstanceUid, from, to, reason, transferSyntaxUid);
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>
    /// Records moves queued for the workers (state queued) before they are acknowledged; a study already queued has its
    /// waiting move replaced. Returns study → the row's id, which the worker settles once the grain has run the move.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, long>> QueueAsync(IReadOnlyList<string> studies, StorageTier to, string? transferSyntaxUid, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(studies);
        await using var command = dataSource.CreateCommand("""
            INSERT INTO tier_migration (study_instance_uid, to_tier, reason, transfer_syntax, state)
            SELECT uid, $2, $3, $4, 'queued' FROM unnest($1::text[]) AS u(uid)
            ON CONFLICT (study_instance_uid) WHERE state = 'queued' DO UPDATE SET
                to_tier = excluded.to_tier, reason = excluded.reason, transfer_syntax = excluded.transfer_syntax, started_at = now()
            RETURNING study_instance_uid, migration_pk
            """);
        command.Parameters.AddWithValue(studies.Distinct(StringComparer.Ordinal).ToArray());
        command.Parameters.AddWithValue((short)to);
        command.Parameters.AddWithValue(reason);
        command.Parameters.AddWithValue(NpgsqlTypes.NpgsqlDbType.Text, (object?)transferSyntaxUid ?? DBNull.Value);
        var ids = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            ids[reader.GetString(0)] = reader.GetInt64(1);
        }

        return ids;
    }

    /// <summary>
    /// After the grain ran a queued move: a row still queued (the grain had nothing to copy, or failed before it started)
    /// is closed, done or failed with <paramref name="error"/>; a row the grain made its running move is left to it.
    /// </summary>
    public async Task SettleQueuedAsync(long id, string? error, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE tier_migration SET state = CASE WHEN $2::text IS NULL THEN 'done' ELSE 'failed' END, error = $2, finished_at = now()
            WHERE migration_pk = $1 AND state = 'queued'
            """);
        command.Parameters.AddWithValue(id);
        command.Parameters.AddWithValue(NpgsqlTypes.NpgsqlDbType.Text, error is null ? DBNull.Value : error.Length > 2000 ? error[..2000] : error);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task FinishAsync(long id, int instances, long bytes, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE tier_migration SET state = 'done', instances = $2, bytes = $3, error = NULL, finished_at = now() WHERE migration_pk = $1");
        command.Parameters.AddWithValue(id);
        command.Parameters.AddWithValue(instances);
        command.Parameters.AddWithValue(bytes);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task FinishStaleAsync(string studyInstanceUid, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE tier_migration SET state = 'done', error = NULL, finished_at = now() WHERE study_instance_uid = $1 AND state = 'running'");
        command.Parameters.AddWithValue(studyInstanceUid);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task FailAsync(long id, string error, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE tier_migration SET state = 'failed', error = $2, finished_at = now() WHERE migration_pk = $1 AND state = 'running'");
        command.Parameters.AddWithValue(id);
        command.Parameters.AddWithValue(error.Length > 2000 ? error[..2000] : error);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The latest moves, newest first (optionally only those in <paramref name="state"/>).</summary>
    public async Task<IReadOnlyList<MigrationRecord>> ListAsync(string? state, string? studyInstanceUid, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT migration_pk, study_instance_uid, from_tier, to_tier, reason, state, attempts, instances, bytes, error, started_at, finished_at, transfer_syntax
            FROM tier_migration
            WHERE ($1::text IS NULL OR state = $1) AND ($2::text IS NULL OR study_instance_uid = $2)
            ORDER BY migration_pk DESC LIMIT $3
            """);
        command.Parameters.AddWithValue(NpgsqlTypes.NpgsqlDbType.Text, (object?)state ?? DBNull.Value);
        command.Parameters.AddWithValue(NpgsqlTypes.NpgsqlDbType.Text, (object?)studyInstanceUid ?? DBNull.Value);
        command.Parameters.AddWithValue(limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<MigrationRecord>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(new MigrationRecord(
                reader.GetInt64(0),
                reader.GetString(1),
                reader.IsDBNull(2) ? null : ((StorageTier)reader.GetInt16(2)).ToString(),
                ((StorageTier)reader.GetInt16(3)).ToString(),
                reader.GetString(4),
                reader.GetString(5),
                reader.GetInt32(6),
                reader.GetInt32(7),
                reader.GetInt64(8),
                reader.IsDBNull(9) ? null : reader.GetString(9),
                reader.GetFieldValue<DateTimeOffset>(10),
                reader.IsDBNull(11) ? null : reader.GetFieldValue<DateTimeOffset>(11),
                reader.IsDBNull(12) ? null : reader.GetString(12)));
        }

        return rows;
    }

    private static void AddMoveParameters(NpgsqlCommand command, string studyInstanceUid, StorageTier? from, StorageTier to, string reason, string? transferSyntaxUid)
    {
        command.Parameters.AddWithValue(studyInstanceUid);
        command.Parameters.AddWithValue(NpgsqlTypes.NpgsqlDbType.Smallint, from is { } f ? (short)f : DBNull.Value);
        command.Parameters.AddWithValue((short)to);
        command.Parameters.AddWithValue(reason);
        command.Parameters.AddWithValue(NpgsqlTypes.NpgsqlDbType.Text, (object?)transferSyntaxUid ?? DBNull.Value);
    }
}
