using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Npgsql;
using Vna.Core;

namespace Vna.Index.Postgres;

/// <summary>
/// Writes audit records to the append-only, hash-chained <c>audit_log</c> table. Appends are serialised by a transaction
/// advisory lock so the chain has one order even with several silos writing.
/// </summary>
public sealed class PostgresAuditSink(NpgsqlDataSource dataSource) : IAuditSink
{
    /// <summary>The advisory lock key that serialises appends ("VNAAUDIT" as a number).</summary>
    private const long AppendLock = 0x564E41415544_4954;

    public const string GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

    public async Task WriteAsync(AuditRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var locking = new NpgsqlCommand("SELECT pg_advisory_xact_lock($1)", connection, transaction))
        {
            locking.Parameters.Add(new NpgsqlParameter { Value = AppendLock });
            await locking.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        string previous;
        await using (var last = new NpgsqlCommand("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1", connection, transaction))
        {
            previous = await last.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string ?? GenesisHash;
        }

        // Timestamps are stored at microsecond precision: hash what will be read back.
        var at = record.At.ToUniversalTime();
        at = new DateTimeOffset(at.Ticks - (at.Ticks % 10), TimeSpan.Zero);
        var hash = ComputeHash(previous, at, record.Actor, record.Action, record.StudyInstanceUid, record.SopInstanceUid, record.Reason, record.Details, record.PolicyVersion);
        await using var insert = new NpgsqlCommand(
            "INSERT INTO audit_log (at, actor, action, study_uid, sop_uid, reason, details, prev_hash, hash, policy_version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            connection,
            transaction);
        insert.Parameters.Add(new NpgsqlParameter { Value = at });
        insert.Parameters.Add(new NpgsqlParameter { Value = record.Actor });
        insert.Parameters.Add(new NpgsqlParameter { Value = record.Action });
        insert.Parameters.Add(new NpgsqlParameter { Value = (object?)record.StudyInstanceUid ?? DBNull.Value });
        insert.Parameters.Add(new NpgsqlParameter { Value = (object?)record.SopInstanceUid ?? DBNull.Value });
        insert.Parameters.Add(new NpgsqlParameter { Value = record.Reason });
        insert.Parameters.Add(new NpgsqlParameter { Value = (object?)record.Details ?? DBNull.Value });
        insert.Parameters.Add(new NpgsqlParameter { Value = previous });
        insert.Parameters.Add(new NpgsqlParameter { Value = hash });
        insert.Parameters.Add(new NpgsqlParameter { Value = (object?)record.PolicyVersion ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Walks the chain from the first row and returns the id of the first row whose hash does not match its content or
    /// whose predecessor link is broken, or null when the whole trail verifies.
    /// </summary>
    public async Task<long?> VerifyAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            "SELECT id, at, actor, action, study_uid, sop_uid, reason, details, prev_hash, hash, policy_version FROM audit_log ORDER BY id", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var previous = GenesisHash;
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var id = reader.GetInt64(0);
            var at = reader.GetFieldValue<DateTimeOffset>(1);
            string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
            var expected = ComputeHash(previous, at, reader.GetString(2), reader.GetString(3), Text(4), Text(5), reader.GetString(6), Text(7), Text(10));
            if (!string.Equals(reader.GetString(8), previous, StringComparison.Ordinal) || !string.Equals(reader.GetString(9), expected, StringComparison.Ordinal))
            {
                return id;
            }

            previous = expected;
        }

        return null;
    }

    /// <summary>
    /// The trail's rows, oldest first, from after <see cref="AuditQuery.AfterId"/>, filtered by study, action and time, at most
    /// <see cref="AuditQuery.Limit"/> of them.
    /// </summary>
    public async Task<IReadOnlyList<AuditEntry>> ListAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var command = dataSource.CreateCommand("""
            SELECT id, at, actor, action, study_uid, sop_uid, reason, details, prev_hash, hash, policy_version FROM audit_log
            WHERE id > $1 AND ($2::text IS NULL OR study_uid = $2) AND ($3::text IS NULL OR action = $3) AND ($4::timestamptz IS NULL OR at >= $4)
            ORDER BY id LIMIT $5
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = query.AfterId });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)query.StudyInstanceUid ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)query.Action ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)query.Since ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = Math.Clamp(query.Limit, 1, 100_000) });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<AuditEntry>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
            rows.Add(new AuditEntry
            {
                Id = reader.GetInt64(0),
                Record = new AuditRecord
                {
                    At = reader.GetFieldValue<DateTimeOffset>(1),
                    Actor = reader.GetString(2),
                    Action = reader.GetString(3),
                    StudyInstanceUid = Text(4),
                    SopInstanceUid = Text(5),
                    Reason = reader.GetString(6),
                    Details = Text(7),
                    PolicyVersion = Text(10),
                },
                PreviousHash = reader.GetString(8),
                Hash = reader.GetString(9),
            });
        }

        return rows;
    }

    internal static string ComputeHash(string previous, DateTimeOffset at, string actor, string action, string? study, string? sop, string reason, string? details, string? policyVersion = null)
    {
        // Length-prefixed fields: no separator inside a value can make two different rows hash alike. The policy version
        // (0040) is hashed only when set, so rows written before it existed keep their hashes.
        var builder = new StringBuilder();
        string?[] fields = policyVersion is null
            ? [previous, at.UtcTicks.ToString(CultureInfo.InvariantCulture), actor, action, study, sop, reason, details]
            : [previous, at.UtcTicks.ToString(CultureInfo.InvariantCulture), actor, action, study, sop, reason, details, "policy", policyVersion];
        foreach (var field in fields)
        {
            if (field is null)
            {
                builder.Append("-1:");
            }
            else
            {
                builder.Append(field.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(field);
            }
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(builder.ToString())));
    }
}
