-- 0001: Orleans cluster membership (Microsoft.Orleans.Clustering.AdoNet 10.4.x), Vna's own schema.
--
-- The Orleans ADO.NET providers carry no SQL: when they start they load every statement they
-- will run from the table OrleansQuery (they issue `SELECT QueryKey, QueryText FROM OrleansQuery`)
-- and refuse to start when a key they require is missing. They bind parameters by name
-- (@DeploymentId, @Address, ...) and read result columns by name, so the statements below alias
-- Vna's snake_case columns to the names the providers read. Migrations/README.md lists the
-- contract: keys, parameters, result columns.
--
-- Concurrency model: every change of a silo's row (insert, status or suspicion change) must move
-- the cluster's table version from the value the silo last read (@Version) to that value + 1 in
-- the same statement; a silo whose read is stale changes nothing and gets false. Heartbeats
-- (UpdateIAmAlivetimeKey) do not move the version.

CREATE TABLE OrleansQuery (
    QueryKey  varchar(64) NOT NULL PRIMARY KEY,
    QueryText text        NOT NULL
);

-- One row per cluster. Orleans' ClusterId arrives as @DeploymentId.
CREATE TABLE orleans_cluster_version (
    deployment_id text        NOT NULL PRIMARY KEY,
    version       integer     NOT NULL DEFAULT 0,
    changed_at    timestamptz NOT NULL DEFAULT now()
);

-- One row per silo incarnation, identified by (address, port, generation). status is Orleans'
-- SiloStatus number: 1 Created, 2 Joining, 3 Active, 4 ShuttingDown, 5 Stopping, 6 Dead.
-- suspect_times is Orleans' own text ("<silo>,<time>|<silo>,<time>"), kept as it comes.
-- Deleting a cluster's version row deletes its silos.
CREATE TABLE orleans_silo (
    deployment_id   text        NOT NULL REFERENCES orleans_cluster_version (deployment_id) ON DELETE CASCADE,
    address         text        NOT NULL,
    port            integer     NOT NULL,
    generation      integer     NOT NULL,
    silo_name       text        NOT NULL DEFAULT '',
    host_name       text        NOT NULL DEFAULT '',
    status          integer     NOT NULL,
    proxy_port      integer     NOT NULL DEFAULT 0,
    suspect_times   text,
    start_time      timestamptz NOT NULL,
    i_am_alive_time timestamptz NOT NULL,
    PRIMARY KEY (deployment_id, address, port, generation)
);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES

-- Creates the cluster's version row on first start. One boolean: whether this call created it.
('InsertMembershipVersionKey', $sql$
WITH created AS (
    INSERT INTO orleans_cluster_version (deployment_id)
    VALUES (@DeploymentId)
    ON CONFLICT (deployment_id) DO NOTHING
    RETURNING 1
)
SELECT count(*) = 1 AS "Created" FROM created
$sql$),

-- Adds a silo's row and moves the version @Version -> @Version + 1, both or neither.
-- One boolean: whether the row was added.
('InsertMembershipKey', $sql$
WITH claimed AS (
    UPDATE orleans_cluster_version
       SET version = version + 1, changed_at = now()
     WHERE deployment_id = @DeploymentId
       AND version = @Version
       AND NOT EXISTS (SELECT 1 FROM orleans_silo
                        WHERE deployment_id = @DeploymentId AND address = @Address
                          AND port = @Port AND generation = @Generation)
    RETURNING deployment_id
), added AS (
    INSERT INTO orleans_silo (deployment_id, address, port, generation, silo_name, host_name,
                              status, proxy_port, start_time, i_am_alive_time)
    SELECT deployment_id, @Address, @Port, @Generation, coalesce(@SiloName, ''), coalesce(@HostName, ''),
           @Status, coalesce(@ProxyPort, 0), @StartTime, @IAmAliveTime
      FROM claimed
    RETURNING 1
)
SELECT count(*) = 1 AS "Inserted" FROM added
$sql$),

