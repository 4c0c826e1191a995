using Npgsql;

namespace OmniReport.Storage.Postgres;

public sealed partial class PostgresStore
{
    // A token of §5.1 has no client (the left join gives NULLs, so the revocation test passes it).
    private const string TokenLookup = """
        SELECT t.id, t.account_id, t.scopes, t.oauth_client_id, t.expires_at_ms
        FROM tokens t LEFT JOIN oauth_clients oc ON oc.id = t.oauth_client_id
        """;

    private const string ClientColumns = "id, client_id, account_id, scopes, secret_hash, created_at_ms, revoked_at_ms";

    /// <inheritdoc />
    public async Task<NewOAuthClient> CreateOAuthClientAsync(long accountId, Scopes scopes, CancellationToken ct = default)
    {
        var secret = OAuthClients.NewSecret();
        var client = new OAuthClient(0, OAuthClients.NewClientId(), accountId, scopes, OAuthClients.HashSecret(secret), NowMs, null);
        await using var cmd = _source.CreateCommand("""
            INSERT INTO oauth_clients (account_id, client_id, secret_hash, scopes, created_at_ms) VALUES ($1, $2, $3, $4, $5) RETURNING id
            """);
        Add(cmd, accountId, client.ClientId, client.SecretHash, (int)scopes, client.CreatedAtMs);
        try
        {
            var id = (long)(await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
            return new NewOAuthClient(client with { Id = id }, secret);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ForeignKeyViolation)
        {
            throw new KeyNotFoundException($"no account with id {accountId}");
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<OAuthClient>> ListOAuthClientsAsync(long accountId, CancellationToken ct = default)
    {
        await using var cmd = _source.CreateCommand($"SELECT {ClientColumns} FROM oauth_clients WHERE account_id = $1 ORDER BY created_at_ms, id");
        Add(cmd, accountId);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var list = new List<OAuthClient>();
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            list.Add(ReadClient(r));
        }

        return list;
    }

    /// <inheritdoc />
    public async Task<OAuthClient?> FindOAuthClientAsync(string clientId, CancellationToken ct = default)
    {
        await using var cmd = _source.CreateCommand($"SELECT {ClientColumns} FROM oauth_clients WHERE client_id = $1");
        Add(cmd, clientId);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        return await r.ReadAsync(ct).ConfigureAwait(false) ? ReadClient(r) : null;
    }

    /// <inheritdoc />
    public async Task<bool> RevokeOAuthClientAsync(string clientId, CancellationToken ct = default)
    {
        // The deleted tokens are only clean-up: AuthenticateAsync tests the client's revocation itself, so a token given
        // while the revoke runs is left behind but never authenticates.
        await using var cmd = _source.CreateCommand("""
            WITH c AS (UPDATE oauth_clients SET revoked_at_ms = coalesce(revoked_at_ms, $2) WHERE client_id = $1 RETURNING id),
                 d AS (DELETE FROM tokens WHERE oauth_client_id IN (SELECT id FROM c))
            SELECT count(*) FROM c
            """);
        Add(cmd, clientId, NowMs);
        return (long)(await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false))! > 0;
    }

    /// <inheritdoc />
    public async Task<AccessToken?> IssueAccessTokenAsync(long oauthClientId, Scopes scopes, TimeSpan lifetime, CancellationToken ct = default)
    {
        var now = NowMs;
        var token = new AccessToken(Tokens.NewToken(), scopes, now + (long)lifetime.TotalMilliseconds);
        await using var c = await _source.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var tx = await c.BeginTransactionAsync(ct).ConfigureAwait(false);
        await using (var insert = new NpgsqlCommand("""
            INSERT INTO tokens (account_id, hash, scopes, created_at_ms, oauth_client_id, expires_at_ms)
            SELECT account_id, $2, $3, $4, id, $5 FROM oauth_clients WHERE id = $1 AND revoked_at_ms IS NULL
            """, c, tx))
        {
            Add(insert, oauthClientId, Tokens.Hash(token.Token), (int)scopes, now, token.ExpiresAtMs);
            if (await insert.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 0)
            {
                return null;
            }
        }

        // Expired tokens are dead weight; each new one clears its client's, so a client keeps about an hour's worth.
        await using (var sweep = new NpgsqlCommand("DELETE FROM tokens WHERE oauth_client_id = $1 AND expires_at_ms <= $2", c, tx))
        {
            Add(sweep, oauthClientId, now);
            await sweep.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        await tx.CommitAsync(ct).ConfigureAwait(false);
        return token;
    }

    private static TokenIdentity ReadIdentity(NpgsqlDataReader r) =>
        new(r.GetInt64(1), r.GetInt64(0), (Scopes)r.GetInt32(2), r.IsDBNull(3) ? null : r.GetInt64(3), r.IsDBNull(4) ? null : r.GetInt64(4));

    private static OAuthClient ReadClient(NpgsqlDataReader r) =>
        new(r.GetInt64(0), r.GetString(1), r.GetInt64(2), (Scopes)r.GetInt32(3), (byte[])r.GetValue(4), r.GetInt64(5), r.IsDBNull(6) ? null : r.GetInt64(6));
}
