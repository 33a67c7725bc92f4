-- Sign-off (填报→审核, issue 21): reports filed by a unit's reporter that wait for the unit's reviewer. A filing is one
-- row; a rejection one conditional UPDATE of it (only while pending and not counted). An approval is not decided here:
-- it is the report log's own atomic append (minsheng_report_log, with both people and both moments in its body), after
-- which the row is marked approved; a row still marked pending whose report_id the log holds counts as approved (its
-- readers join the log), so a silo killed between the two steps splits nothing.
CREATE TABLE IF NOT EXISTS minsheng_sign_off
(
    plan_id       text        NOT NULL,
    report_id     text        NOT NULL,
    owner_id      text        NOT NULL,
    task_id       text        NOT NULL,
    unit_id       text        NOT NULL,
    metric_id     text        NOT NULL,
    request       jsonb       NOT NULL,
    reporter_role text        NOT NULL,
    reporter      text        NOT NULL,
    submitted_at  timestamptz NOT NULL,
    state         text        NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'approved', 'rejected')),
    reviewer_role text,
    reviewer      text,
    reviewed_at   timestamptz,
    return_reason text,
    seq           bigserial   NOT NULL,
    PRIMARY KEY (plan_id, report_id),
    CHECK ((state = 'pending') = (reviewed_at IS NULL)),
    CHECK ((state = 'rejected') = (return_reason IS NOT NULL))
);

-- What an owner loads on activation: its rows still pending (few), never the year's filings.
CREATE INDEX IF NOT EXISTS minsheng_sign_off_waiting ON minsheng_sign_off (plan_id, owner_id, seq) WHERE state = 'pending';

-- The API's list: a plan's filings by state, in filing order, optionally of one unit.
CREATE INDEX IF NOT EXISTS minsheng_sign_off_list ON minsheng_sign_off (plan_id, state, unit_id, seq);
