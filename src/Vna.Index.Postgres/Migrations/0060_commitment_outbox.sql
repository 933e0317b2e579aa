-- 0060_commitment_outbox: storage commitment reports that must reach their requester on a new association are kept here
-- from the moment they are decided until the requester answers, so neither an unreachable requester nor a restart of the
-- archive loses one. A sender leases due rows (next_attempt_at moves past the lease) so that one silo sends each; a row
-- that was never delivered within the retry period stays as 'abandoned' for the administrator.
CREATE TABLE commitment_outbox (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    transaction_uid    text        NOT NULL,
    department         text        NOT NULL,
    requester_ae_title text        NOT NULL,
    calling_ae_title   text        NOT NULL,
    event_type_id      smallint    NOT NULL,
    committed_count    integer     NOT NULL,
    failed_count       integer     NOT NULL,
    report             bytea       NOT NULL,
    state              text        NOT NULL DEFAULT 'pending',
    attempts           integer     NOT NULL DEFAULT 0,
    last_error         text,
    created_at         timestamptz NOT NULL,
    next_attempt_at    timestamptz NOT NULL,
    CONSTRAINT commitment_outbox_state_valid CHECK (state IN ('pending', 'abandoned'))
);

CREATE INDEX commitment_outbox_due ON commitment_outbox (next_attempt_at) WHERE state = 'pending';
