using Npgsql;
using NpgsqlTypes;
using Vna.Core;
using Vna.Index.Postgres.Query;

namespace Vna.Index.Postgres.Upsert;

/// <summary>
/// The statements that register a batch, sent together as one <see cref="NpgsqlBatch"/> (one round trip; without
/// error barriers the batch is one implicit transaction: any failure rolls all of it back).
/// </summary>
/// <remarks>
/// Each table is written once per batch from column arrays (<c>unnest</c>), whatever the number of instances; counters
/// are maintained from the rows the batch inserts, moves or changes (never recounted), so the cost of a batch does
/// not depend on how many instances its studies already hold.
/// </remarks>
internal static class UpsertCommands
{
    /// <summary>
    /// Serialises writers of the same study (the coordinator is the single writer of a study; this keeps the counters
    /// right if two ever overlap). The first key is 'VNAI'; locks are taken in key order.
    /// </summary>
    public const string LockStudies = """
        SELECT pg_advisory_xact_lock(1447969097, q.k)
        FROM (SELECT DISTINCT hashtext(u) AS k FROM unnest($1::text[]) AS u ORDER BY 1) AS q
        """;

    /// <summary>Patients: inserted, or their non-empty new values written (a row is only rewritten when something changes).</summary>
    public const string UpsertPatients = """
        INSERT INTO patient AS t (patient_id, issuer_of_patient_id, patient_name, patient_name_norm, patient_name_words,
                                  patient_birth_date, patient_sex)
        SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
        ON CONFLICT (patient_id, issuer_of_patient_id) DO UPDATE SET
            patient_name       = CASE WHEN excluded.patient_name <> '' THEN excluded.patient_name ELSE t.patient_name END,
            patient_name_norm  = CASE WHEN excluded.patient_name <> '' THEN excluded.patient_name_norm ELSE t.patient_name_norm END,
            patient_name_words = CASE WHEN excluded.patient_name <> '' THEN excluded.patient_name_words ELSE t.patient_name_words END,
            patient_birth_date = CASE WHEN excluded.patient_birth_date <> '' THEN excluded.patient_birth_date ELSE t.patient_birth_date END,
            patient_sex        = CASE WHEN excluded.patient_sex <> '' THEN excluded.patient_sex ELSE t.patient_sex END,
            updated_at         = now()
        WHERE (excluded.patient_name <> '' AND excluded.patient_name IS DISTINCT FROM t.patient_name)
           OR (excluded.patient_birth_date <> '' AND excluded.patient_birth_date IS DISTINCT FROM t.patient_birth_date)
           OR (excluded.patient_sex <> '' AND excluded.patient_sex IS DISTINCT FROM t.patient_sex)
        """;

