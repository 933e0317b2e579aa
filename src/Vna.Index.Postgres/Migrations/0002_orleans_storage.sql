-- 0002: Orleans grain state (Microsoft.Orleans.Persistence.AdoNet 10.4.x), Vna's own schema.
--
-- One row per grain state: per service (@ServiceId), grain type (@GrainTypeString) and grain
-- (@GrainIdN0/@GrainIdN1 for Guid and integer keys, @GrainIdExtensionString for string keys and
-- key extensions; NULL and '' are the same extension here). The provider also sends the hashes
-- @GrainIdHash and @GrainTypeHash; they lead the key so that lookups are narrow.
--
-- version is the state's ETag: a write or clear must name the version it read
-- (@GrainStateVersion, NULL when it read no row) and moves it by one. The statements always answer
-- with exactly one row holding "NewGrainStateVersion": the new version, or NULL when the named
-- version is not the stored one. The provider turns NULL into InconsistentStateException.
-- Migrations/README.md lists the contract.

CREATE TABLE orleans_grain_state (
    service_id         text        NOT NULL,
    grain_type_hash    integer     NOT NULL,
    grain_type         text        NOT NULL CHECK (octet_length(grain_type) <= 512),
    grain_id_hash      integer     NOT NULL,
    grain_id_n0        bigint      NOT NULL,
    grain_id_n1        bigint      NOT NULL,
    grain_id_extension text        NOT NULL DEFAULT '' CHECK (octet_length(grain_id_extension) <= 1024),
    payload            bytea,
    version            integer     NOT NULL,
    written_at         timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT orleans_grain_state_key UNIQUE
        (grain_id_hash, grain_type_hash, service_id, grain_type, grain_id_n0, grain_id_n1, grain_id_extension)
) WITH (fillfactor = 80);  -- room on each page for HOT updates: a state is rewritten in place often

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES

-- The state and its version; no row when the grain never wrote. payload is NULL after a clear.
('ReadFromStorageKey', $sql$
SELECT payload AS "PayloadBinary",
       version AS "Version"
  FROM orleans_grain_state
 WHERE grain_id_hash = @GrainIdHash
   AND grain_type_hash = @GrainTypeHash
   AND service_id = @ServiceId
   AND grain_type = @GrainTypeString
   AND grain_id_n0 = @GrainIdN0
   AND grain_id_n1 = @GrainIdN1
   AND grain_id_extension = coalesce(@GrainIdExtensionString, '')
$sql$),

-- With a version: replaces the payload of the row at that version. Without one: creates the row at
-- version 1 unless a row already exists (someone else wrote first).
('WriteToStorageKey', $sql$
WITH replaced AS (
    UPDATE orleans_grain_state
       SET payload = @PayloadBinary, version = version + 1, written_at = now()
     WHERE @GrainStateVersion IS NOT NULL
       AND grain_id_hash = @GrainIdHash
       AND grain_type_hash = @GrainTypeHash
       AND service_id = @ServiceId
       AND grain_type = @GrainTypeString
       AND grain_id_n0 = @GrainIdN0
       AND grain_id_n1 = @GrainIdN1
       AND grain_id_extension = coalesce(@GrainIdExtensionString, '')
       AND version = @GrainStateVersion
    RETURNING version
), created AS (
    INSERT INTO orleans_grain_state (service_id, grain_type_hash, grain_type, grain_id_hash,
                                     grain_id_n0, grain_id_n1, grain_id_extension, payload, version)
    SELECT @ServiceId, @GrainTypeHash, @GrainTypeString, @GrainIdHash,
           @GrainIdN0, @GrainIdN1, coalesce(@GrainIdExtensionString, ''), @PayloadBinary, 1
     WHERE @GrainStateVersion IS NULL
    ON CONFLICT ON CONSTRAINT orleans_grain_state_key DO NOTHING
    RETURNING version
)
SELECT (SELECT version FROM replaced UNION ALL SELECT version FROM created) AS "NewGrainStateVersion"
$sql$),

-- Clears the state but keeps the row, so that the version keeps counting (default behaviour).
('ClearStorageKey', $sql$
WITH cleared AS (
    UPDATE orleans_grain_state
       SET payload = NULL, version = version + 1, written_at = now()
     WHERE grain_id_hash = @GrainIdHash
       AND grain_type_hash = @GrainTypeHash
       AND service_id = @ServiceId
       AND grain_type = @GrainTypeString
       AND grain_id_n0 = @GrainIdN0
       AND grain_id_n1 = @GrainIdN1
       AND grain_id_extension = coalesce(@GrainIdExtensionString, '')
       AND version = @GrainStateVersion
    RETURNING version
)
SELECT (SELECT version FROM cleared) AS "NewGrainStateVersion"
$sql$),

-- Deletes the row (only with the provider option DeleteStateOnClear). Answers a value that differs
-- from the version it was given when it deleted, NULL when the version did not match.
('DeleteStorageKey', $sql$
WITH removed AS (
    DELETE FROM orleans_grain_state
     WHERE grain_id_hash = @GrainIdHash
       AND grain_type_hash = @GrainTypeHash
       AND service_id = @ServiceId
       AND grain_type = @GrainTypeString
       AND grain_id_n0 = @GrainIdN0
       AND grain_id_n1 = @GrainIdN1
       AND grain_id_extension = coalesce(@GrainIdExtensionString, '')
       AND version = @GrainStateVersion
    RETURNING version
)
SELECT (SELECT version + 1 FROM removed) AS "NewGrainStateVersion"
$sql$);
