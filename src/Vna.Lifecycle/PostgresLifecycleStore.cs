using System.Security.Cryptography;
using Npgsql;
using NpgsqlTypes;
using Vna.Archive.Grains;
using Vna.Archive.Lifecycle;
using Vna.Core;
using Vna.Index.Postgres;
using Vna.Policies;

namespace Vna.Lifecycle;

/// <summary>
/// The lifecycle's tables (migration 0040): last access, legal holds, the engine's report; the study's visibility and
/// purge in the index; and the facts of every study for the preview, in one query.
/// </summary>
public sealed class PostgresLifecycleStore(NpgsqlDataSource dataSource) : ILifecycleStore
{
    private const string HoldColumns =
        "hold_id, scope, study_instance_uid, patient_id, issuer_of_patient_id, reason, placed_by, placed_at, released_at, released_by, release_reason";

    public async Task<DateTimeOffset?> GetLastAccessAsync(string studyInstanceUid, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT last_access_at FROM study_access WHERE study_instance_uid = $1");
        command.Parameters.Add(Text(studyInstanceUid));
        var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return value is DateTime at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : value as DateTimeOffset?;
    }

    public async Task<IReadOnlyList<LegalHold>> GetActiveHoldsAsync(string studyInstanceUid, string patientId, string issuerOfPatientId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT {HoldColumns} FROM legal_hold
            WHERE released_at IS NULL
              AND ((scope = 'study' AND study_instance_uid = $1) OR (scope = 'patient' AND patient_id = $2 AND issuer_of_patient_id = $3))
            ORDER BY hold_pk
            """);
        command.Parameters.Add(Text(studyInstanceUid));
        command.Parameters.Add(Text(patientId));
        command.Parameters.Add(Text(issuerOfPatientId));
        var holds = new List<LegalHold>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var record = ReadHold(reader);
            holds.Add(new LegalHold { Id = record.HoldId, PlacedBy = record.PlacedBy, Reason = record.Reason, PlacedAt = record.PlacedAt });
        }

        return holds;
    }

    public async Task SetStudyStateAsync(string studyInstanceUid, StudyLifecycleState state, CancellationToken cancellationToken)
    {
        await new PostgresIndexStore(dataSource).SetStudyLifecycleStateAsync(studyInstanceUid, state, cancellationToken).ConfigureAwait(false);
    }

    public async Task<int> PurgeIndexAsync(string studyInstanceUid, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT lifecycle_purge_study($1)");
        command.Parameters.Add(Text(studyInstanceUid));
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task SaveStatusAsync(LifecycleStatus status, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(status);
        await using var command = dataSource.CreateCommand("""
            INSERT INTO study_lifecycle (study_instance_uid, lifecycle_state, rule, policy_version, next_due_at, next_step, rejected_at, failures, parked_at, last_error, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, now())
            ON CONFLICT (study_instance_uid) DO UPDATE SET lifecycle_state = EXCLUDED.lifecycle_state, rule = EXCLUDED.rule,
                policy_version = EXCLUDED.policy_version, next_due_at = EXCLUDED.next_due_at, next_step = EXCLUDED.next_step,
                rejected_at = EXCLUDED.rejected_at, failures = EXCLUDED.failures, parked_at = EXCLUDED.parked_at,
                last_error = EXCLUDED.last_error, updated_at = now()
            """);
        command.Parameters.Add(Text(status.StudyInstanceUid));
        command.Parameters.Add(new NpgsqlParameter { Value = (short)status.State });
        command.Parameters.Add(Text(status.Rule));
        command.Parameters.Add(Text(status.PolicyVersion));
        command.Parameters.Add(Time(status.NextDueAt));
        command.Parameters.Add(Text(status.NextStep));
        command.Parameters.Add(Time(status.RejectedAt));
        command.Parameters.Add(new NpgsqlParameter { Value = status.Failures });
        command.Parameters.Add(Time(status.ParkedAt));
        command.Parameters.Add(Text(status.LastError));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes a batch of accesses: each study's last access becomes the later of the stored and the new one.</summary>
    public async Task RecordAccessesAsync(IReadOnlyDictionary<string, (DateTimeOffset At, int Count)> accesses, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(accesses);
        if (accesses.Count == 0)
        {
            return;
        }

        await using var command = dataSource.CreateCommand("""
            INSERT INTO study_access (study_instance_uid, last_access_at, access_count)
            SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::bigint[])
            ON CONFLICT (study_instance_uid) DO UPDATE SET
                last_access_at = GREATEST(study_access.last_access_at, EXCLUDED.last_access_at),
                access_count = study_access.access_count + EXCLUDED.access_count
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = accesses.Keys.ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = accesses.Values.Select(v => v.At.UtcDateTime).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = accesses.Values.Select(v => (long)v.Count).ToArray() });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Records a new hold; returns it with its id.</summary>
    public async Task<LegalHoldRecord> InsertHoldAsync(LegalHoldRecord hold, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hold);
        var id = hold.HoldId.Length > 0 ? hold.HoldId : "hold-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        await using var command = dataSource.CreateCommand("""
            INSERT INTO legal_hold (hold_id, scope, study_instance_uid, patient_id, issuer_of_patient_id, reason, placed_by, placed_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            """);
        command.Parameters.Add(Text(id));
        command.Parameters.Add(Text(hold.Scope));
        command.Parameters.Add(Text(hold.StudyInstanceUid));
        command.Parameters.Add(Text(hold.PatientId));
        command.Parameters.Add(Text(hold.IssuerOfPatientId));
        command.Parameters.Add(Text(hold.Reason));
        command.Parameters.Add(Text(hold.PlacedBy));
        command.Parameters.Add(Time(hold.PlacedAt));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return hold with { HoldId = id };
    }

    /// <summary>Marks a hold released; false when there is no unreleased hold with that id.</summary>
    public async Task<bool> ReleaseHoldAsync(string holdId, string releasedBy, string reason, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE legal_hold SET released_at = $2, released_by = $3, release_reason = $4 WHERE hold_id = $1 AND released_at IS NULL");
        command.Parameters.Add(Text(holdId));
        command.Parameters.Add(Time(at));
        command.Parameters.Add(Text(releasedBy));
        command.Parameters.Add(Text(reason));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public async Task<LegalHoldRecord?> GetHoldAsync(string holdId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {HoldColumns} FROM legal_hold WHERE hold_id = $1");
        command.Parameters.Add(Text(holdId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadHold(reader) : null;
    }

    public async Task<IReadOnlyList<LegalHoldRecord>> ListHoldsAsync(bool includeReleased, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {HoldColumns} FROM legal_hold WHERE $1 OR released_at IS NULL ORDER BY hold_pk");
        command.Parameters.Add(new NpgsqlParameter { Value = includeReleased });
        var holds = new List<LegalHoldRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            holds.Add(ReadHold(reader));
        }

        return holds;
    }

    /// <summary>The studies a hold covers now (one study, or every indexed study of the patient).</summary>
    public async Task<IReadOnlyList<string>> StudiesCoveredAsync(LegalHoldRecord hold, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hold);
        if (hold.Scope == "study")
        {
            return [hold.StudyInstanceUid!];
        }

        await using var command = dataSource.CreateCommand("""
            SELECT st.study_instance_uid FROM study st JOIN patient p ON p.patient_pk = st.patient_pk
            WHERE p.patient_id = $1 AND p.issuer_of_patient_id = $2 ORDER BY st.study_pk
            """);
        command.Parameters.Add(Text(hold.PatientId));
        command.Parameters.Add(Text(hold.IssuerOfPatientId));
        var studies = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            studies.Add(reader.GetString(0));
        }

        return studies;
    }

    public async Task<IReadOnlyList<ParkedStudy>> ListParkedAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT study_instance_uid, parked_at, failures, last_error, rule FROM study_lifecycle WHERE parked_at IS NOT NULL ORDER BY parked_at");
        var parked = new List<ParkedStudy>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            parked.Add(new ParkedStudy(reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetInt32(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4)));
        }

        return parked;
    }

    /// <summary>A page of study UIDs in index order after <paramref name="afterPk"/> (for the re-evaluation sweep).</summary>
    public async Task<(IReadOnlyList<string> Studies, long LastPk)> StudyPageAsync(long afterPk, int size, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT study_pk, study_instance_uid FROM study WHERE study_pk > $1 ORDER BY study_pk LIMIT $2");
        command.Parameters.Add(new NpgsqlParameter { Value = afterPk });
        command.Parameters.Add(new NpgsqlParameter { Value = size });
        var studies = new List<string>(size);
        var last = afterPk;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            last = reader.GetInt64(0);
            studies.Add(reader.GetString(1));
        }

        return (studies, last);
    }

    /// <summary>What the policies need to know of every study in the archive (not purged), for the preview: one query.</summary>
    public async Task<IReadOnlyList<StudyFacts>> LoadFactsAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            WITH body AS (
                SELECT se.study_pk, array_agg(DISTINCT upper(se.body_part_examined)) AS parts
                FROM series se WHERE se.body_part_examined <> '' GROUP BY se.study_pk),
            held_study AS (
                SELECT DISTINCT study_instance_uid FROM legal_hold WHERE released_at IS NULL AND scope = 'study'),
            held_patient AS (
                SELECT DISTINCT patient_id, issuer_of_patient_id FROM legal_hold WHERE released_at IS NULL AND scope = 'patient')
            SELECT st.study_instance_uid, st.modalities_in_study, st.source_departments, st.sop_classes_in_study,
                   st.study_description, st.study_date, p.patient_birth_date, coalesce(st.first_received_at, st.created_at),
                   st.total_bytes, st.num_instances, st.lifecycle_state,
                   coalesce(body.parts, '{}'::text[]),
                   CASE WHEN st.num_instances > 0 AND st.num_nearline_instances = st.num_instances THEN 2
                        WHEN EXISTS (SELECT 1 FROM instance i WHERE i.study_pk = st.study_pk AND i.tier = 0) THEN 0
                        ELSE 1 END,
                   a.last_access_at, l.rejected_at,
                   hs.study_instance_uid IS NOT NULL OR hp.patient_id IS NOT NULL
            FROM study st
              JOIN patient p ON p.patient_pk = st.patient_pk
              LEFT JOIN body ON body.study_pk = st.study_pk
              LEFT JOIN study_access a ON a.study_instance_uid = st.study_instance_uid
              LEFT JOIN study_lifecycle l ON l.study_instance_uid = st.study_instance_uid
              LEFT JOIN held_study hs ON hs.study_instance_uid = st.study_instance_uid
              LEFT JOIN held_patient hp ON hp.patient_id = p.patient_id AND hp.issuer_of_patient_id = p.issuer_of_patient_id
            WHERE st.lifecycle_state < 3 AND st.num_instances > 0
            ORDER BY st.study_pk
            """);
        var facts = new List<StudyFacts>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            facts.Add(new StudyFacts
            {
                StudyInstanceUid = reader.GetString(0),
                Modalities = reader.GetFieldValue<string[]>(1),
                Departments = reader.GetFieldValue<string[]>(2),
                SopClasses = reader.GetFieldValue<string[]>(3),
                StudyDescription = reader.GetString(4),
                StudyDate = StudyFacts.ParseDicomDate(reader.GetString(5)),
                PatientBirthDate = StudyFacts.ParseDicomDate(reader.GetString(6)),
                FirstReceivedAt = reader.GetFieldValue<DateTimeOffset>(7),
                TotalBytes = reader.GetInt64(8),
                InstanceCount = reader.GetInt32(9),
                State = (StudyLifecycleState)reader.GetInt16(10),
                BodyParts = reader.GetFieldValue<string[]>(11),
                Tier = (StorageTier)reader.GetInt32(12),
                LastAccessAt = reader.IsDBNull(13) ? null : reader.GetFieldValue<DateTimeOffset>(13),
                RejectedAt = reader.IsDBNull(14) ? null : reader.GetFieldValue<DateTimeOffset>(14),
                OnLegalHold = reader.GetBoolean(15),
            });
        }

        return facts;
    }

    private static LegalHoldRecord ReadHold(NpgsqlDataReader reader)
    {
        string? Optional(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
        return new LegalHoldRecord
        {
            HoldId = reader.GetString(0),
            Scope = reader.GetString(1),
            StudyInstanceUid = Optional(2),
            PatientId = Optional(3),
            IssuerOfPatientId = reader.GetString(4),
            Reason = reader.GetString(5),
            PlacedBy = reader.GetString(6),
            PlacedAt = reader.GetFieldValue<DateTimeOffset>(7),
            ReleasedAt = reader.IsDBNull(8) ? null : reader.GetFieldValue<DateTimeOffset>(8),
            ReleasedBy = Optional(9),
            ReleaseReason = Optional(10),
        };
    }

    private static NpgsqlParameter Text(string? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text };

    private static NpgsqlParameter Time(DateTimeOffset? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz };
}
