-- Webhooks (SPEC §9, issue 13): each one delivers its account's changes in change order, one at a time. Its delivery
-- state lives on its own row, so it survives a restart and several processes share the work: the cursor (the last
-- change delivered, given up or not subscribed), the attempts made at the change after it, when the first of them
-- was (the 24 h budget), when the next is due, and the lease of the process sending it (a random token and an
-- expiry). The secret is kept as given: the server needs it to sign. Numbered 160–169 for the webhooks.

CREATE TABLE webhooks (
    id               TEXT    PRIMARY KEY,
    account_id       INTEGER NOT NULL REFERENCES accounts (id),
    url              TEXT    NOT NULL,
    types            TEXT    NOT NULL,   -- subscribed change types, comma-separated, in the order given
    secret           TEXT    NOT NULL,
    created_at_ms    INTEGER NOT NULL,
    cursor           INTEGER NOT NULL,   -- the account's change sequence up to which the webhook is done
    attempts         INTEGER NOT NULL,   -- failed attempts at the change after the cursor
    first_attempt_ms INTEGER NULL,       -- when the first of them was
    next_attempt_ms  INTEGER NOT NULL,   -- when the next attempt is due
    lease_token      TEXT    NULL,
    lease_until_ms   INTEGER NULL
);
CREATE INDEX webhooks_by_account ON webhooks (account_id, created_at_ms, id);
CREATE INDEX webhooks_due ON webhooks (next_attempt_ms);

-- The latest attempts of each webhook (the store keeps the last 100), newest has the highest id.
CREATE TABLE webhook_attempts (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    webhook_id  TEXT    NOT NULL,
    change_seq  INTEGER NOT NULL,
    change_type TEXT    NOT NULL,
    attempt     INTEGER NOT NULL,
    at_ms       INTEGER NOT NULL,
    duration_ms INTEGER NOT NULL,
    http_status INTEGER NULL,
    error       TEXT    NULL,
    outcome     TEXT    NOT NULL   -- delivered, retrying, given_up, skipped
);
CREATE INDEX webhook_attempts_by_webhook ON webhook_attempts (webhook_id, id);
