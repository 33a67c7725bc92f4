-- Notifications (issue 22): the durable outbox. A notice is stored once per plan (its id is its cause: a case, an alert
-- at a check, a review, a digest) and numbered in one order; the cause's own write stores it (a review in the same
-- transaction as its row, supervision's in its grain state first, handed on here idempotently). Each subscription keeps
-- a cursor into that order: delivering (or giving up on) a notice moves the cursor and writes its history line in one
-- transaction, so a subscription's notices go out in order and none twice from here (a receiver dedups the retries of
-- an answer lost on the way back by its Idempotency-Key).
CREATE TABLE IF NOT EXISTS minsheng_notices
(
    plan_id text        NOT NULL,
    id      text        NOT NULL,
    seq     bigserial   NOT NULL UNIQUE,
    kind    text        NOT NULL,
    at      timestamptz NOT NULL,
    units   text[]      NOT NULL,
    title   text        NOT NULL,
    body    jsonb       NOT NULL,
    PRIMARY KEY (plan_id, id)
);

-- A subscription's next notice: the plan's notices after its cursor, in order.
CREATE INDEX IF NOT EXISTS minsheng_notices_order ON minsheng_notices (plan_id, seq);

CREATE TABLE IF NOT EXISTS minsheng_subscriptions
(
    id              text        PRIMARY KEY,
    plan_id         text        NOT NULL,
    name            text,
    format          text        NOT NULL,
    endpoint        text        NOT NULL,
    secret          text        NOT NULL,
    events          text[]      NOT NULL,
    units           text[]      NOT NULL,
    created_at      timestamptz NOT NULL,
    created_by      text        NOT NULL,
    cursor          bigint      NOT NULL,
    -- The notice being tried (its seq), how often, since when, and when next; the lease of the silo trying it.
    head_seq        bigint,
    attempts        integer     NOT NULL DEFAULT 0,
    first_attempt_at timestamptz,
    next_attempt_at timestamptz,
    last_status     integer,
    last_error      text,
    leased_by       text,
    leased_until    timestamptz
);

CREATE INDEX IF NOT EXISTS minsheng_subscriptions_plan ON minsheng_subscriptions (plan_id, created_at);

CREATE TABLE IF NOT EXISTS minsheng_deliveries
(
    subscription_id  text        NOT NULL REFERENCES minsheng_subscriptions (id) ON DELETE CASCADE,
    seq              bigint      NOT NULL,
    notice_id        text        NOT NULL,
    kind             text        NOT NULL,
    title            text        NOT NULL,
    state            text        NOT NULL CHECK (state IN ('delivered', 'failed')),
    attempts         integer     NOT NULL,
    first_attempt_at timestamptz NOT NULL,
    finished_at      timestamptz NOT NULL,
    last_status      integer,
    last_error       text,
    PRIMARY KEY (subscription_id, seq)
);
