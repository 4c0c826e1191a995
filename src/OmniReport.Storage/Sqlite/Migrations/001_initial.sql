-- OmniReport schema, SQLite. Events live inside their interaction's row (an encoded blob, appended to per
-- batch), next to what they derive; event ids are kept apart for idempotent ingest.

CREATE TABLE accounts (
    id            INTEGER PRIMARY KEY,
    name          TEXT    NOT NULL UNIQUE,
    settings      TEXT    NULL,              -- SPEC §2 settings as JSON; NULL = defaults
    next_seq      INTEGER NOT NULL DEFAULT 1, -- the arrival sequence given to the next accepted event
    created_at_ms INTEGER NOT NULL
);

CREATE TABLE tokens (
    id            INTEGER PRIMARY KEY,
    account_id    INTEGER NOT NULL REFERENCES accounts (id),
    hash          BLOB    NOT NULL UNIQUE,    -- SHA-256 of the token text
    scopes        INTEGER NOT NULL,
    created_at_ms INTEGER NOT NULL
);

CREATE TABLE event_ids (
    account_id INTEGER NOT NULL,
    event_id   TEXT    NOT NULL,
    PRIMARY KEY (account_id, event_id)
) WITHOUT ROWID;

CREATE TABLE interactions (
    id             INTEGER PRIMARY KEY,
    account_id     INTEGER NOT NULL,
    interaction_id TEXT    NOT NULL,
    event_count    INTEGER NOT NULL,
    has_created    INTEGER NOT NULL,
    start_ms       INTEGER NULL,   -- the record's start; NULL when there is no record
    agent_id       TEXT    NULL,   -- the record's agent, joined to agent_names
    deadline_ms    INTEGER NULL,   -- when the open engagement ends by inactivity (the sweep's work list)
    record         BLOB    NULL,
    engagements    BLOB    NULL,   -- ids and fingerprints of the logged engagements
    events         BLOB    NOT NULL -- last: reads of the other columns never touch its overflow pages
);
CREATE UNIQUE INDEX interactions_by_id ON interactions (account_id, interaction_id);
CREATE INDEX interactions_by_start ON interactions (account_id, start_ms, interaction_id) WHERE start_ms IS NOT NULL;
CREATE INDEX interactions_by_deadline ON interactions (deadline_ms) WHERE deadline_ms IS NOT NULL;

-- Clustered in API order (SPEC §5.3), so a page or a report is one range scan. Each filter has an index
-- whose trailing columns keep that order.
CREATE TABLE engagements (
    account_id     INTEGER NOT NULL,
    start_second   INTEGER NOT NULL,
    engagement_id  TEXT    NOT NULL,
    interaction_id TEXT    NOT NULL,
    agent_id       TEXT    NOT NULL,
    group_id       TEXT    NULL,
    channel        INTEGER NOT NULL,
    data           BLOB    NOT NULL,
    PRIMARY KEY (account_id, start_second, engagement_id)
) WITHOUT ROWID;
CREATE UNIQUE INDEX engagements_by_id ON engagements (account_id, engagement_id);
CREATE INDEX engagements_by_agent ON engagements (account_id, agent_id, start_second, engagement_id);
CREATE INDEX engagements_by_interaction ON engagements (account_id, interaction_id, start_second, engagement_id);
CREATE INDEX engagements_by_group ON engagements (account_id, group_id, start_second, engagement_id);

CREATE TABLE agent_names (
    account_id     INTEGER NOT NULL,
    agent_id       TEXT    NOT NULL,
    name           TEXT    NOT NULL,
    occurred_at_ms INTEGER NOT NULL,
    seq            INTEGER NOT NULL,
    PRIMARY KEY (account_id, agent_id)
) WITHOUT ROWID;
