using System.Data.Common;

namespace OmniReport.Storage.Sql;

/// <summary>OAuth clients and their access tokens (SPEC §5.5).</summary>
public abstract partial class SqlStore
{
    private const string ClientColumns = "id, client_id, account_id, scopes, secret_hash, created_at_ms, revoked_at_ms";

    /// <inheritdoc cref="IAccountStore.CreateOAuthClientAsync"/>
    public Task<NewOAuthClient> CreateOAuthClientAsync(long accountId, Scopes scopes, CancellationToken ct = default) =>
        WriteAsync(async (c, tx) =>
        {
            var secret = OAuthClients.NewSecret();
            var client = new OAuthClient(0, OAuthClients.NewClientId(), accountId, scopes, OAuthClients.HashSecret(secret), NowMs, null);
            await RequireAccountAsync(c, tx, accountId, ct).ConfigureAwait(false);
            var id = (long)(await ScalarAsync(c, tx, """
                INSERT INTO oauth_clients (account_id, client_id, secret_hash, scopes, created_at_ms) VALUES ($1, $2, $3, $4, $5) RETURNING id
                """, ct, accountId, client.ClientId, client.SecretHash, (int)scopes, client.CreatedAtMs).ConfigureAwait(false))!;
            return new NewOAuthClient(client with { Id = id }, secret);
        }, bulk: false, ct);

    /// <inheritdoc cref="IAccountStore.ListOAuthClientsAsync"/>
    public async Task<IReadOnlyList<OAuthClient>> ListOAuthClientsAsync(long accountId, CancellationToken ct = default)
    {
        await using var lease = await ReadAsync(scan: false, ct).ConfigureAwait(false);
        return await ListAsync(lease.Connection, null, ReadClient, $"SELECT {ClientColumns} FROM oauth_clients WHERE account_id = $1 ORDER BY created_at_ms, id", ct, accountId)
            .ConfigureAwait(false);
    }

    /// <inheritdoc cref="IAccountStore.FindOAuthClientAsync"/>
    public async Task<OAuthClient?> FindOAuthClientAsync(string clientId, CancellationToken ct = default)
    {
        await using var lease = await ReadAsync(scan: false, ct).ConfigureAwait(false);
        var found = await ListAsync(lease.Connection, null, ReadClient, $"SELECT {ClientColumns} FROM oauth_clients WHERE client_id = $1", ct, clientId).ConfigureAwait(false);
        return found.Count == 0 ? null : found[0];
    }

    /// <inheritdoc cref="IAccountStore.RevokeOAuthClientAsync"/>
    public Task<bool> RevokeOAuthClientAsync(string clientId, CancellationToken ct = default) =>
        WriteAsync(async (c, tx) =>
        {
            // The deleted tokens are only clean-up: AuthenticateAsync tests the client's revocation itself, so a token
            // given while the revoke runs (PostgreSQL) is left behind but never authenticates.
            if (await ScalarAsync(c, tx, "UPDATE oauth_clients SET revoked_at_ms = coalesce(revoked_at_ms, $2) WHERE client_id = $1 RETURNING id", ct, clientId, NowMs)
                .ConfigureAwait(false) is not long id)
            {
                return false;
            }

            await ExecAsync(c, tx, "DELETE FROM tokens WHERE oauth_client_id = $1", ct, id).ConfigureAwait(false);
            return true;
        }, bulk: false, ct);

    /// <inheritdoc cref="IAccountStore.IssueAccessTokenAsync"/>
    public Task<AccessToken?> IssueAccessTokenAsync(long oauthClientId, Scopes scopes, TimeSpan lifetime, CancellationToken ct = default) =>
        WriteAsync<AccessToken?>(async (c, tx) =>
        {
            var now = NowMs;
            var token = new AccessToken(Tokens.NewToken(), scopes, now + (long)lifetime.TotalMilliseconds);
            if (await ExecAsync(c, tx, """
                INSERT INTO tokens (account_id, hash, scopes, created_at_ms, oauth_client_id, expires_at_ms)
                SELECT account_id, $2, $3, $4, id, $5 FROM oauth_clients WHERE id = $1 AND revoked_at_ms IS NULL
                """, ct, oauthClientId, Tokens.Hash(token.Token), (int)scopes, now, token.ExpiresAtMs).ConfigureAwait(false) == 0)
            {
                return null;
            }

            // Expired tokens are dead weight; each new one clears its client's, so a client keeps about an hour's worth.
            await ExecAsync(c, tx, "DELETE FROM tokens WHERE oauth_client_id = $1 AND expires_at_ms <= $2", ct, oauthClientId, now).ConfigureAwait(false);
            return token;
        }, bulk: false, ct);

    private static OAuthClient ReadClient(DbDataReader r) =>
        new(r.GetInt64(0), r.GetString(1), r.GetInt64(2), (Scopes)r.GetInt32(3), (byte[])r.GetValue(4), r.GetInt64(5), r.IsDBNull(6) ? null : r.GetInt64(6));
}
