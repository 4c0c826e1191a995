-- OAuth clients (SPEC §5.5): a client id and a secret kept only as its SHA-256. The access tokens they are
-- given live in tokens, next to the tokens of §5.1, so they authenticate the same way; they carry their client
-- (whose revocation ends them) and an expiry.

CREATE TABLE oauth_clients (
    id            INTEGER PRIMARY KEY,
    account_id    INTEGER NOT NULL REFERENCES accounts (id),
    client_id     TEXT    NOT NULL UNIQUE,
    secret_hash   BLOB    NOT NULL,    -- SHA-256 of the secret
    scopes        INTEGER NOT NULL,
    created_at_ms INTEGER NOT NULL,
    revoked_at_ms INTEGER NULL
);
CREATE INDEX oauth_clients_by_account ON oauth_clients (account_id, created_at_ms);

ALTER TABLE tokens ADD COLUMN oauth_client_id INTEGER NULL REFERENCES oauth_clients (id);
ALTER TABLE tokens ADD COLUMN expires_at_ms INTEGER NULL;   -- NULL: a token of §5.1, which does not expire
CREATE INDEX tokens_by_oauth_client ON tokens (oauth_client_id, expires_at_ms) WHERE oauth_client_id IS NOT NULL;