    /// <summary>
    /// Studies: inserted or merged (non-empty values win; modalities, SOP classes and departments are set unions). A study
    /// row is rewritten only when the batch changes one of its values: most batches add instances to a study whose
    /// attributes they repeat, and then only the counters and receive times change (<see cref="UpsertInstances"/>).
    /// </summary>
    public const string UpsertStudies = """
        INSERT INTO study AS t (study_instance_uid, patient_pk, study_date, study_time, study_time_key, accession_number,
                                issuer_of_accession_number, study_description, study_id, referring_physician_name,
                                referring_physician_name_norm, referring_physician_name_words, modalities_in_study,
                                sop_classes_in_study, source_departments, first_received_at, last_received_at)
        SELECT u.uid, p.patient_pk, u.study_date, u.study_time, u.study_time_key, u.accession, u.accession_issuer,
               u.description, u.study_id, u.referring, u.referring_norm, u.referring_words,
               string_to_array(u.modalities, chr(31)), string_to_array(u.sop_classes, chr(31)),
               string_to_array(u.departments, chr(31)), u.first_at, u.last_at
        FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                    $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::text[],
                    $17::timestamptz[], $18::timestamptz[])
             AS u(uid, patient_id, issuer, study_date, study_time, study_time_key, accession, accession_issuer, description,
                  study_id, referring, referring_norm, referring_words, modalities, sop_classes, departments, first_at, last_at)
        JOIN patient p ON p.patient_id = u.patient_id AND p.issuer_of_patient_id = u.issuer
        ORDER BY u.uid
        ON CONFLICT (study_instance_uid) DO UPDATE SET
            patient_pk                     = excluded.patient_pk,
            study_date                     = CASE WHEN excluded.study_date <> '' THEN excluded.study_date ELSE t.study_date END,
            study_time                     = CASE WHEN excluded.study_time <> '' THEN excluded.study_time ELSE t.study_time END,
            study_time_key                 = CASE WHEN excluded.study_time <> '' THEN excluded.study_time_key ELSE t.study_time_key END,
            accession_number               = CASE WHEN excluded.accession_number <> '' THEN excluded.accession_number ELSE t.accession_number END,
            issuer_of_accession_number     = CASE WHEN excluded.issuer_of_accession_number <> '' THEN excluded.issuer_of_accession_number ELSE t.issuer_of_accession_number END,
            study_description              = CASE WHEN excluded.study_description <> '' THEN excluded.study_description ELSE t.study_description END,
            study_id                       = CASE WHEN excluded.study_id <> '' THEN excluded.study_id ELSE t.study_id END,
            referring_physician_name       = CASE WHEN excluded.referring_physician_name <> '' THEN excluded.referring_physician_name ELSE t.referring_physician_name END,
            referring_physician_name_norm  = CASE WHEN excluded.referring_physician_name <> '' THEN excluded.referring_physician_name_norm ELSE t.referring_physician_name_norm END,
            referring_physician_name_words = CASE WHEN excluded.referring_physician_name <> '' THEN excluded.referring_physician_name_words ELSE t.referring_physician_name_words END,
            modalities_in_study            = index_array_union(t.modalities_in_study, excluded.modalities_in_study),
            sop_classes_in_study           = index_array_union(t.sop_classes_in_study, excluded.sop_classes_in_study),
            source_departments             = index_array_union(t.source_departments, excluded.source_departments),
            updated_at                     = now()
        WHERE t.patient_pk <> excluded.patient_pk
           OR (excluded.study_date <> '' AND excluded.study_date <> t.study_date)
           OR (excluded.study_time <> '' AND excluded.study_time <> t.study_time)
           OR (excluded.accession_number <> '' AND excluded.accession_number <> t.accession_number)
           OR (excluded.issuer_of_accession_number <> '' AND excluded.issuer_of_accession_number <> t.issuer_of_accession_number)
           OR (excluded.study_description <> '' AND excluded.study_description <> t.study_description)
           OR (excluded.study_id <> '' AND excluded.study_id <> t.study_id)
           OR (excluded.referring_physician_name <> '' AND excluded.referring_physician_name <> t.referring_physician_name)
           OR NOT (excluded.modalities_in_study <@ t.modalities_in_study)
           OR NOT (excluded.sop_classes_in_study <@ t.sop_classes_in_study)
           OR NOT (excluded.source_departments <@ t.source_departments)
        """;

