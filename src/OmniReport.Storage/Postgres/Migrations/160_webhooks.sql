-- Webhooks (SPEC §9, issue 13): each one delivers its account's changes in change order, one at a time. Its delivery
-- state lives on its own row, so it survives a restart and several processes share the work: the cursor (the last
-- change delivered, given up or not subscribed), the attempts made at the change after it, when the first of them
-- was (the 24 h budget), when the next is due, and the lease of the process sending it (a random token and an
-- expiry; claimed with FOR UPDATE SKIP LOCKED). The secret is kept as given: the server needs it to sign. Numbered
-- 160–169 for the webhooks.

CREATE TABLE webhooks (
    id               text COLLATE "C" PRIMARY KEY,
    account_id       bigint NOT NULL REFERENCES accounts (id),
    url              text   NOT NULL,
    types            text   NOT NULL,   -- subscribed change types, comma-separated, in the order given
    secret           text   NOT NULL,
    created_at_ms    bigint NOT NULL,
    cursor           bigint NOT NULL,   -- the account's change sequence up to which the webhook is done
    attempts         int    NOT NULL,   -- failed attempts at the change after the cursor
    first_attempt_ms bigint NULL,       -- when the first of them was
    next_attempt_ms  bigint NOT NULL,   -- when the next attempt is due
    lease_token      text   NULL,
    lease_until_ms   bigint NULL
);
CREATE INDEX webhooks_by_account ON webhooks (account_id, created_at_ms, id);
CREATE INDEX webhooks_due ON webhooks (next_attempt_ms);

-- The latest attempts of each webhook (the store keeps the last 100), newest has the highest id.
CREATE TABLE webhook_attempts (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    webhook_id  text COLLATE "C" NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    change_seq  bigint NOT NULL,
    change_type text   NOT NULL,
    attempt     int    NOT NULL,
    at_ms       bigint NOT NULL,
    duration_ms bigint NOT NULL,
    http_status int    NULL,
    error       text   NULL,
    outcome     text   NOT NULL   -- delivered, retrying, given_up, skipped
);
CREATE INDEX webhook_attempts_by_webhook ON webhook_attempts (webhook_id, id);
