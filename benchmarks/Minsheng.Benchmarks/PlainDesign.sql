-- The plain design of issue 19 (benchmark only): every report is one row; every rollup is computed by SQL at read time.
-- Its own schema in the scale run's throwaway database. The plan catalog is tables too (the plain design has no
-- memory of its own). Indexes are created after the bulk copy of the history (PlainDesign.Indexes below the marker).
DROP SCHEMA IF EXISTS plain CASCADE;
CREATE SCHEMA plain;

CREATE TABLE plain.plan
(
    plan_id     text PRIMARY KEY,
    title       text NOT NULL,
    district_id text NOT NULL,
    region_id   text
);

CREATE TABLE plain.project
(
    plan_id    text NOT NULL,
    project_id text NOT NULL,
    PRIMARY KEY (plan_id, project_id)
);

CREATE TABLE plain.task
(
    plan_id         text NOT NULL,
    task_id         text NOT NULL,
    project_id      text NOT NULL,
    lead_department text NOT NULL,
    PRIMARY KEY (plan_id, task_id)
);

-- A task's metrics, in the plan's order: a task's ratio is the mean over all of them (one with no assignment counts 0).
CREATE TABLE plain.metric
(
    plan_id   text NOT NULL,
    task_id   text NOT NULL,
    metric_id text NOT NULL,
    ordinal   int  NOT NULL,
    PRIMARY KEY (plan_id, task_id, metric_id)
);

CREATE TABLE plain.assignment
(
    plan_id   text   NOT NULL,
    task_id   text   NOT NULL,
    unit_id   text   NOT NULL,
    metric_id text   NOT NULL,
    target    bigint NOT NULL CHECK (target > 0),
    PRIMARY KEY (plan_id, task_id, unit_id, metric_id)
);

-- One row per accepted report; the latest row of an assignment (highest id) holds its cumulative count.
CREATE TABLE plain.report
(
    id        bigserial   NOT NULL,
    plan_id   text        NOT NULL,
    task_id   text        NOT NULL,
    unit_id   text        NOT NULL,
    metric_id text        NOT NULL,
    report_id text        NOT NULL,
    completed bigint      NOT NULL CHECK (completed >= 0),
    at        timestamptz NOT NULL DEFAULT now()
);

-- @@indexes (after the history is copied in)
ALTER TABLE plain.report ADD PRIMARY KEY (id);
-- A reportId is unique in its plan (a retry finds its row).
CREATE UNIQUE INDEX report_plan_report_id ON plain.report (plan_id, report_id);
-- The latest row of an assignment: one backward index step, the count read from the index alone.
CREATE INDEX report_latest ON plain.report (plan_id, task_id, unit_id, metric_id, id DESC) INCLUDE (completed);
CREATE INDEX assignment_unit ON plain.assignment (plan_id, unit_id);
CREATE INDEX plan_region ON plain.plan (region_id, plan_id);
ANALYZE plain.plan;
ANALYZE plain.project;
ANALYZE plain.task;
ANALYZE plain.metric;
ANALYZE plain.assignment;
ANALYZE plain.report;
