-- 0030_tier_migrations: the journal of study moves between tiers (hot, warm, cold), written by the study grains
-- through Vna.Tiers' PostgresMigrationJournal and read by the admin API (GET /api/tiers/migrations) and, at start, by
-- the migration service, which retries the moves a crash left running.
-- state: 'running', 'done' or 'failed'. from_tier/to_tier are StorageTier (0 hot, 1 warm, 2 cold); from_tier is NULL
-- when the instances came from several tiers. At most one running move per study.
CREATE TABLE tier_migration (
    migration_pk        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    study_instance_uid  text        NOT NULL,
    from_tier           smallint,
    to_tier             smallint    NOT NULL,
    reason              text        NOT NULL DEFAULT '',
    state               text        NOT NULL DEFAULT 'running',
    attempts            integer     NOT NULL DEFAULT 1,
    instances           integer     NOT NULL DEFAULT 0,
    bytes               bigint      NOT NULL DEFAULT 0,
    error               text,
    started_at          timestamptz NOT NULL DEFAULT now(),
    finished_at         timestamptz,
    CONSTRAINT tier_migration_state_valid CHECK (state IN ('running', 'done', 'failed')),
    CONSTRAINT tier_migration_tiers_valid CHECK (to_tier BETWEEN 0 AND 2 AND (from_tier IS NULL OR from_tier BETWEEN 0 AND 2))
);

CREATE UNIQUE INDEX tier_migration_one_running ON tier_migration (study_instance_uid) WHERE state = 'running';
CREATE INDEX tier_migration_started ON tier_migration (started_at DESC);
