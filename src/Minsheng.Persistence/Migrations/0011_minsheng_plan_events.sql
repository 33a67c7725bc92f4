-- The durable order of each plan's live events (issue 20): an event is stored under its number before any silo sees it,
-- so an id means the same event on every silo and after a crash of the grain that numbered it, and a client resumes from
-- any id kept here instead of resyncing. Progress events carry their assignment version, stored once each.
CREATE TABLE IF NOT EXISTS minsheng_plan_event_streams
(
    plan_id    text   PRIMARY KEY,
    epoch      text   NOT NULL,
    -- Reports from this position of the plan's report log on are checked for a missing progress event.
    sweep_from bigint NOT NULL
);

CREATE TABLE IF NOT EXISTS minsheng_plan_events
(
    plan_id   text        NOT NULL,
    number    bigint      NOT NULL CHECK (number > 0),
    kind      text        NOT NULL,
    at        timestamptz NOT NULL,
    -- The JSON the stream sends, as text: every silo sends the same bytes.
    data      text        NOT NULL,
    task_id   text,
    unit_id   text,
    metric_id text,
    version   bigint,
    PRIMARY KEY (plan_id, number),
    CHECK ((task_id IS NULL) = (version IS NULL))
);

-- One progress event per assignment version, and the latest version of an assignment in one index step.
CREATE UNIQUE INDEX IF NOT EXISTS minsheng_plan_events_progress
    ON minsheng_plan_events (plan_id, task_id, unit_id, metric_id, version) WHERE version IS NOT NULL;
