using Npgsql;
using NpgsqlTypes;
using Vna.Core;
using Vna.Dicom;
using Vna.Index.Postgres.Query;
using Vna.Index.Postgres.Upsert;

namespace Vna.Index.Postgres;

/// <summary>
/// The query index and placement record in PostgreSQL (schema: <c>Migrations/0010_archive_index.sql</c>).
/// Registration is batched: one round trip per batch, whatever its size, at a cost per instance that does not depend on
/// the size of the study. Queries follow PS3.4 C.2.2.2 matching (see <see cref="QueryAsync"/>).
/// </summary>
public sealed class PostgresIndexStore : IIndexStore
{
    private const string InstanceColumns = """
        SELECT p.patient_id, p.issuer_of_patient_id, p.patient_name, p.patient_birth_date, p.patient_sex,
               st.study_instance_uid, st.study_date, st.study_time, st.accession_number, st.issuer_of_accession_number,
               st.study_description, st.study_id, st.referring_physician_name,
               se.series_instance_uid, se.modality, se.series_number, se.series_description, se.body_part_examined,
               se.performed_procedure_step_start_date, se.performed_procedure_step_start_time,
               i.sop_class_uid, i.sop_instance_uid, i.instance_number, i.specific_character_set,
               i.transfer_syntax_uid, i.size, i.sha256, i.tier, i.location, i.source_department, i.received_at
        FROM instance i
          JOIN series se ON se.series_pk = i.series_pk
          JOIN study st ON st.study_pk = i.study_pk
          JOIN patient p ON p.patient_pk = st.patient_pk
        """;

    private const string StudyInstancesSql = InstanceColumns + """

        WHERE i.study_pk = (SELECT study_pk FROM study WHERE study_instance_uid = $1)
        ORDER BY i.series_pk, i.instance_pk
        """;

    private const string FindInstanceSql = InstanceColumns + """

        WHERE i.sop_instance_uid = $1
        """;

    private const string SetLifecycleStateSql = """
        UPDATE study SET lifecycle_state = $2, updated_at = now() WHERE study_instance_uid = $1
        """;

    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgresIndexOptions _options;
    private readonly GroupCommitQueue<StoredInstance>? _registrations;

    public PostgresIndexStore(NpgsqlDataSource dataSource, PostgresIndexOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        _dataSource = dataSource;
        _options = options ?? new PostgresIndexOptions();
        _options.Validate();
        if (_options.GroupCommitMaxInstances > 0)
        {
            _registrations = new GroupCommitQueue<StoredInstance>(WriteBatchAsync, i => IndexText.Clean(i.SopInstanceUid))
            {
                MaxItems = _options.GroupCommitMaxInstances,
            };
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// Instances repeated in the batch count once (the last wins); an instance already indexed is replaced (placement,
    /// checksum, attributes) and the counters change only by the difference, so re-sending a batch is idempotent.
    /// Patient, study and series attributes merge: a non-empty value replaces the stored one, an empty one keeps it.
    /// Batches of concurrent callers share one transaction (<see cref="PostgresIndexOptions.GroupCommitMaxInstances"/>);
    /// this returns once the transaction holding this batch has committed, and a batch that cannot be written fails
    /// alone.
    /// </remarks>
    public Task UpsertInstancesAsync(IReadOnlyList<StoredInstance> instances, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instances);
        if (instances.Count == 0)
        {
            return Task.CompletedTask;
        }

        return _registrations is null ? WriteBatchAsync(instances, cancellationToken) : _registrations.WriteAsync(instances, cancellationToken);
    }

    /// <summary>One transaction: the batch's patient, study, series and instance rows and the counters.</summary>
    private async Task WriteBatchAsync(IReadOnlyList<StoredInstance> instances, CancellationToken cancellationToken)
    {
        var rows = IndexBatch.Create(instances);
        await using var batch = _dataSource.CreateBatch();
        UpsertCommands.AddTo(batch, rows);
        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Hidden (rejected, purged) studies included. Patient, study and series attributes are the index's current, merged
    /// values (the same for every instance of the study); Series Number and Instance Number come back without padding or
    /// leading zeros. In series, then registration order.
    /// </remarks>
    public async Task<IReadOnlyList<StoredInstance>> GetStudyInstancesAsync(string studyInstanceUid, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(studyInstanceUid);
        await using var command = _dataSource.CreateCommand(StudyInstancesSql);
        command.Parameters.Add(new NpgsqlParameter { Value = IndexText.Clean(studyInstanceUid), NpgsqlDbType = NpgsqlDbType.Text });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var result = new List<StoredInstance>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add(ReadInstance(reader));
        }

        return result;
    }

    /// <inheritdoc />
    public async Task<StoredInstance?> FindInstanceAsync(string sopInstanceUid, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sopInstanceUid);
        await using var command = _dataSource.CreateCommand(FindInstanceSql);
        command.Parameters.Add(new NpgsqlParameter { Value = IndexText.Clean(sopInstanceUid), NpgsqlDbType = NpgsqlDbType.Text });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadInstance(reader) : null;
    }

