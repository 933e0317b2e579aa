-- 0031_tier_migration_queue: moves queued from the admin API are journalled before the request is acknowledged
-- (state 'queued'), so a crash before a worker takes them loses none: at start the migration service queues them again.
-- A queued row becomes the move's running row when the study's grain starts that move. transfer_syntax: the syntax the
-- move re-encodes to (NULL: as stored), so a move resumed after a crash re-encodes as it was asked to.
ALTER TABLE tier_migration DROP CONSTRAINT tier_migration_state_valid;
ALTER TABLE tier_migration ADD CONSTRAINT tier_migration_state_valid CHECK (state IN ('queued', 'running', 'done', 'failed'));
ALTER TABLE tier_migration ADD COLUMN transfer_syntax text;

-- At most one queued move per study (queuing it again replaces the target of the one waiting).
CREATE UNIQUE INDEX tier_migration_one_queued ON tier_migration (study_instance_uid) WHERE state = 'queued';
