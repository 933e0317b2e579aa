-- 0050_web_metadata: what DICOMweb answers study, series and instance metadata from (WADO-RS .../metadata).
--
-- One row per instance, written when the instance is registered (Vna.Web's coordinator decorator, for every ingest:
-- STOW-RS, C-STORE, import) and, for an instance stored before this table existed or whose row is missing or stale,
-- when its metadata is first asked for. The row is tied to the instance's content by sha256: a replaced copy makes it
-- stale. metadata is the instance's DICOM JSON object (PS3.18 F, UTF-8, compact) without bulk data, whose
-- BulkDataURIs are relative to the DICOMweb root ("studies/.../bulkdata/7FE00010"), so series metadata is one query
-- and a concatenation, never opening an object. rows, columns, bits_allocated and number_of_frames are the image
-- attributes QIDO-RS returns for instances that the index does not hold.
CREATE TABLE web_instance_metadata (
    sop_instance_uid     text        PRIMARY KEY,
    study_instance_uid   text        NOT NULL,
    series_instance_uid  text        NOT NULL,
    sha256               text        NOT NULL,
    metadata             bytea       NOT NULL,
    rows                 integer,
    columns              integer,
    bits_allocated       integer,
    number_of_frames     integer,
    updated_at           timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX web_instance_metadata_series ON web_instance_metadata (study_instance_uid, series_instance_uid);
