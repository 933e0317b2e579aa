-- 0010_archive_index: the query index (patient, study, series, instance) and every instance's placement.
--
-- Written only by PostgresIndexStore.UpsertInstancesAsync (batched: one round trip per batch, patient/study/series rows
-- upserted once per batch, counters maintained incrementally so the cost per instance does not depend on the size of
-- the study). Read by C-FIND / QIDO-RS through QueryAsync and by retrieval and the study coordinators.
--
-- Conventions: text attributes are the decoded Unicode value with padding removed, '' when absent (never NULL), so
-- that matching and upserts never have to deal with NULL. Dates (DA) are kept as received. Times (TM) are kept as
-- received plus a *_key column: the time zero-padded to 'HHMMSS.FFFFFF' (NULL when absent or not a time), which
-- compares correctly as text for range matching. Person names (PN) have a *_norm column (lower-case, trailing
-- component and group delimiters removed: case-insensitive matching) and a *_words column (' ' + every lower-case
-- name component, separated by ' ': fuzzy matching by prefix of each component).
-- No statement or function body in this file contains a semicolon except at its end.

-- The sorted set union of two text arrays without empty strings (Modalities in Study, SOP Classes in Study,
-- source departments).
CREATE FUNCTION index_array_union(a text[], b text[]) RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $fn$ SELECT coalesce(array_agg(DISTINCT x ORDER BY x), '{}'::text[]) FROM unnest(a || b) AS x WHERE x <> '' $fn$;

-- Patient identity is (Patient ID, Issuer of Patient ID): two departments' "12345" are two patients.
CREATE TABLE patient (
    patient_pk            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    patient_id            text        NOT NULL,
    issuer_of_patient_id  text        NOT NULL DEFAULT '',
    patient_name          text        NOT NULL DEFAULT '',
    patient_name_norm     text        NOT NULL DEFAULT '',
    patient_name_words    text        NOT NULL DEFAULT '',
    patient_birth_date    text        NOT NULL DEFAULT '',
    patient_sex           text        NOT NULL DEFAULT '',
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT patient_identity UNIQUE (patient_id, issuer_of_patient_id)
);

CREATE INDEX patient_patient_id_pattern ON patient (patient_id text_pattern_ops);
CREATE INDEX patient_name_norm_pattern ON patient (patient_name_norm text_pattern_ops);
CREATE INDEX patient_birth_date ON patient (patient_birth_date);

-- lifecycle_state is StudyLifecycleState: 0 active, 1 migrating, 2 rejected, 3 purged. Rejected and purged studies
-- are hidden from queries unless the query asks for hidden studies.
-- num_* and total_bytes are maintained by the upsert (never recounted); num_nearline_instances counts the instances
-- on the cold tier, from which the study's Instance Availability is derived.
CREATE TABLE study (
    study_pk                        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    study_instance_uid              text        NOT NULL,
    patient_pk                      bigint      NOT NULL REFERENCES patient (patient_pk),
    study_date                      text        NOT NULL DEFAULT '',
    study_time                      text        NOT NULL DEFAULT '',
    study_time_key                  text,
    accession_number                text        NOT NULL DEFAULT '',
    issuer_of_accession_number      text        NOT NULL DEFAULT '',
    study_description               text        NOT NULL DEFAULT '',
    study_id                        text        NOT NULL DEFAULT '',
    referring_physician_name        text        NOT NULL DEFAULT '',
    referring_physician_name_norm   text        NOT NULL DEFAULT '',
    referring_physician_name_words  text        NOT NULL DEFAULT '',
    modalities_in_study             text[]      NOT NULL DEFAULT '{}',
    sop_classes_in_study            text[]      NOT NULL DEFAULT '{}',
    source_departments              text[]      NOT NULL DEFAULT '{}',
    num_series                      integer     NOT NULL DEFAULT 0,
    num_instances                   integer     NOT NULL DEFAULT 0,
    num_nearline_instances          integer     NOT NULL DEFAULT 0,
    total_bytes                     bigint      NOT NULL DEFAULT 0,
    lifecycle_state                 smallint    NOT NULL DEFAULT 0,
    first_received_at               timestamptz,
    last_received_at                timestamptz,
    created_at                      timestamptz NOT NULL DEFAULT now(),
    updated_at                      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT study_instance_uid_unique UNIQUE (study_instance_uid),
    CONSTRAINT study_lifecycle_state_valid CHECK (lifecycle_state BETWEEN 0 AND 3)
) WITH (fillfactor = 80);

CREATE INDEX study_patient ON study (patient_pk);
CREATE INDEX study_date_time ON study (study_date, study_time_key);
CREATE INDEX study_accession_pattern ON study (accession_number text_pattern_ops);
CREATE INDEX study_id_pattern ON study (study_id text_pattern_ops);
CREATE INDEX study_referring_physician_pattern ON study (referring_physician_name_norm text_pattern_ops);
CREATE INDEX study_modalities ON study USING gin (modalities_in_study);
CREATE INDEX study_hidden ON study (lifecycle_state) WHERE lifecycle_state >= 2;

CREATE TABLE series (
    series_pk                               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    series_instance_uid                     text        NOT NULL,
    study_pk                                bigint      NOT NULL REFERENCES study (study_pk),
    modality                                text        NOT NULL DEFAULT '',
    series_number                           text        NOT NULL DEFAULT '',
    series_description                      text        NOT NULL DEFAULT '',
    body_part_examined                      text        NOT NULL DEFAULT '',
    performed_procedure_step_start_date     text        NOT NULL DEFAULT '',
    performed_procedure_step_start_time     text        NOT NULL DEFAULT '',
    performed_procedure_step_start_time_key text,
    num_instances                           integer     NOT NULL DEFAULT 0,
    num_nearline_instances                  integer     NOT NULL DEFAULT 0,
    created_at                              timestamptz NOT NULL DEFAULT now(),
    updated_at                              timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT series_instance_uid_unique UNIQUE (series_instance_uid)
) WITH (fillfactor = 80);

CREATE INDEX series_study ON series (study_pk);
CREATE INDEX series_modality ON series (modality);

-- Placement: tier (StorageTier: 0 hot, 1 warm, 2 cold), the tier's key for the object, its checksum and size.
-- availability is InstanceAvailability (0 online, 1 nearline, 2 offline, 3 unavailable), set from the tier by the
-- upsert. study_pk is the series' study, kept here so that a study's instances are read without the series table.
CREATE TABLE instance (
    instance_pk             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sop_instance_uid        text        NOT NULL,
    series_pk               bigint      NOT NULL REFERENCES series (series_pk),
    study_pk                bigint      NOT NULL REFERENCES study (study_pk),
    sop_class_uid           text        NOT NULL,
    instance_number         text        NOT NULL DEFAULT '',
    specific_character_set  text        NOT NULL DEFAULT '',
    transfer_syntax_uid     text        NOT NULL,
    size                    bigint      NOT NULL,
    sha256                  text        NOT NULL,
    tier                    smallint    NOT NULL,
    location                text        NOT NULL,
    availability            smallint    NOT NULL DEFAULT 0,
    source_department       text        NOT NULL DEFAULT '',
    received_at             timestamptz NOT NULL,
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT instance_sop_instance_uid_unique UNIQUE (sop_instance_uid),
    CONSTRAINT instance_tier_valid CHECK (tier BETWEEN 0 AND 2),
    CONSTRAINT instance_availability_valid CHECK (availability BETWEEN 0 AND 3),
    CONSTRAINT instance_size_valid CHECK (size >= 0)
);

CREATE INDEX instance_series ON instance (series_pk);
CREATE INDEX instance_study ON instance (study_pk);
