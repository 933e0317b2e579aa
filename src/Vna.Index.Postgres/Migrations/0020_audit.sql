-- The audit trail: append-only, each row chained to the one before by SHA-256, so an edited or deleted row is
-- detectable (vna audit verify recomputes the chain). Rows are written before the action they record takes effect.
CREATE TABLE audit_log (
    id           bigserial PRIMARY KEY,
    at           timestamptz NOT NULL,
    actor        text        NOT NULL,
    action       text        NOT NULL,
    study_uid    text,
    sop_uid      text,
    reason       text        NOT NULL,
    details      text,
    prev_hash    text        NOT NULL,
    hash         text        NOT NULL UNIQUE
);

CREATE INDEX audit_log_study ON audit_log (study_uid, id);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only (% refused)', TG_OP;
END;
$$;

CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
