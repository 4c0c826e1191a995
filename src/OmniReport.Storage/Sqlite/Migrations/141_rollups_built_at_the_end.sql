-- Rollups are no longer written during a rebuild (issue #11, write path): its last step builds every cell of the account
-- from the records at once. A bulk import defers them the same way: its row here says only the rollups are pending
-- (the records are current), which the import's end, or the next start after an interruption, builds.
ALTER TABLE rebuilds ADD COLUMN rollups_only INTEGER NOT NULL DEFAULT 0;
