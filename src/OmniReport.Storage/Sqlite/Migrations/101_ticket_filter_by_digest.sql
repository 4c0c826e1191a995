-- The ticket_id filter of GET /api/v2/engagements (SPEC §5.3) is served from the interaction's row, which
-- lists the ids of its logged engagements, and the by-id index: an engagement index fewer to write on every
-- ingest (docs/performance.md, "Storage import").

DROP INDEX IF EXISTS engagements_by_interaction;
