-- The report log: every accepted report, correction and schedule change as one row, written in one transaction
-- that holds the fact (the assignment's complete state after it, with its version), the answer a retry gets and the
-- history line. Owner state, aggregates, history and as-of views are derived from it. Rows are only ever inserted.
CREATE TABLE IF NOT EXISTS minsheng_report_log
(
    plan_id        text        NOT NULL,
    seq            bigserial   NOT NULL,
    owner_id       text        NOT NULL,
    kind           text        NOT NULL CHECK (kind IN ('report', 'schedule')),
    report_id      text,
    task_id        text        NOT NULL,
    unit_id        text        NOT NULL,
    metric_id      text        NOT NULL,
    version        bigint      NOT NULL CHECK (version > 0),
    completed      bigint      NOT NULL CHECK (completed >= 0),
    previous       bigint      NOT NULL,
    at             timestamptz NOT NULL,
    recorded       timestamptz NOT NULL DEFAULT now(),
    role           text        NOT NULL,
    person         text        NOT NULL,
    fingerprint    text,
    last_report_at timestamptz,
    done_at        timestamptz,
    body           jsonb       NOT NULL,
    PRIMARY KEY (plan_id, seq),
    CHECK ((kind = 'report') = (report_id IS NOT NULL))
);

-- A reportId is unique in its plan, across silos and restarts: the database decides, not a grain.
CREATE UNIQUE INDEX IF NOT EXISTS minsheng_report_log_report_id
    ON minsheng_report_log (plan_id, report_id) WHERE report_id IS NOT NULL;

-- One row per version of an assignment: two writers that both believe they own it cannot both append.
CREATE UNIQUE INDEX IF NOT EXISTS minsheng_report_log_version
    ON minsheng_report_log (plan_id, task_id, unit_id, metric_id, version);

CREATE INDEX IF NOT EXISTS minsheng_report_log_owner ON minsheng_report_log (plan_id, owner_id, seq);
CREATE INDEX IF NOT EXISTS minsheng_report_log_at ON minsheng_report_log (plan_id, at);

CREATE OR REPLACE FUNCTION minsheng_report_log_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'minsheng_report_log is append-only';
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS minsheng_report_log_no_change ON minsheng_report_log;
CREATE TRIGGER minsheng_report_log_no_change
    BEFORE UPDATE OR DELETE ON minsheng_report_log
    FOR EACH ROW EXECUTE FUNCTION minsheng_report_log_append_only();
