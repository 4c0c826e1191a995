-- Rollups (issue #11, SPEC §7): what the records of each UTC quarter hour, hour and day add up to, per group of each
-- dimension set, kept in the same transaction as the records (RollupDeltas) so aggregates read cells, not records.
-- Filled by the rebuild that projection format 4 brings on first start.
CREATE TABLE rollups (
    account_id bigint  NOT NULL,
    kind       integer NOT NULL, -- 0 engagements, 1 interaction records (RollupShape.Id)
    dims       integer NOT NULL, -- the dimension set (its position in RollupShape.DimensionSets)
    tier       integer NOT NULL, -- 0 quarter hour, 1 hour, 2 day, UTC (RollupTier)
    start_ms   bigint  NOT NULL,
    key        text    NOT NULL, -- the group's values (RollupCodec.Key)
    data       bytea   NOT NULL, -- count, counters, exact histograms (RollupCodec)
    PRIMARY KEY (account_id, kind, dims, tier, start_ms, key)
);

-- A rebuild an older binary left half done starts again from the first interaction: the rollups of those it did are
-- not there.
UPDATE rebuilds SET after = '';
