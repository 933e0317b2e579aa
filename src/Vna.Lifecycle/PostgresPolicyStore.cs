using Npgsql;
using NpgsqlTypes;
using Vna.Policies;

namespace Vna.Lifecycle;

/// <summary>The policy documents' activations (policy_document): every one kept, one active per name.</summary>
public sealed class PostgresPolicyStore(NpgsqlDataSource dataSource)
{
    /// <summary>The text of every active document with a stamp that changes whenever the active set does.</summary>
    public async Task<(IReadOnlyList<(string Name, string Body)> Documents, string Stamp)> LoadActiveAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT policy_pk, name, body FROM policy_document WHERE active ORDER BY name");
        var documents = new List<(string, string)>();
        var stamp = new System.Text.StringBuilder();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            stamp.Append(reader.GetInt64(0)).Append(',');
            documents.Add((reader.GetString(1), reader.GetString(2)));
        }

        return (documents, stamp.ToString());
    }

    /// <summary>The active set's stamp only (cheap: what the refresher polls).</summary>
    public async Task<string> StampAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT coalesce(string_agg(policy_pk::text, ',' ORDER BY name), '') FROM policy_document WHERE active");
        var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string ?? string.Empty;
        return value.Length == 0 ? value : value + ",";
    }

    /// <summary>Makes <paramref name="document"/> the active one of its name (the previous one of that name is kept, inactive).</summary>
    public async Task ActivateAsync(PolicyDocument document, string actor, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var deactivate = new NpgsqlCommand(
            "UPDATE policy_document SET active = false, deactivated_at = $2, deactivated_by = $3 WHERE name = $1 AND active", connection, transaction))
        {
            deactivate.Parameters.Add(new NpgsqlParameter { Value = document.Name });
            deactivate.Parameters.Add(new NpgsqlParameter { Value = at, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            deactivate.Parameters.Add(new NpgsqlParameter { Value = actor });
            await deactivate.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var insert = new NpgsqlCommand(
            "INSERT INTO policy_document (name, version, sha256, body, activated_at, activated_by) VALUES ($1, $2, $3, $4, $5, $6)", connection, transaction))
        {
            insert.Parameters.Add(new NpgsqlParameter { Value = document.Name });
            insert.Parameters.Add(new NpgsqlParameter { Value = document.Version });
            insert.Parameters.Add(new NpgsqlParameter { Value = document.Sha256 });
            insert.Parameters.Add(new NpgsqlParameter { Value = document.Text });
            insert.Parameters.Add(new NpgsqlParameter { Value = at, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            insert.Parameters.Add(new NpgsqlParameter { Value = actor });
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Takes the active document of that name out of force; false when there is none.</summary>
    public async Task<bool> DeactivateAsync(string name, string actor, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE policy_document SET active = false, deactivated_at = $2, deactivated_by = $3 WHERE name = $1 AND active");
        command.Parameters.Add(new NpgsqlParameter { Value = name });
        command.Parameters.Add(new NpgsqlParameter { Value = at, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = actor });
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    /// <summary>Every activation, newest first.</summary>
    public async Task<IReadOnlyList<PolicyRecord>> HistoryAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT policy_pk, name, version, sha256, active, activated_at, activated_by, deactivated_at, deactivated_by FROM policy_document ORDER BY policy_pk DESC");
        var records = new List<PolicyRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            records.Add(new PolicyRecord(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetBoolean(4),
                reader.GetFieldValue<DateTimeOffset>(5), reader.GetString(6),
                reader.IsDBNull(7) ? null : reader.GetFieldValue<DateTimeOffset>(7), reader.IsDBNull(8) ? null : reader.GetString(8)));
        }

        return records;
    }
}
