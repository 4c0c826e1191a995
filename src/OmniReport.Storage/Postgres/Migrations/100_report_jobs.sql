-- Report jobs (SPEC §5.4): durable from creation; a worker claims one (FOR UPDATE SKIP LOCKED, so several
-- serve processes never take the same job) under a new attempt with a lease it renews; file parts belong to an
-- attempt, so only the attempt that finishes the job is ever served.

CREATE TABLE report_jobs (
    id             text     PRIMARY KEY,
    account_id     bigint   NOT NULL,
    type           smallint NOT NULL,
    name           text     NOT NULL,
    timezone       text     NOT NULL,
    format         smallint NOT NULL,
    from_text      text     NOT NULL,
    to_text        text     NOT NULL,
    from_ms        bigint   NOT NULL,
    to_ms          bigint   NOT NULL,
    status         smallint NOT NULL,
    attempt        int      NOT NULL DEFAULT 0,
    lease_until_ms bigint   NULL,
    rows           bigint   NULL,
    error          text     NULL,
    created_at_ms  bigint   NOT NULL,
    updated_at_ms  bigint   NOT NULL
);
CREATE INDEX report_jobs_by_account ON report_jobs (account_id, type, created_at_ms DESC, id DESC);
CREATE INDEX report_jobs_work ON report_jobs (status, created_at_ms) WHERE status IN (0, 1);

CREATE TABLE report_files (
    job_id  text  NOT NULL,
    attempt int   NOT NULL,
    part    int   NOT NULL,
    data    bytea NOT NULL,
    PRIMARY KEY (job_id, attempt, part)
);
-- Report text is written and read once: storing it uncompressed saves the CPU of compressing every part.
ALTER TABLE report_files ALTER COLUMN data SET STORAGE EXTERNAL;
