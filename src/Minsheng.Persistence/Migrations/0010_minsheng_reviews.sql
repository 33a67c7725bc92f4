-- Published reviews as rows (issue 19): one per weekly ranking, monthly evaluation and year-end input of a plan, written
-- once in the transaction of its publication and read by key on demand. Before, each plan's reviews grain kept every
-- review of the year in one grain-state document, held in memory and rewritten whole at each publication (about 3 MB
-- per plan by December). Documents are stored as the text the API serves, so a read returns the same bytes.
CREATE TABLE IF NOT EXISTS minsheng_reviews
(
    plan_id      text        NOT NULL,
    kind         text        NOT NULL CHECK (kind IN ('weekly', 'monthly', 'final')),
    review_key   text        NOT NULL,
    body         text        NOT NULL,
    published_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (plan_id, kind, review_key)
);
