-- OmniReport schema, PostgreSQL. Every table that holds account data leads with account_id, so the schema
-- can be distributed by account (Citus: distribution column account_id; see docs/operations.md). Ids are
-- compared byte-wise (COLLATE "C"): the order the API pages in must not depend on the server's locale.

CREATE TABLE accounts (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name          text COLLATE "C" NOT NULL UNIQUE,
    settings      text NULL,                -- SPEC §2 settings as JSON; NULL = defaults
    created_at_ms bigint NOT NULL
);

-- The arrival sequence of accepted events (the tie-breaker of SPEC §1). No CACHE: values come out in the
-- order they are asked for, whichever pooled connection asks.
CREATE SEQUENCE event_seq NO CYCLE;

CREATE TABLE tokens (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id    bigint NOT NULL REFERENCES accounts (id),
    hash          bytea  NOT NULL UNIQUE,   -- SHA-256 of the token text
    scopes        int    NOT NULL,
    created_at_ms bigint NOT NULL
);

CREATE TABLE event_ids (
    account_id bigint NOT NULL,
    event_id   text COLLATE "C" NOT NULL,
    PRIMARY KEY (account_id, event_id)
);

-- One row per interaction: its events (an encoded blob, appended to per batch) next to what they derive.
-- The row is the lock that serializes writers of one interaction (SELECT ... FOR UPDATE).
CREATE TABLE interactions (
    account_id     bigint NOT NULL,
    interaction_id text COLLATE "C" NOT NULL,
    event_count    int    NOT NULL,
    has_created    boolean NOT NULL,
    start_ms       bigint NULL,             -- the record's start; NULL when there is no record
    agent_id       text COLLATE "C" NULL,   -- the record's agent, joined to agent_names
    deadline_ms    bigint NULL,             -- when the open engagement ends by inactivity (the sweep's list)
    record         bytea  NULL,
    engagements    bytea  NULL,             -- ids and fingerprints of the logged engagements
    events         bytea  NOT NULL,
    PRIMARY KEY (account_id, interaction_id)
);
ALTER TABLE interactions ALTER COLUMN events SET STORAGE EXTERNAL; -- already compact: no compression pass
CREATE INDEX interactions_by_start ON interactions (account_id, start_ms, interaction_id) WHERE start_ms IS NOT NULL;
CREATE INDEX interactions_by_deadline ON interactions (deadline_ms) WHERE deadline_ms IS NOT NULL;

-- Logged engagements: the filter columns of SPEC §5.3 beside the encoded engagement. Each filter has an
-- index whose trailing columns are the API order, so a page is one index range scan.
CREATE TABLE engagements (
    account_id     bigint NOT NULL,
    engagement_id  text COLLATE "C" NOT NULL,
    start_second   bigint NOT NULL,
    interaction_id text COLLATE "C" NOT NULL,
    agent_id       text COLLATE "C" NOT NULL,
    group_id       text COLLATE "C" NULL,
    channel        smallint NOT NULL,
    data           bytea NOT NULL,
    PRIMARY KEY (account_id, engagement_id)
);
CREATE INDEX engagements_by_start ON engagements (account_id, start_second, engagement_id);
CREATE INDEX engagements_by_agent ON engagements (account_id, agent_id, start_second, engagement_id);
CREATE INDEX engagements_by_interaction ON engagements (account_id, interaction_id, start_second, engagement_id);
CREATE INDEX engagements_by_group ON engagements (account_id, group_id, start_second, engagement_id);

CREATE TABLE agent_names (
    account_id     bigint NOT NULL,
    agent_id       text COLLATE "C" NOT NULL,
    name           text NOT NULL,
    occurred_at_ms bigint NOT NULL,
    seq            bigint NOT NULL,
    PRIMARY KEY (account_id, agent_id)
);
