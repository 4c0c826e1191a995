-- One copy of the derived data (issue #10, ingest speed). Every field of an engagement and of an interaction record has
-- been a typed column since migration 110, so the encoded copies beside them (engagements.data, interactions.record)
-- are dropped and reads take the columns. The change log keeps what changed (kind and key), not a copy of the object:
-- its readers get the object as it is now, by key. Nothing needs rebuilding: the columns already hold every value.
ALTER TABLE changes DROP COLUMN data;
ALTER TABLE engagements DROP COLUMN data;
ALTER TABLE interactions DROP COLUMN record;
