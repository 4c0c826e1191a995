-- Projection format 2 (issue #10). Every field of an engagement (SPEC §3.5, §5.3) and of an interaction record
-- (SPEC §4) is a typed column, so SQL can filter and aggregate them; enumerations are stored as the text the API
-- writes (CHAT, OPEN, INBOUND, FINISHED), never as ordinals. An interaction's open engagement is kept on its row
-- (the "now" view of SPEC §9). Every change of derived data goes to a per-account change log.
-- The derived data of format 1 is dropped here and rebuilt from the stored events on first start
-- (accounts.projection_format < 2), before the service serves it.

ALTER TABLE accounts ADD COLUMN projection_format INTEGER NOT NULL DEFAULT 1; -- format of the account's derived data
ALTER TABLE accounts ADD COLUMN next_change INTEGER NOT NULL DEFAULT 1; -- the sequence of the next change-log entry

-- Rebuilt rather than altered: the events blob must stay the last column (reads of the others never touch its
-- overflow pages), and added columns would follow it.
CREATE TABLE interactions_v2 (
    id                      INTEGER PRIMARY KEY,
    account_id              INTEGER NOT NULL,
    interaction_id          TEXT    NOT NULL,
    event_count             INTEGER NOT NULL,
    has_created             INTEGER NOT NULL,
    deadline_ms             INTEGER NULL,   -- when the open engagement ends by inactivity (the sweep's work list)
    -- the record (SPEC §4); all NULL when there is no record (not created yet, or deleted)
    start_ms                INTEGER NULL,
    waiting_time            INTEGER NULL,
    end_ms                  INTEGER NULL,
    duration                INTEGER NULL,
    interaction_type        TEXT    NULL,
    interaction_status      TEXT    NULL,
    interaction_direction   TEXT    NULL,
    agent_type              TEXT    NULL,
    agent_id                TEXT    NULL,   -- joined to agent_names for agent_name
    groups                  TEXT    NULL,
    external_id             TEXT    NULL,
    name                    TEXT    NULL,
    contact                 TEXT    NULL,
    contact_id              TEXT    NULL,
    disposition_name        TEXT    NULL,
    notes                   TEXT    NULL,
    transcription_recording TEXT    NULL,
    -- the open engagement (SPEC §9 "now"); all NULL when none is open
    open_engagement_id      TEXT    NULL,
    open_agent_id           TEXT    NULL,
    open_start_ms           INTEGER NULL,
    open_group_id           TEXT    NULL,
    open                    BLOB    NULL,   -- every field known so far, encoded
    record                  BLOB    NULL,   -- the record encoded, for fast exact output
    engagements             BLOB    NULL,   -- the projection digest: fingerprints of the record and logged engagements
    events                  BLOB    NOT NULL
);
INSERT INTO interactions_v2 (id, account_id, interaction_id, event_count, has_created, events)
    SELECT id, account_id, interaction_id, event_count, has_created, events FROM interactions;
DROP TABLE interactions;
ALTER TABLE interactions_v2 RENAME TO interactions;
CREATE UNIQUE INDEX interactions_by_id ON interactions (account_id, interaction_id);
CREATE INDEX interactions_by_start ON interactions (account_id, start_ms, interaction_id) WHERE start_ms IS NOT NULL;
CREATE INDEX interactions_by_deadline ON interactions (deadline_ms) WHERE deadline_ms IS NOT NULL;
CREATE INDEX interactions_open ON interactions (account_id, open_start_ms) WHERE open_start_ms IS NOT NULL;

DROP TABLE engagements;
CREATE TABLE engagements (
    account_id                             INTEGER NOT NULL,
    start_second                           INTEGER NOT NULL,
    engagement_id                          TEXT    NOT NULL,
    interaction_id                         TEXT    NOT NULL, -- ticket_id
    agent_id                               TEXT    NOT NULL,
    group_id                               TEXT    NULL,
    requester_id                           TEXT    NULL,
    offer_time_seconds                     INTEGER NULL,
    assignment_to_first_reply_time_seconds INTEGER NULL,
    agent_messages_count                   INTEGER NOT NULL,
    agent_replies_count                    INTEGER NOT NULL,
    total_requester_wait_time_seconds      INTEGER NOT NULL,
    longest_requester_wait_time_seconds    INTEGER NULL,
    channel                                TEXT    NOT NULL, -- upper case, as the API writes it
    engagement_start_reason                TEXT    NOT NULL,
    start_ms                               INTEGER NOT NULL,
    end_ms                                 INTEGER NOT NULL,
    ticket_status_start                    TEXT    NOT NULL, -- upper case
    ticket_status_end                      TEXT    NOT NULL,
    engagement_end_reason                  TEXT    NOT NULL,
    average_requester_wait_time_seconds    INTEGER NULL,
    end_user_messages_count                INTEGER NOT NULL,
    engagement_duration_seconds            INTEGER NOT NULL,
    data                                   BLOB    NOT NULL, -- the engagement encoded, for fast exact output
    PRIMARY KEY (account_id, start_second, engagement_id)
) WITHOUT ROWID;
CREATE UNIQUE INDEX engagements_by_id ON engagements (account_id, engagement_id);
CREATE INDEX engagements_by_agent ON engagements (account_id, agent_id, start_second, engagement_id);
CREATE INDEX engagements_by_group ON engagements (account_id, group_id, start_second, engagement_id);

-- The change log (SPEC §9: the stream's ids and its replay by Last-Event-ID). Clustered by (account, sequence), so
-- a replay is one range scan. kind is the SPEC §9 event name; data the engagement or record encoded.
CREATE TABLE changes (
    account_id INTEGER NOT NULL,
    seq        INTEGER NOT NULL,
    at_ms      INTEGER NOT NULL,
    kind       TEXT    NOT NULL,
    key        TEXT    NOT NULL,
    data       BLOB    NULL,
    PRIMARY KEY (account_id, seq)
) WITHOUT ROWID;

-- A rebuild under way (omnireport rebuild, or a format upgrade): the last interaction id it has done, so an
-- interrupted rebuild resumes there. Apart from accounts, which every writer holds FOR SHARE.
CREATE TABLE rebuilds (
    account_id INTEGER PRIMARY KEY,
    after      text NOT NULL
);
