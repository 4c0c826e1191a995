using System.Data.Common;
using OmniReport.Core.Settings;

namespace OmniReport.Storage.Sql;

/// <summary>Accounts, API tokens, settings reads and connector secrets (SPEC §5.1, §10).</summary>
public abstract partial class SqlStore
{
    // A token of §5.1 has no client (the left join gives NULLs, so the revocation test passes it).
    private const string TokenLookup = """
        SELECT t.id, t.account_id, t.scopes, t.oauth_client_id, t.expires_at_ms
        FROM tokens t LEFT JOIN oauth_clients oc ON oc.id = t.oauth_client_id
        WHERE t.hash = $1 AND (t.expires_at_ms IS NULL OR t.expires_at_ms > $2) AND oc.revoked_at_ms IS NULL
        """;

    /// <inheritdoc cref="IAccountStore.CreateAccountAsync"/>
    public Task<Account> CreateAccountAsync(string name, CancellationToken ct = default) =>
        WriteAsync(async (c, tx) =>
        {
            try
            {
                var id = await ScalarAsync(c, tx, "INSERT INTO accounts (name, created_at_ms, projection_format) VALUES ($1, $2, $3) RETURNING id", ct,
                    name, NowMs, ProjectionFormat.Current).ConfigureAwait(false);
                return new Account((long)id!, name);
            }
            catch (DbException ex) when (Dialect.IsUniqueViolation(ex))
            {
                throw new StoreConflictException($"an account named \"{name}\" already exists");
            }
        }, bulk: false, ct);

    /// <inheritdoc cref="IAccountStore.FindAccountAsync"/>
    public async Task<Account?> FindAccountAsync(string name, CancellationToken ct = default)
    {
        await using var lease = await ReadAsync(scan: false, ct).ConfigureAwait(false);
        return await ScalarAsync(lease.Connection, null, "SELECT id FROM accounts WHERE name = $1", ct, name).ConfigureAwait(false) is long id
            ? new Account(id, name)
            : null;
    }

    /// <inheritdoc cref="IAccountStore.CreateTokenAsync"/>
    public Task<string> CreateTokenAsync(long accountId, Scopes scopes, CancellationToken ct = default) =>
        WriteAsync(async (c, tx) =>
        {
            var token = Tokens.NewToken();
            await RequireAccountAsync(c, tx, accountId, ct).ConfigureAwait(false);
            await ExecAsync(c, tx, "INSERT INTO tokens (account_id, hash, scopes, created_at_ms) VALUES ($1, $2, $3, $4)", ct,
                accountId, Tokens.Hash(token), (int)scopes, NowMs).ConfigureAwait(false);
            return token;
        }, bulk: false, ct);

    /// <inheritdoc cref="IAccountStore.AuthenticateAsync"/>
    public async Task<TokenIdentity?> AuthenticateAsync(string token, CancellationToken ct = default)
    {
        await using var lease = await ReadAsync(scan: false, ct).ConfigureAwait(false);
        var found = await ListAsync(lease.Connection, null, ReadIdentity, TokenLookup, ct, Tokens.Hash(token), NowMs).ConfigureAwait(false);
        return found.Count == 0 ? null : found[0];
    }

    /// <inheritdoc cref="IAccountStore.GetSettingsAsync"/>
    public async Task<AccountSettings> GetSettingsAsync(long accountId, CancellationToken ct = default)
    {
        await using var lease = await ReadAsync(scan: false, ct).ConfigureAwait(false);
        return await ReadSettingsAsync(lease.Connection, null, accountId, ct).ConfigureAwait(false);
    }

    /// <inheritdoc cref="IAccountStore.SetConnectorSecretAsync"/>
    public Task SetConnectorSecretAsync(long accountId, string connector, string? secret, CancellationToken ct = default) =>
        WriteAsync(async (c, tx) =>
        {
            await RequireAccountAsync(c, tx, accountId, ct).ConfigureAwait(false);
            return secret is null
                ? await ExecAsync(c, tx, "DELETE FROM connector_secrets WHERE account_id = $1 AND connector = $2", ct, accountId, connector).ConfigureAwait(false)
                : await ExecAsync(c, tx, """
                    INSERT INTO connector_secrets (account_id, connector, secret, updated_at_ms) VALUES ($1, $2, $3, $4)
                    ON CONFLICT (account_id, connector) DO UPDATE SET secret = excluded.secret, updated_at_ms = excluded.updated_at_ms
                    """, ct, accountId, connector, secret, NowMs).ConfigureAwait(false);
        }, bulk: false, ct);

    /// <inheritdoc cref="IAccountStore.GetConnectorSecretAsync"/>
    public async Task<string?> GetConnectorSecretAsync(long accountId, string connector, CancellationToken ct = default)
    {
        await using var lease = await ReadAsync(scan: false, ct).ConfigureAwait(false);
        return await ScalarAsync(lease.Connection, null, "SELECT secret FROM connector_secrets WHERE account_id = $1 AND connector = $2", ct, accountId, connector)
            .ConfigureAwait(false) as string;
    }

    /// <summary>Throws <see cref="KeyNotFoundException"/> when there is no such account.</summary>
    private protected async Task RequireAccountAsync(DbConnection c, DbTransaction tx, long accountId, CancellationToken ct)
    {
        if (await ScalarAsync(c, tx, "SELECT 1 FROM accounts WHERE id = $1", ct, accountId).ConfigureAwait(false) is null)
        {
            throw new KeyNotFoundException($"no account with id {accountId}");
        }
    }

    private static TokenIdentity ReadIdentity(DbDataReader r) =>
        new(r.GetInt64(1), r.GetInt64(0), (Scopes)r.GetInt32(2), r.IsDBNull(3) ? null : r.GetInt64(3), r.IsDBNull(4) ? null : r.GetInt64(4));
}
