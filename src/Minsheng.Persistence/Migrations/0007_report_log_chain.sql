-- The database enforces each assignment's chain of versions: a row for version n stands only beside the row for
-- version n − 1 of the same (plan, task, unit, metric), or n = 1. So no count can stand without the history line
-- before it, whatever a writer does. prev_version is NULL for version 1, which a foreign key does not check.
ALTER TABLE minsheng_report_log
    ADD COLUMN IF NOT EXISTS prev_version bigint GENERATED ALWAYS AS (NULLIF(version - 1, 0)) STORED;

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'minsheng_report_log_chain') THEN
        ALTER TABLE minsheng_report_log
            ADD CONSTRAINT minsheng_report_log_chain
            FOREIGN KEY (plan_id, task_id, unit_id, metric_id, prev_version)
            REFERENCES minsheng_report_log (plan_id, task_id, unit_id, metric_id, version);
    END IF;
END;
$$;
