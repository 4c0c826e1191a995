-- Report jobs (SPEC §5.4): durable from creation; a worker claims one under a new attempt with a lease it
-- renews; file parts belong to an attempt, so only the attempt that finishes the job is ever served.

CREATE TABLE report_jobs (
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
    status         INTEGER NOT NULL,   -- ReportJobStatus
    attempt        INTEGER NOT NULL DEFAULT 0,
    lease_until_ms INTEGER NULL,
    rows           INTEGER NULL,
    error          TEXT    NULL,
    created_at_ms  INTEGER NOT NULL,
    updated_at_ms  INTEGER NOT NULL
);
CREATE INDEX report_jobs_by_account ON report_jobs (account_id, type, created_at_ms DESC, id DESC);
CREATE INDEX report_jobs_work ON report_jobs (status, created_at_ms) WHERE status IN (0, 1);

CREATE TABLE report_files (
    job_id  TEXT    NOT NULL,
    attempt INTEGER NOT NULL,
    part    INTEGER NOT NULL,
    data    BLOB    NOT NULL,
    PRIMARY KEY (job_id, attempt, part)
) WITHOUT ROWID;