    /// <summary>Series: inserted or merged; each study's series count grows by the series the batch inserted.</summary>
    public const string UpsertSeries = """
        WITH up AS (
            INSERT INTO series AS t (series_instance_uid, study_pk, modality, series_number, series_description,
                                     body_part_examined, performed_procedure_step_start_date,
                                     performed_procedure_step_start_time, performed_procedure_step_start_time_key)
            SELECT u.uid, s.study_pk, u.modality, u.series_number, u.description, u.body_part, u.pps_date, u.pps_time, u.pps_time_key
            FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])
                 AS u(uid, study_uid, modality, series_number, description, body_part, pps_date, pps_time, pps_time_key)
            JOIN study s ON s.study_instance_uid = u.study_uid
            ORDER BY u.uid
            ON CONFLICT (series_instance_uid) DO UPDATE SET
                study_pk                                = excluded.study_pk,
                modality                                = CASE WHEN excluded.modality <> '' THEN excluded.modality ELSE t.modality END,
                series_number                           = CASE WHEN excluded.series_number <> '' THEN excluded.series_number ELSE t.series_number END,
                series_description                      = CASE WHEN excluded.series_description <> '' THEN excluded.series_description ELSE t.series_description END,
                body_part_examined                      = CASE WHEN excluded.body_part_examined <> '' THEN excluded.body_part_examined ELSE t.body_part_examined END,
                performed_procedure_step_start_date     = CASE WHEN excluded.performed_procedure_step_start_date <> '' THEN excluded.performed_procedure_step_start_date ELSE t.performed_procedure_step_start_date END,
                performed_procedure_step_start_time     = CASE WHEN excluded.performed_procedure_step_start_time <> '' THEN excluded.performed_procedure_step_start_time ELSE t.performed_procedure_step_start_time END,
                performed_procedure_step_start_time_key = CASE WHEN excluded.performed_procedure_step_start_time <> '' THEN excluded.performed_procedure_step_start_time_key ELSE t.performed_procedure_step_start_time_key END,
                updated_at                              = now()
            WHERE t.study_pk <> excluded.study_pk
               OR (excluded.modality <> '' AND excluded.modality <> t.modality)
               OR (excluded.series_number <> '' AND excluded.series_number <> t.series_number)
               OR (excluded.series_description <> '' AND excluded.series_description <> t.series_description)
               OR (excluded.body_part_examined <> '' AND excluded.body_part_examined <> t.body_part_examined)
               OR (excluded.performed_procedure_step_start_date <> '' AND excluded.performed_procedure_step_start_date <> t.performed_procedure_step_start_date)
               OR (excluded.performed_procedure_step_start_time <> '' AND excluded.performed_procedure_step_start_time <> t.performed_procedure_step_start_time)
            RETURNING t.study_pk, (t.xmax = 0) AS inserted
        )
        UPDATE study AS s SET num_series = s.num_series + c.n, updated_at = now()
        FROM (SELECT study_pk, count(*)::integer AS n FROM up WHERE inserted GROUP BY study_pk) AS c
        WHERE s.study_pk = c.study_pk
        """;

    /// <summary>
    /// Instances: inserted or replaced (placement, checksum, attributes); then each series' and study's counters change by
    /// the difference between the new rows and the rows they replaced (read from the same snapshot before the upsert), and
    /// each study's first and last receive times take in the batch's.
    /// </summary>
    public const string UpsertInstances = """
        WITH u AS (
            SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[],
                                 $8::text[], $9::smallint[], $10::text[], $11::smallint[], $12::text[], $13::timestamptz[])
                 AS u(sop_uid, series_uid, sop_class_uid, instance_number, character_set, transfer_syntax, size, sha256,
                      tier, location, availability, department, received_at)
        ),
        old AS (
            SELECT i.series_pk, i.study_pk, i.size, i.availability
            FROM instance i JOIN u ON i.sop_instance_uid = u.sop_uid
        ),
        up AS (
            INSERT INTO instance AS t (sop_instance_uid, series_pk, study_pk, sop_class_uid, instance_number,
                                       specific_character_set, transfer_syntax_uid, size, sha256, tier, location,
                                       availability, source_department, received_at)
            SELECT u.sop_uid, se.series_pk, se.study_pk, u.sop_class_uid, u.instance_number, u.character_set,
                   u.transfer_syntax, u.size, u.sha256, u.tier, u.location, u.availability, u.department, u.received_at
            FROM u JOIN series se ON se.series_instance_uid = u.series_uid
            ORDER BY u.sop_uid
            ON CONFLICT (sop_instance_uid) DO UPDATE SET
                series_pk              = excluded.series_pk,
                study_pk               = excluded.study_pk,
                sop_class_uid          = excluded.sop_class_uid,
                instance_number        = excluded.instance_number,
                specific_character_set = excluded.specific_character_set,
                transfer_syntax_uid    = excluded.transfer_syntax_uid,
                size                   = excluded.size,
                sha256                 = excluded.sha256,
                tier                   = excluded.tier,
                location               = excluded.location,
                availability           = excluded.availability,
                source_department      = excluded.source_department,
                received_at            = excluded.received_at,
                updated_at             = now()
            RETURNING t.series_pk, t.study_pk, t.size, t.availability, t.received_at
        ),
        d AS (
            SELECT series_pk, study_pk, 1 AS n, size AS bytes, CASE WHEN availability = 1 THEN 1 ELSE 0 END AS nearline,
                   received_at FROM up
            UNION ALL
            SELECT series_pk, study_pk, -1, -size, CASE WHEN availability = 1 THEN -1 ELSE 0 END, NULL FROM old
        ),
        series_counts AS (
            UPDATE series AS s
            SET num_instances = s.num_instances + c.n, num_nearline_instances = s.num_nearline_instances + c.nearline, updated_at = now()
            FROM (SELECT series_pk, sum(n)::integer AS n, sum(nearline)::integer AS nearline FROM d GROUP BY series_pk) AS c
            WHERE s.series_pk = c.series_pk AND (c.n <> 0 OR c.nearline <> 0)
        )
        UPDATE study AS s
        SET num_instances = s.num_instances + c.n, num_nearline_instances = s.num_nearline_instances + c.nearline,
            total_bytes = s.total_bytes + c.bytes, first_received_at = LEAST(s.first_received_at, c.first_at),
            last_received_at = GREATEST(s.last_received_at, c.last_at), updated_at = now()
        FROM (SELECT study_pk, sum(n)::integer AS n, sum(nearline)::integer AS nearline, sum(bytes)::bigint AS bytes,
                     min(received_at) AS first_at, max(received_at) AS last_at
              FROM d GROUP BY study_pk) AS c
        WHERE s.study_pk = c.study_pk
          AND (c.n <> 0 OR c.nearline <> 0 OR c.bytes <> 0 OR s.first_received_at IS NULL OR c.first_at < s.first_received_at
               OR c.last_at > s.last_received_at)
        """;

