using Npgsql;
using NpgsqlTypes;
using Vna.Core;

namespace Vna.Web.Metadata;

/// <summary>The metadata rows in PostgreSQL (migration 0050_web_metadata, applied with the archive's schema).</summary>
/// <remarks>
/// Rows written by concurrent registrations (many one-instance studies at once) share one insert: a
/// <see cref="GroupCommitQueue{T}"/> gathers them while the previous insert is in flight.
/// </remarks>
public sealed class PostgresInstanceMetadataStore : IInstanceMetadataStore
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly GroupCommitQueue<InstanceMetadata> _upserts;

    public PostgresInstanceMetadataStore(NpgsqlDataSource dataSource)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        _dataSource = dataSource;
        _upserts = new GroupCommitQueue<InstanceMetadata>(WriteAsync, r => r.SopInstanceUid);
    }

    private const string Columns = "study_instance_uid, series_instance_uid, sop_instance_uid, sha256, metadata, rows, columns, bits_allocated, number_of_frames";

    // Rows made on demand (and by MetadataCapturingCoordinator). Rows made at ingest are written by the index adapter in the
    // registration's transaction (Vna.Index.Postgres UpsertCommands.UpsertDocuments): keep the two alike.
    private const string UpsertSql = $"""
        INSERT INTO web_instance_metadata ({Columns})
        SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bytea[], $6::int[], $7::int[], $8::int[], $9::int[])
        ON CONFLICT (sop_instance_uid) DO UPDATE SET
            study_instance_uid = excluded.study_instance_uid, series_instance_uid = excluded.series_instance_uid,
            sha256 = excluded.sha256, metadata = excluded.metadata, rows = excluded.rows, columns = excluded.columns,
            bits_allocated = excluded.bits_allocated, number_of_frames = excluded.number_of_frames, updated_at = now()
        """;

    public Task UpsertAsync(IReadOnlyList<InstanceMetadata> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return _upserts.WriteAsync(rows, cancellationToken);
    }

    private async Task WriteAsync(IReadOnlyList<InstanceMetadata> rows, CancellationToken cancellationToken)
    {
        // One row per SOP Instance UID (the last wins), so ON CONFLICT never sees the same key twice in one statement.
        var unique = rows.GroupBy(r => r.SopInstanceUid, StringComparer.Ordinal).Select(g => g.Last()).ToArray();
        await using var batch = _dataSource.CreateBatch();

        // A row here is a cache of what the durable copy holds, not a record: its commit need not wait for the WAL to be
        // flushed (the index transaction that made the instance part of the archive did). Visible to every reader at once;
        // a crash may lose the last few rows, which WADO-RS then makes again from the file on first request.
        batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT set_config('synchronous_commit', 'off', true)"));
        var command = new NpgsqlBatchCommand(UpsertSql);
        batch.BatchCommands.Add(command);
        command.Parameters.Add(Text(unique.Select(r => r.StudyInstanceUid)));
        command.Parameters.Add(Text(unique.Select(r => r.SeriesInstanceUid)));
        command.Parameters.Add(Text(unique.Select(r => r.SopInstanceUid)));
        command.Parameters.Add(Text(unique.Select(r => r.Sha256)));
        command.Parameters.Add(new NpgsqlParameter { Value = unique.Select(r => r.Json).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
        command.Parameters.Add(Integers(unique.Select(r => r.Rows)));
        command.Parameters.Add(Integers(unique.Select(r => r.Columns)));
        command.Parameters.Add(Integers(unique.Select(r => r.BitsAllocated)));
        command.Parameters.Add(Integers(unique.Select(r => r.NumberOfFrames)));
        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<InstanceMetadata>> GetAsync(string studyInstanceUid, string? seriesInstanceUid, CancellationToken cancellationToken)
    {
        var sql = seriesInstanceUid is null
            ? $"SELECT {Columns} FROM web_instance_metadata WHERE study_instance_uid = $1"
            : $"SELECT {Columns} FROM web_instance_metadata WHERE study_instance_uid = $1 AND series_instance_uid = $2";
        await using var command = _dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = studyInstanceUid, NpgsqlDbType = NpgsqlDbType.Text });
        if (seriesInstanceUid is not null)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = seriesInstanceUid, NpgsqlDbType = NpgsqlDbType.Text });
        }

        return await ReadAsync(command, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<InstanceMetadata>> GetInstancesAsync(IReadOnlyCollection<string> sopInstanceUids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sopInstanceUids);
        if (sopInstanceUids.Count == 0)
        {
            return [];
        }

        await using var command = _dataSource.CreateCommand($"SELECT {Columns} FROM web_instance_metadata WHERE sop_instance_uid = ANY($1)");
        command.Parameters.Add(Text(sopInstanceUids));
        return await ReadAsync(command, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<IReadOnlyList<InstanceMetadata>> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var result = new List<InstanceMetadata>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add(new InstanceMetadata
            {
                StudyInstanceUid = reader.GetString(0),
                SeriesInstanceUid = reader.GetString(1),
                SopInstanceUid = reader.GetString(2),
                Sha256 = reader.GetString(3),
                Json = reader.GetFieldValue<byte[]>(4),
                Rows = reader.IsDBNull(5) ? null : reader.GetInt32(5),
                Columns = reader.IsDBNull(6) ? null : reader.GetInt32(6),
                BitsAllocated = reader.IsDBNull(7) ? null : reader.GetInt32(7),
                NumberOfFrames = reader.IsDBNull(8) ? null : reader.GetInt32(8),
            });
        }

        return result;
    }

    private static NpgsqlParameter Text(IEnumerable<string> values) =>
        new() { Value = values.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text };

    private static NpgsqlParameter Integers(IEnumerable<int?> values) =>
        new() { Value = values.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer };
}