-- Changes a silo's status, suspicions and heartbeat and moves the version @Version -> @Version + 1,
-- both or neither. One boolean: whether the row was changed.
('UpdateMembershipKey', $sql$
WITH claimed AS (
    UPDATE orleans_cluster_version
       SET version = version + 1, changed_at = now()
     WHERE deployment_id = @DeploymentId
       AND version = @Version
       AND EXISTS (SELECT 1 FROM orleans_silo
                    WHERE deployment_id = @DeploymentId AND address = @Address
                      AND port = @Port AND generation = @Generation)
    RETURNING deployment_id
), changed AS (
    UPDATE orleans_silo AS s
       SET status = @Status, suspect_times = @SuspectTimes, i_am_alive_time = @IAmAliveTime
      FROM claimed AS c
     WHERE s.deployment_id = c.deployment_id
       AND s.address = @Address AND s.port = @Port AND s.generation = @Generation
    RETURNING 1
)
SELECT count(*) = 1 AS "Updated" FROM changed
$sql$),

-- A silo's heartbeat. Does not move the version.
('UpdateIAmAlivetimeKey', $sql$
UPDATE orleans_silo
   SET i_am_alive_time = @IAmAliveTime
 WHERE deployment_id = @DeploymentId
   AND address = @Address AND port = @Port AND generation = @Generation
$sql$),

-- One silo's row with the cluster's version. Always at least one row while the cluster exists:
-- the version with NULL silo columns when the silo has no row.
('MembershipReadRowKey', $sql$
SELECT v.version         AS "Version",
       s.address         AS "Address",
       s.port            AS "Port",
       s.generation      AS "Generation",
       s.silo_name       AS "SiloName",
       s.host_name       AS "HostName",
       s.status          AS "Status",
       s.proxy_port      AS "ProxyPort",
       s.suspect_times   AS "SuspectTimes",
       s.start_time      AS "StartTime",
       s.i_am_alive_time AS "IAmAliveTime"
  FROM orleans_cluster_version AS v
  LEFT JOIN orleans_silo AS s
         ON s.deployment_id = v.deployment_id
        AND s.address = @Address AND s.port = @Port AND s.generation = @Generation
 WHERE v.deployment_id = @DeploymentId
$sql$),

-- Every silo row of the cluster with the cluster's version, read in one snapshot. Always at least
-- one row while the cluster exists (the version alone when it has no silos yet).
('MembershipReadAllKey', $sql$
SELECT v.version         AS "Version",
       s.address         AS "Address",
       s.port            AS "Port",
       s.generation      AS "Generation",
       s.silo_name       AS "SiloName",
       s.host_name       AS "HostName",
       s.status          AS "Status",
       s.proxy_port      AS "ProxyPort",
       s.suspect_times   AS "SuspectTimes",
       s.start_time      AS "StartTime",
       s.i_am_alive_time AS "IAmAliveTime"
  FROM orleans_cluster_version AS v
  LEFT JOIN orleans_silo AS s ON s.deployment_id = v.deployment_id
 WHERE v.deployment_id = @DeploymentId
$sql$),

-- Forgets a cluster: its version row, and with it (ON DELETE CASCADE) its silo rows.
('DeleteMembershipTableEntriesKey', $sql$
DELETE FROM orleans_cluster_version
 WHERE deployment_id = @DeploymentId
$sql$),

-- The gateways clients may connect to: silos in status @Status (Active) with a gateway port.
('GatewaysQueryKey', $sql$
SELECT address    AS "Address",
       proxy_port AS "ProxyPort",
       generation AS "Generation"
  FROM orleans_silo
 WHERE deployment_id = @DeploymentId
   AND status = @Status
   AND proxy_port > 0
$sql$),

-- Housekeeping: drops the rows of silos that are not active and have not sent a heartbeat since
-- @IAmAliveTime (the provider passes now minus DefunctSiloExpiration). Active rows are never
-- dropped here: a silent active silo is for the others to declare dead first. Does not move the
-- version (no live silo's view changes).
('CleanupDefunctSiloEntriesKey', $sql$
DELETE FROM orleans_silo
 WHERE deployment_id = @DeploymentId
   AND status <> 3
   AND i_am_alive_time < @IAmAliveTime
$sql$);
