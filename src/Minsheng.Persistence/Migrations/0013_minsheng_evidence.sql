-- Evidence files (佐证材料, issue 21): content-addressed blobs, stored once per distinct content (the SHA-256 of the bytes
-- stored, after a photo's location was stripped), and the links that name them under a report. An upload's links and
-- its new blobs are written in one transaction; links are never updated or deleted, so no blob is ever orphaned.
CREATE TABLE IF NOT EXISTS minsheng_evidence_blobs
(
    sha256    text        PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    bytes     bigint      NOT NULL CHECK (bytes > 0),
    content   bytea       NOT NULL,
    thumbnail bytea,
    stored_at timestamptz NOT NULL DEFAULT now()
);
-- Photos and PDFs are compressed already: keep them out of line without trying to compress them again.
ALTER TABLE minsheng_evidence_blobs ALTER COLUMN content SET STORAGE EXTERNAL;
ALTER TABLE minsheng_evidence_blobs ALTER COLUMN thumbnail SET STORAGE EXTERNAL;

CREATE TABLE IF NOT EXISTS minsheng_evidence_files
(
    seq          bigint      GENERATED ALWAYS AS IDENTITY,
    plan_id      text        NOT NULL,
    report_id    text        NOT NULL,
    file_id      text        NOT NULL,
    name         text        NOT NULL,
    content_type text        NOT NULL,
    bytes        bigint      NOT NULL,
    sha256       text        NOT NULL REFERENCES minsheng_evidence_blobs (sha256),
    task_id      text        NOT NULL,
    unit_id      text        NOT NULL,
    uploaded_at  timestamptz NOT NULL,
    role         text        NOT NULL,
    person       text        NOT NULL,
    PRIMARY KEY (plan_id, report_id, file_id)
);
-- A unit's bytes in a plan (the per-unit limit), and a report's files in upload order.
CREATE INDEX IF NOT EXISTS minsheng_evidence_files_unit ON minsheng_evidence_files (plan_id, unit_id) INCLUDE (bytes);
CREATE INDEX IF NOT EXISTS minsheng_evidence_files_report ON minsheng_evidence_files (plan_id, report_id, seq);
