-- The append-only audit log: every accepted and refused write, with who, when and what.
-- Rows are only ever inserted; an accepted report appears once per (plan, reportId), however often it is retried.
CREATE TABLE IF NOT EXISTS minsheng_audit_log
(
    id         bigserial   PRIMARY KEY,
    at         timestamptz NOT NULL,
    recorded   timestamptz NOT NULL DEFAULT now(),
    actor      text        NOT NULL,
    action     text        NOT NULL,
    outcome    text        NOT NULL CHECK (outcome IN ('accepted', 'refused')),
    status     integer     NOT NULL,
    plan_id    text,
    report_id  text,
    task_id    text,
    unit_id    text,
    metric_id  text,
    detail     jsonb       NOT NULL DEFAULT '{}'::jsonb
);

CREATE UNIQUE INDEX IF NOT EXISTS minsheng_audit_log_report_once
    ON minsheng_audit_log (plan_id, report_id)
    WHERE action = 'report' AND outcome = 'accepted';

CREATE INDEX IF NOT EXISTS minsheng_audit_log_assignment
    ON minsheng_audit_log (plan_id, task_id, unit_id, id);

-- Append-only: refuse updates and deletes at the database, not only in the code.
CREATE OR REPLACE FUNCTION minsheng_audit_log_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'minsheng_audit_log is append-only';
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS minsheng_audit_log_no_change ON minsheng_audit_log;
CREATE TRIGGER minsheng_audit_log_no_change
    BEFORE UPDATE OR DELETE ON minsheng_audit_log
    FOR EACH ROW EXECUTE FUNCTION minsheng_audit_log_append_only();
