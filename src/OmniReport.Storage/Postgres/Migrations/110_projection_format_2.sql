-- Projection format 2 (issue #10). Every field of an engagement (SPEC §3.5, §5.3) and of an interaction record
-- (SPEC §4) is a typed column, so SQL can filter and aggregate them; enumerations are stored as the text the API
-- writes (CHAT, OPEN, INBOUND, FINISHED), never as ordinals. An interaction's open engagement is kept on its row
-- (the "now" view of SPEC §9). Every change of derived data goes to a per-account change log.
-- The derived data of format 1 is dropped here and rebuilt from the stored events on first start
-- (accounts.projection_format < 2), before the service serves it.

ALTER TABLE accounts ADD COLUMN projection_format int NOT NULL DEFAULT 1; -- format of the account's derived data

-- The next change sequence of each account: its own row, locked only for the last statement of a writing
-- transaction (so writers of one account serialize only there, and commit in sequence order), apart from the
-- accounts row that every writer holds FOR SHARE.
CREATE TABLE change_seq (
    account_id bigint PRIMARY KEY,
    next       bigint NOT NULL
);

UPDATE interactions SET start_ms = NULL, agent_id = NULL, deadline_ms = NULL, record = NULL, engagements = NULL;
ALTER TABLE interactions
    ADD COLUMN waiting_time            bigint NULL,
    ADD COLUMN end_ms                  bigint NULL,
    ADD COLUMN duration                bigint NULL,
    ADD COLUMN interaction_type        text NULL,
    ADD COLUMN interaction_status      text NULL,
    ADD COLUMN interaction_direction   text NULL,
    ADD COLUMN agent_type              text NULL,
    ADD COLUMN groups                  text COLLATE "C" NULL,
    ADD COLUMN external_id             text NULL,
    ADD COLUMN name                    text NULL,
    ADD COLUMN contact                 text NULL,
    ADD COLUMN contact_id              text COLLATE "C" NULL,
    ADD COLUMN disposition_name        text NULL,
    ADD COLUMN notes                   text NULL,
    ADD COLUMN transcription_recording text NULL,
    ADD COLUMN open_engagement_id      text COLLATE "C" NULL,
    ADD COLUMN open_agent_id           text COLLATE "C" NULL,
    ADD COLUMN open_start_ms           bigint NULL,
    ADD COLUMN open_group_id           text COLLATE "C" NULL,
    ADD COLUMN open                    bytea NULL;
CREATE INDEX interactions_open ON interactions (account_id, open_start_ms) WHERE open_start_ms IS NOT NULL;

DROP TABLE engagements;
CREATE TABLE engagements (
    account_id                             bigint NOT NULL,
    engagement_id                          text COLLATE "C" NOT NULL,
    start_second                           bigint NOT NULL,
    interaction_id                         text COLLATE "C" NOT NULL, -- ticket_id
    agent_id                               text COLLATE "C" NOT NULL,
    group_id                               text COLLATE "C" NULL,
    requester_id                           text COLLATE "C" NULL,
    offer_time_seconds                     bigint NULL,
    assignment_to_first_reply_time_seconds bigint NULL,
    agent_messages_count                   int NOT NULL,
    agent_replies_count                    int NOT NULL,
    total_requester_wait_time_seconds      bigint NOT NULL,
    longest_requester_wait_time_seconds    bigint NULL,
    channel                                text NOT NULL, -- upper case, as the API writes it
    engagement_start_reason                text NOT NULL,
    start_ms                               bigint NOT NULL,
    end_ms                                 bigint NOT NULL,
    ticket_status_start                    text NOT NULL, -- upper case
    ticket_status_end                      text NOT NULL,
    engagement_end_reason                  text NOT NULL,
    average_requester_wait_time_seconds    bigint NULL,
    end_user_messages_count                int NOT NULL,
    engagement_duration_seconds            bigint NOT NULL,
    data                                   bytea NOT NULL, -- the engagement encoded, for fast exact output
    PRIMARY KEY (account_id, engagement_id)
);
CREATE INDEX engagements_by_start ON engagements (account_id, start_second, engagement_id);
CREATE INDEX engagements_by_agent ON engagements (account_id, agent_id, start_second, engagement_id);
CREATE INDEX engagements_by_group ON engagements (account_id, group_id, start_second, engagement_id);

-- The change log (SPEC §9: the stream's ids and its replay by Last-Event-ID); a replay is one range scan.
CREATE TABLE changes (
    account_id bigint NOT NULL,
    seq        bigint NOT NULL,
    at_ms      bigint NOT NULL,
    kind       text NOT NULL,
    key        text COLLATE "C" NOT NULL,
    data       bytea NULL,
    PRIMARY KEY (account_id, seq)
);

-- A rebuild under way (omnireport rebuild, or a format upgrade): the last interaction id it has done, so an
-- interrupted rebuild resumes there. Apart from accounts, which every writer holds FOR SHARE.
CREATE TABLE rebuilds (
    account_id bigint PRIMARY KEY,
    after      text COLLATE "C" NOT NULL
);
