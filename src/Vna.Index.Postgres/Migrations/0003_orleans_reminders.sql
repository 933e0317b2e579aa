-- 0003: Orleans reminders (Microsoft.Orleans.Reminders.AdoNet 10.4.x), Vna's own schema.
--
-- One row per reminder: per service (@ServiceId), grain (@GrainId, Orleans' "type/key" text) and
-- reminder name. grain_hash is the grain's uniform hash as a signed 32-bit number; each silo's
-- reminder service reads the reminders of its own slice of the hash ring by it. version is the
-- reminder's ETag, moved by one at every upsert. period_ms is the period in milliseconds.
-- Migrations/README.md lists the contract.

CREATE TABLE orleans_reminder (
    service_id    text        NOT NULL,
    grain_id      text        NOT NULL,
    reminder_name text        NOT NULL,
    start_time    timestamptz NOT NULL,
    period_ms     bigint      NOT NULL,
    grain_hash    integer     NOT NULL,
    version       integer     NOT NULL,
    PRIMARY KEY (service_id, grain_id, reminder_name)
);

CREATE INDEX orleans_reminder_ring ON orleans_reminder (service_id, grain_hash);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES

-- Every reminder of one grain.
('ReadReminderRowsKey', $sql$
SELECT grain_id      AS "GrainId",
       reminder_name AS "ReminderName",
       start_time    AS "StartTime",
       period_ms     AS "Period",
       version       AS "Version"
  FROM orleans_reminder
 WHERE service_id = @ServiceId
   AND grain_id = @GrainId
$sql$),

-- One reminder of one grain; no row when it does not exist.
('ReadReminderRowKey', $sql$
SELECT grain_id      AS "GrainId",
       reminder_name AS "ReminderName",
       start_time    AS "StartTime",
       period_ms     AS "Period",
       version       AS "Version"
  FROM orleans_reminder
 WHERE service_id = @ServiceId
   AND grain_id = @GrainId
   AND reminder_name = @ReminderName
$sql$),

-- The reminders of the ring slice (@BeginHash, @EndHash] when it does not wrap around in signed
-- order (the provider picks this statement when (int)begin < (int)end).
('ReadRangeRows1Key', $sql$
SELECT grain_id      AS "GrainId",
       reminder_name AS "ReminderName",
       start_time    AS "StartTime",
       period_ms     AS "Period",
       version       AS "Version"
  FROM orleans_reminder
 WHERE service_id = @ServiceId
   AND grain_hash > @BeginHash
   AND grain_hash <= @EndHash
$sql$),

-- The reminders of the ring slice (@BeginHash, @EndHash] when it wraps around past the largest
-- signed value (or covers the whole ring, begin = end).
('ReadRangeRows2Key', $sql$
SELECT grain_id      AS "GrainId",
       reminder_name AS "ReminderName",
       start_time    AS "StartTime",
       period_ms     AS "Period",
       version       AS "Version"
  FROM orleans_reminder
 WHERE service_id = @ServiceId
   AND (grain_hash > @BeginHash OR grain_hash <= @EndHash)
$sql$),

-- Creates the reminder (version 0) or replaces its schedule (version + 1). Answers the version.
('UpsertReminderRowKey', $sql$
INSERT INTO orleans_reminder AS r
       (service_id, grain_id, reminder_name, start_time, period_ms, grain_hash, version)
VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
ON CONFLICT (service_id, grain_id, reminder_name) DO UPDATE
   SET start_time = EXCLUDED.start_time,
       period_ms  = EXCLUDED.period_ms,
       grain_hash = EXCLUDED.grain_hash,
       version    = r.version + 1
RETURNING r.version AS "Version"
$sql$),

-- Deletes one reminder if it is still at version @Version. One boolean: whether it was deleted.
('DeleteReminderRowKey', $sql$
WITH removed AS (
    DELETE FROM orleans_reminder
     WHERE service_id = @ServiceId
       AND grain_id = @GrainId
       AND reminder_name = @ReminderName
       AND version = @Version
    RETURNING 1
)
SELECT count(*) = 1 AS "Deleted" FROM removed
$sql$),

-- Deletes every reminder of the service.
('DeleteReminderRowsKey', $sql$
DELETE FROM orleans_reminder
 WHERE service_id = @ServiceId
$sql$);
