-- 0040_lifecycle: retention policies, legal holds, last access and the lifecycle engine's report (issue 7, Vna.Lifecycle).
--
-- audit_log gains the version of the policies an action was taken under. The hash chain covers it when it is set, so
-- rows written before this column existed still verify (PostgresAuditSink.ComputeHash).
ALTER TABLE audit_log ADD COLUMN policy_version text;

-- Every activation of a policy document is kept; the policies in force are the active rows (one per name).
-- body is the YAML as written; sha256 its checksum.
CREATE TABLE policy_document (
    policy_pk       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name            text        NOT NULL,
    version         text        NOT NULL,
    sha256          text        NOT NULL,
    body            text        NOT NULL,
    active          boolean     NOT NULL DEFAULT true,
    activated_at    timestamptz NOT NULL,
    activated_by    text        NOT NULL,
    deactivated_at  timestamptz,
    deactivated_by  text
);

CREATE UNIQUE INDEX policy_document_one_active ON policy_document (name) WHERE active;

-- Legal holds, per study or per patient (Patient ID + Issuer: every study of the patient, including later ones).
-- Released holds stay (released_at set). While an unreleased hold covers a study it is never rejected or purged.
CREATE TABLE legal_hold (
    hold_pk               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    hold_id               text        NOT NULL,
    scope                 text        NOT NULL,
    study_instance_uid    text,
    patient_id            text,
    issuer_of_patient_id  text        NOT NULL DEFAULT '',
    reason                text        NOT NULL,
    placed_by             text        NOT NULL,
    placed_at             timestamptz NOT NULL,
    released_at           timestamptz,
    released_by           text,
    release_reason        text,
    CONSTRAINT legal_hold_id_unique UNIQUE (hold_id),
    CONSTRAINT legal_hold_scope_valid CHECK (
        (scope = 'study' AND study_instance_uid IS NOT NULL) OR (scope = 'patient' AND patient_id IS NOT NULL))
);

CREATE INDEX legal_hold_study ON legal_hold (study_instance_uid) WHERE released_at IS NULL;
CREATE INDEX legal_hold_patient ON legal_hold (patient_id, issuer_of_patient_id) WHERE released_at IS NULL;

-- The last time each study was read (retrieval front ends call IStudyAccessRecorder; written in batches).
CREATE TABLE study_access (
    study_instance_uid  text        PRIMARY KEY,
    last_access_at      timestamptz NOT NULL,
    access_count        bigint      NOT NULL DEFAULT 0
);

-- The lifecycle engine's report, one row per study it has evaluated: the rule and policy version in force, the next
-- due step, when it was rejected (its grace counts from then), failures and parking (a study that kept failing waits
-- for an operator: POST /api/lifecycle/studies/{uid}/retry).
CREATE TABLE study_lifecycle (
    study_instance_uid  text        PRIMARY KEY,
    lifecycle_state     smallint    NOT NULL DEFAULT 0,
    rule                text,
    policy_version      text,
    next_due_at         timestamptz,
    next_step           text,
    rejected_at         timestamptz,
    failures            integer     NOT NULL DEFAULT 0,
    parked_at           timestamptz,
    last_error          text,
    updated_at          timestamptz NOT NULL
);

CREATE INDEX study_lifecycle_parked ON study_lifecycle (parked_at) WHERE parked_at IS NOT NULL;

-- Purge of a study's index rows (instances, series, study; its patient when no other study is left; its DICOMweb
-- metadata when that table exists). Called by the study's grain after its audit record is written and every copy of
-- its objects deleted. Returns the number of instance rows deleted (0 when the study is gone already).
CREATE FUNCTION lifecycle_purge_study(uid text) RETURNS integer LANGUAGE plpgsql AS $fn$
DECLARE
    spk bigint;
    ppk bigint;
    n integer := 0;
BEGIN
    SELECT study_pk, patient_pk INTO spk, ppk FROM study WHERE study_instance_uid = uid;
    IF spk IS NOT NULL THEN
        DELETE FROM instance WHERE study_pk = spk;
        GET DIAGNOSTICS n = ROW_COUNT;
        DELETE FROM series WHERE study_pk = spk;
        DELETE FROM study WHERE study_pk = spk;
        DELETE FROM patient p WHERE p.patient_pk = ppk AND NOT EXISTS (SELECT 1 FROM study s WHERE s.patient_pk = ppk);
    END IF;
    IF to_regclass('web_instance_metadata') IS NOT NULL THEN
        EXECUTE 'DELETE FROM web_instance_metadata WHERE study_instance_uid = $1' USING uid;
    END IF;
    DELETE FROM study_access WHERE study_instance_uid = uid;
    RETURN n;
END;
$fn$;
