-- Secrets of the connectors of SPEC §10: the Twilio auth token that signs TaskRouter callbacks. Kept as given
-- (not hashed): the server needs the token itself to compute the X-Twilio-Signature it compares. Numbered
-- 130–139 for the connectors, apart from the migrations of other work in progress.

CREATE TABLE connector_secrets (
    account_id    INTEGER NOT NULL REFERENCES accounts (id),
    connector     TEXT    NOT NULL,   -- "twilio"
    secret        TEXT    NOT NULL,
    updated_at_ms INTEGER NOT NULL,
    PRIMARY KEY (account_id, connector)
) WITHOUT ROWID;
