using Microsoft.Data.Sqlite;

namespace OmniReport.Storage.Sqlite;

public sealed partial class SqliteStore
{
    // A token of §5.1 has no client (the left join gives NULLs, so the revocation test passes it).
    private const string TokenLookup = """
        SELECT t.id, t.account_id, t.scopes, t.oauth_client_id, t.expires_at_ms
        FROM tokens t LEFT JOIN oauth_clients oc ON oc.id = t.oauth_client_id
        """;

    private const string ClientColumns = "id, client_id, account_id, scopes, secret_hash, created_at_ms, revoked_at_ms";

    /// <inheritdoc />
    public Task<NewOAuthClient> CreateOAuthClientAsync(long accountId, Scopes scopes, CancellationToken ct = default) =>
        Write(c =>
        {
            var secret = OAuthClients.NewSecret();
            var client = new OAuthClient(0, OAuthClients.NewClientId(), accountId, scopes, OAuthClients.HashSecret(secret), NowMs, null);
            using var tx = c.BeginTransaction(deferred: false);
            RequireAccount(c, tx, accountId);
            using var cmd = Command(c, tx, """
                INSERT INTO oauth_clients (account_id, client_id, secret_hash, scopes, created_at_ms) VALUES ($a, $c, $h, $s, $t) RETURNING id
                """);
            cmd.Parameters.AddWithValue("$a", accountId);
            cmd.Parameters.AddWithValue("$c", client.ClientId);
            cmd.Parameters.AddWithValue("$h", client.SecretHash);
            cmd.Parameters.AddWithValue("$s", (int)scopes);
            cmd.Parameters.AddWithValue("$t", client.CreatedAtMs);
            var id = (long)cmd.ExecuteScalar()!;
            tx.Commit();
            return new NewOAuthClient(client with { Id = id }, secret);
        }, ct);

    /// <inheritdoc />
    public Task<IReadOnlyList<OAuthClient>> ListOAuthClientsAsync(long accountId, CancellationToken ct = default)
    {
        using var c = Open();
        using var cmd = Command(c, null, $"SELECT {ClientColumns} FROM oauth_clients WHERE account_id = $a ORDER BY created_at_ms, id");
        cmd.Parameters.AddWithValue("$a", accountId);
        using var r = cmd.ExecuteReader();
        var list = new List<OAuthClient>();
        while (r.Read())
        {
            list.Add(ReadClient(r));
        }

        return Task.FromResult<IReadOnlyList<OAuthClient>>(list);
    }

    /// <inheritdoc />
    public Task<OAuthClient?> FindOAuthClientAsync(string clientId, CancellationToken ct = default)
    {
        using var c = Open();
        using var cmd = Command(c, null, $"SELECT {ClientColumns} FROM oauth_clients WHERE client_id = $c");
        cmd.Parameters.AddWithValue("$c", clientId);
        using var r = cmd.ExecuteReader();
        return Task.FromResult(r.Read() ? ReadClient(r) : null);
    }

    /// <inheritdoc />
    public Task<bool> RevokeOAuthClientAsync(string clientId, CancellationToken ct = default) =>
        Write(c =>
        {
            using var tx = c.BeginTransaction(deferred: false);
            using var revoke = Command(c, tx, "UPDATE oauth_clients SET revoked_at_ms = coalesce(revoked_at_ms, $t) WHERE client_id = $c RETURNING id");
            revoke.Parameters.AddWithValue("$c", clientId);
            revoke.Parameters.AddWithValue("$t", NowMs);
            if (revoke.ExecuteScalar() is not long id)
            {
                return false;
            }

            using var tokens = Command(c, tx, "DELETE FROM tokens WHERE oauth_client_id = $id");
            tokens.Parameters.AddWithValue("$id", id);
            tokens.ExecuteNonQuery();
            tx.Commit();
            return true;
        }, ct);

    /// <inheritdoc />
    public Task<AccessToken?> IssueAccessTokenAsync(long oauthClientId, Scopes scopes, TimeSpan lifetime, CancellationToken ct = default) =>
        Write(c =>
        {
            var now = NowMs;
            var token = new AccessToken(Tokens.NewToken(), scopes, now + (long)lifetime.TotalMilliseconds);
            using var tx = c.BeginTransaction(deferred: false);
            using (var insert = Command(c, tx, """
                INSERT INTO tokens (account_id, hash, scopes, created_at_ms, oauth_client_id, expires_at_ms)
                SELECT account_id, $h, $s, $now, id, $exp FROM oauth_clients WHERE id = $id AND revoked_at_ms IS NULL
                """))
            {
                insert.Parameters.AddWithValue("$h", Tokens.Hash(token.Token));
                insert.Parameters.AddWithValue("$s", (int)scopes);
                insert.Parameters.AddWithValue("$now", now);
                insert.Parameters.AddWithValue("$id", oauthClientId);
                insert.Parameters.AddWithValue("$exp", token.ExpiresAtMs);
                if (insert.ExecuteNonQuery() == 0)
                {
                    return null;
                }
            }

            // Expired tokens are dead weight; each new one clears its client's, so a client keeps about an hour's worth.
            using (var sweep = Command(c, tx, "DELETE FROM tokens WHERE oauth_client_id = $id AND expires_at_ms <= $now"))
            {
                sweep.Parameters.AddWithValue("$id", oauthClientId);
                sweep.Parameters.AddWithValue("$now", now);
                sweep.ExecuteNonQuery();
            }

            tx.Commit();
            return token;
        }, ct);

    private static TokenIdentity ReadIdentity(SqliteDataReader r) =>
        new(r.GetInt64(1), r.GetInt64(0), (Scopes)r.GetInt32(2), r.IsDBNull(3) ? null : r.GetInt64(3), r.IsDBNull(4) ? null : r.GetInt64(4));

    private static OAuthClient ReadClient(SqliteDataReader r) =>
        new(r.GetInt64(0), r.GetString(1), r.GetInt64(2), (Scopes)r.GetInt32(3), (byte[])r.GetValue(4), r.GetInt64(5), r.IsDBNull(6) ? null : r.GetInt64(6));
}