    /// <summary>
    /// The metadata documents made at ingest (<see cref="StoredInstance.Document"/>), in the transaction that indexes their
    /// instances: an instance is never visible without its metadata. The table is DICOMweb's (0050_web_metadata), which
    /// also writes a row when it makes one from a stored object (Vna.Web's PostgresInstanceMetadataStore).
    /// </summary>
    public const string UpsertDocuments = """
        INSERT INTO web_instance_metadata (study_instance_uid, series_instance_uid, sop_instance_uid, sha256, metadata, rows,
                                           columns, bits_allocated, number_of_frames)
        SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bytea[], $6::int[], $7::int[], $8::int[], $9::int[])
        ORDER BY 3
        ON CONFLICT (sop_instance_uid) DO UPDATE SET
            study_instance_uid = excluded.study_instance_uid, series_instance_uid = excluded.series_instance_uid,
            sha256 = excluded.sha256, metadata = excluded.metadata, rows = excluded.rows, columns = excluded.columns,
            bits_allocated = excluded.bits_allocated, number_of_frames = excluded.number_of_frames, updated_at = now()
        """;

    public static void AddTo(NpgsqlBatch batch, IndexBatch rows)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(rows);

        batch.BatchCommands.Add(Command(LockStudies, Texts(rows.Studies, s => s.Uid)));

        var patients = rows.Patients;
        batch.BatchCommands.Add(Command(
            UpsertPatients,
            Texts(patients, p => p.PatientId),
            Texts(patients, p => p.Issuer),
            Texts(patients, p => p.Name),
            Texts(patients, p => p.NameNorm),
            Texts(patients, p => p.NameWords),
            Texts(patients, p => p.BirthDate),
            Texts(patients, p => p.Sex)));

