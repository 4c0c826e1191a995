-- Report job statuses are stored by name ('created', 'processing', 'done', 'failed', 'canceled'), not by the
-- ordinal of an enum, and the partial index of unfinished jobs names them (migration 100 wrote 0 created,
-- 1 processing, 2 done, 3 failed, 4 canceled).

DROP INDEX report_jobs_work;
ALTER TABLE report_jobs ALTER COLUMN status TYPE text USING
    CASE status WHEN 0 THEN 'created' WHEN 1 THEN 'processing' WHEN 2 THEN 'done' WHEN 3 THEN 'failed' ELSE 'canceled' END;
ALTER TABLE report_jobs ADD CONSTRAINT report_jobs_status CHECK (status IN ('created', 'processing', 'done', 'failed', 'canceled'));
CREATE INDEX report_jobs_work ON report_jobs (status, created_at_ms) WHERE status IN ('created', 'processing');
