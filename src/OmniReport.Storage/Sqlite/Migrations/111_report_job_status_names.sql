-- Report job statuses are stored by name ('created', 'processing', 'done', 'failed', 'canceled'), not by the
-- ordinal of an enum, and the partial index of unfinished jobs names them. SQLite cannot change a column's type,
-- so the table is built again and the rows copied (migration 100 wrote 0 created, 1 processing, 2 done, 3 failed,
-- 4 canceled).

CREATE TABLE report_jobs_new (
    id             TEXT    PRIMARY KEY,
    account_id     INTEGER NOT NULL,
    type           INTEGER NOT NULL,   -- ReportType
    name           TEXT    NOT NULL,
    timezone       TEXT    NOT NULL,
    format         INTEGER NOT NULL,   -- ReportFormat
    from_text      TEXT    NOT NULL,   -- timespan as given
    to_text        TEXT    NOT NULL,
    from_ms        INTEGER NOT NULL,
    to_ms          INTEGER NOT NULL,
    status         TEXT    NOT NULL CHECK (status IN ('created', 'processing', 'done', 'failed', 'canceled')),
    attempt        INTEGER NOT NULL DEFAULT 0,
    lease_until_ms INTEGER NULL,
    rows           INTEGER NULL,
    error          TEXT    NULL,
    created_at_ms  INTEGER NOT NULL,
    updated_at_ms  INTEGER NOT NULL
);
INSERT INTO report_jobs_new
SELECT id, account_id, type, name, timezone, format, from_text, to_text, from_ms, to_ms,
       CASE status WHEN 0 THEN 'created' WHEN 1 THEN 'processing' WHEN 2 THEN 'done' WHEN 3 THEN 'failed' ELSE 'canceled' END,
       attempt, lease_until_ms, rows, error, created_at_ms, updated_at_ms
FROM report_jobs;
DROP TABLE report_jobs;
ALTER TABLE report_jobs_new RENAME TO report_jobs;
CREATE INDEX report_jobs_by_account ON report_jobs (account_id, type, created_at_ms DESC, id DESC);
CREATE INDEX report_jobs_work ON report_jobs (status, created_at_ms) WHERE status IN ('created', 'processing');