    /// <inheritdoc />
    /// <remarks>
    /// <para>Matching (PS3.4 C.2.2.2): universal (empty value or "*"), single value (case-sensitive; person names
    /// case-insensitive), wild cards '*' and '?', empty value ("" matches empty attributes), list of UIDs and any of
    /// several values, date and time ranges ("A-B", "-B", "A-"), combined date-time ranges when
    /// <see cref="PostgresIndexOptions.CombinedDateTimeMatching"/> is on, fuzzy person names (each word of the key starts
    /// a word of the name) when the query asks. Sequence matching only for Issuer of Accession Number Sequence (its Local
    /// Namespace Entity ID).</para>
    /// <para>Keys of the query level and the levels above it are matched (relational); keys below it, keys the index does
    /// not hold and Timezone Offset From UTC are ignored and listed in <see cref="IndexQueryResult.IgnoredKeys"/>.
    /// Return keys the index does not hold come back zero-length. Each match holds Query/Retrieve Level, the unique keys
    /// of its level and the levels above (Patient ID and Issuer of Patient ID in the Patient Root model), and
    /// Specific Character Set "ISO_IR 192" when it returns text that is not ASCII. Rejected and purged studies (and
    /// patients with no other study) are left out unless <see cref="IndexQuery.IncludeHidden"/>. Matches are in
    /// registration order.</para>
    /// </remarks>
    /// <exception cref="ArgumentException">A key's value cannot be matched (a date or time range that is not one).</exception>
    public async Task<IndexQueryResult> QueryAsync(IndexQuery query, CancellationToken cancellationToken)
    {
        var translated = QueryTranslator.Translate(query, _options);
        await using var batch = _dataSource.CreateBatch();

        var count = new NpgsqlBatchCommand(translated.CountSql);
        count.Parameters.AddRange(translated.Parameters.Create().ToArray());
        batch.BatchCommands.Add(count);
        if (translated.Limit > 0)
        {
            var page = new NpgsqlBatchCommand(translated.PageSql);
            page.Parameters.AddRange(translated.Parameters.Create().ToArray());
            page.Parameters.Add(new NpgsqlParameter { Value = (long)translated.Limit, NpgsqlDbType = NpgsqlDbType.Bigint });
            page.Parameters.Add(new NpgsqlParameter { Value = (long)translated.Offset, NpgsqlDbType = NpgsqlDbType.Bigint });
            batch.BatchCommands.Add(page);
        }

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        long total = 0;
        if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            total = reader.GetInt64(0);
        }

        var matches = new List<DicomDataset>();
        if (translated.Limit > 0 && await reader.NextResultAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                matches.Add(ResultBuilder.Build(reader, translated));
            }
        }

        return new IndexQueryResult { Matches = matches, TotalCount = total, IgnoredKeys = translated.IgnoredKeys };
    }

    /// <summary>
    /// Sets a study's lifecycle state (what the lifecycle engine and the coordinator record: rejected and purged studies
    /// are hidden from queries). Returns false when the index has no such study.
    /// </summary>
    public async Task<bool> SetStudyLifecycleStateAsync(string studyInstanceUid, StudyLifecycleState state, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(studyInstanceUid);
        if (!Enum.IsDefined(state))
        {
            throw new ArgumentOutOfRangeException(nameof(state), state, "Unknown lifecycle state.");
        }

        await using var command = _dataSource.CreateCommand(SetLifecycleStateSql);
        command.Parameters.Add(new NpgsqlParameter { Value = IndexText.Clean(studyInstanceUid), NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (short)state, NpgsqlDbType = NpgsqlDbType.Smallint });
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    private static StoredInstance ReadInstance(NpgsqlDataReader reader)
    {
        var attributes = new InstanceAttributes
        {
            PatientId = reader.GetString(0),
            IssuerOfPatientId = reader.GetString(1),
            PatientName = reader.GetString(2),
            PatientBirthDate = reader.GetString(3),
            PatientSex = reader.GetString(4),
            StudyInstanceUid = reader.GetString(5),
            StudyDate = reader.GetString(6),
            StudyTime = reader.GetString(7),
            AccessionNumber = reader.GetString(8),
            IssuerOfAccessionNumber = reader.GetString(9),
            StudyDescription = reader.GetString(10),
            StudyId = reader.GetString(11),
            ReferringPhysicianName = reader.GetString(12),
            SeriesInstanceUid = reader.GetString(13),
            Modality = reader.GetString(14),
            SeriesNumber = reader.GetString(15),
            SeriesDescription = reader.GetString(16),
            BodyPartExamined = reader.GetString(17),
            PerformedProcedureStepStartDate = reader.GetString(18),
            PerformedProcedureStepStartTime = reader.GetString(19),
            SopClassUid = reader.GetString(20),
            SopInstanceUid = reader.GetString(21),
            InstanceNumber = reader.GetString(22),
            SpecificCharacterSet = reader.GetString(23),
        };

        return new StoredInstance
        {
            Attributes = attributes,
            TransferSyntaxUid = reader.GetString(24),
            Size = reader.GetInt64(25),
            Sha256 = reader.GetString(26),
            Tier = (StorageTier)reader.GetInt16(27),
            Location = reader.GetString(28),
            SourceDepartment = reader.GetString(29),
            ReceivedAt = reader.GetFieldValue<DateTimeOffset>(30),
        };
    }
}
