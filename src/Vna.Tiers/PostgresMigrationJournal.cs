using Npgsql;
using Vna.Archive.Tiers;
using Vna.Core;

namespace Vna.Tiers;

/// <summary>The journal of study moves in table <c>tier_migration</c> (migration 0030).</summary>
public sealed class PostgresMigrationJournal(NpgsqlDataSource dataSource) : IMigrationJournal
{
    public async Task<long> StartAsync(string studyInstanceUid, StorageTier? from, StorageTier to, string reason, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO tier_migration (study_instance_uid, from_tier, to_tier, reason) VALUES ($1, $2, $3, $4)
            ON CONFLICT (study_instance_uid) WHERE state = 'running' DO UPDATE SET
                attempts = tier_migration.attempts + 1,
                to_tier = excluded.to_tier,
                from_tier = coalesce(tier_migration.from_tier, excluded.from_tier),
                reason = excluded.reason
            RETURNING migration_pk
            """);
        command.Parameters.AddWithValue(studyInstanceUid);
        command.Parameters.AddWithValue(from is { } f ? (short)f : DBNull.Value);
        command.Parameters.AddWithValue((short)to);
        command.Parameters.AddWithValue(reason);
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
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
            SELECT migration_pk, study_instance_uid, from_tier, to_tier, reason, state, attempts, instances, bytes, error, started_at, finished_at
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
                reader.IsDBNull(11) ? null : reader.GetFieldValue<DateTimeOffset>(11)));
        }

        return rows;
    }
}