        var studies = rows.Studies;
        batch.BatchCommands.Add(Command(
            UpsertStudies,
            Texts(studies, s => s.Uid),
            Texts(studies, s => s.Patient.PatientId),
            Texts(studies, s => s.Patient.Issuer),
            Texts(studies, s => s.Date),
            Texts(studies, s => s.Time),
            Texts(studies, s => s.TimeKey),
            Texts(studies, s => s.AccessionNumber),
            Texts(studies, s => s.IssuerOfAccessionNumber),
            Texts(studies, s => s.Description),
            Texts(studies, s => s.StudyId),
            Texts(studies, s => s.ReferringPhysicianName),
            Texts(studies, s => s.ReferringPhysicianNameNorm),
            Texts(studies, s => s.ReferringPhysicianNameWords),
            Texts(studies, s => IndexBatch.JoinSet(s.Modalities)),
            Texts(studies, s => IndexBatch.JoinSet(s.SopClasses)),
            Texts(studies, s => IndexBatch.JoinSet(s.Departments)),
            Times(studies, s => s.FirstReceivedAt),
            Times(studies, s => s.LastReceivedAt)));

        var series = rows.Series;
        batch.BatchCommands.Add(Command(
            UpsertSeries,
            Texts(series, s => s.Uid),
            Texts(series, s => s.StudyUid),
            Texts(series, s => s.Modality),
            Texts(series, s => s.SeriesNumber),
            Texts(series, s => s.Description),
            Texts(series, s => s.BodyPartExamined),
            Texts(series, s => s.PerformedProcedureStepStartDate),
            Texts(series, s => s.PerformedProcedureStepStartTime),
            Texts(series, s => s.PerformedProcedureStepStartTimeKey)));

        var instances = rows.Instances;
        batch.BatchCommands.Add(Command(
            UpsertInstances,
            Texts(instances, i => IndexText.Clean(i.SopInstanceUid)),
            Texts(instances, i => IndexText.Clean(i.SeriesInstanceUid)),
            Texts(instances, i => IndexText.Clean(i.Attributes.SopClassUid)),
            Texts(instances, i => IndexText.NormalizeIntegerString(i.Attributes.InstanceNumber)),
            Texts(instances, i => IndexText.Clean(i.Attributes.SpecificCharacterSet)),
            Texts(instances, i => IndexText.Clean(i.TransferSyntaxUid)),
            new NpgsqlParameter { Value = instances.Select(i => i.Size).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint },
            Texts(instances, i => IndexText.Clean(i.Sha256).ToLowerInvariant()),
            Smallints(instances, i => (short)i.Tier),
            Texts(instances, i => i.Location),
            Smallints(instances, i => (short)AvailabilityCodes.FromTier(i.Tier)),
            Texts(instances, i => IndexText.Clean(i.SourceDepartment)),
            Times(instances, i => i.ReceivedAt.UtcDateTime)));

        var documents = instances.Where(i => i.Document is not null).ToArray();
        if (documents.Length > 0)
        {
            batch.BatchCommands.Add(Command(
                UpsertDocuments,
                Texts(documents, i => IndexText.Clean(i.StudyInstanceUid)),
                Texts(documents, i => IndexText.Clean(i.SeriesInstanceUid)),
                Texts(documents, i => IndexText.Clean(i.SopInstanceUid)),
                Texts(documents, i => IndexText.Clean(i.Sha256).ToLowerInvariant()),
                new NpgsqlParameter { Value = documents.Select(i => i.Document!.Json).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea },
                Integers(documents, i => i.Document!.Rows),
                Integers(documents, i => i.Document!.Columns),
                Integers(documents, i => i.Document!.BitsAllocated),
                Integers(documents, i => i.Document!.NumberOfFrames)));
        }
    }

    private static NpgsqlBatchCommand Command(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }

    private static NpgsqlParameter Texts<T>(IReadOnlyList<T> rows, Func<T, string?> value) =>
        new() { Value = rows.Select(value).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text };

    private static NpgsqlParameter Integers<T>(IReadOnlyList<T> rows, Func<T, int?> value) =>
        new() { Value = rows.Select(value).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer };

    private static NpgsqlParameter Smallints<T>(IReadOnlyList<T> rows, Func<T, short> value) =>
        new() { Value = rows.Select(value).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Smallint };

    private static NpgsqlParameter Times<T>(IReadOnlyList<T> rows, Func<T, DateTime> value) =>
        new() { Value = rows.Select(value).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz };
}
