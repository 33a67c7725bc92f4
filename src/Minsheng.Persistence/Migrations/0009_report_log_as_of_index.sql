-- As-of reads (?asOf= views, checkpoints, reviews) no longer scan a plan's log up to an instant. Per assignment metric
-- they take its newest row when it is stamped by the instant (the version index, 0006), else the row stamped latest by
-- then, the highest version among rows stamped alike (a frozen simulated clock stamps many reports the same instant):
-- one backward step on this index.
CREATE INDEX IF NOT EXISTS minsheng_report_log_as_of
    ON minsheng_report_log (plan_id, task_id, unit_id, metric_id, at, version);

-- The (plan, at) index served only the whole-plan read up to an instant, which is gone; every append kept it up.
DROP INDEX IF EXISTS minsheng_report_log_at;
