-- The "now" view (SPEC §9, issue #12). An interaction's current group id, for the group filter of
-- GET /api/v2/interactions/waiting (the record's `groups` prefers the group's name). Projection format 3: opening a
-- database of format 2 rebuilds its derived data, which fills the column.
-- The column lands after the events blob; only the waiting read needs it, and that read is answered by the covering
-- index below without touching the row.
ALTER TABLE interactions ADD COLUMN group_id TEXT NULL;

-- Waiting interactions (not ended, not solved/closed/deleted, no human assignee: status OFFERED, SPEC §4), longest
-- wait first. Partial: only the interactions waiting now are in it, so ingest barely pays for it.
CREATE INDEX interactions_waiting ON interactions (account_id, start_ms, interaction_id, interaction_type, groups, group_id)
    WHERE interaction_status = 'OFFERED';
