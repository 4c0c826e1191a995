using OmniReport.Core.Settings;

namespace OmniReport.Storage;

/// <summary>Accounts, their tokens and their settings.</summary>
public interface IAccountStore
{
    /// <summary>Creates an account. Throws <see cref="StoreConflictException"/> when the name is taken.</summary>
    Task<Account> CreateAccountAsync(string name, CancellationToken ct = default);

    /// <summary>The account with this name, or null.</summary>
    Task<Account?> FindAccountAsync(string name, CancellationToken ct = default);

    /// <summary>Creates an API token and returns its text, which is shown once and stored only hashed.</summary>
    Task<string> CreateTokenAsync(long accountId, Scopes scopes, CancellationToken ct = default);

    /// <summary>
    /// The account and scopes of a token, or null when the token is unknown, or is an access token that has expired
    /// or whose OAuth client was revoked.
    /// </summary>
    Task<TokenIdentity?> AuthenticateAsync(string token, CancellationToken ct = default);

    // OAuth clients (SPEC §5.5): the client-credentials grant gives their access tokens, which live with the tokens
    // above and authenticate the same way until they expire or their client is revoked.

    /// <summary>Creates a client of the account; its secret is returned once and stored only hashed.</summary>
    Task<NewOAuthClient> CreateOAuthClientAsync(long accountId, Scopes scopes, CancellationToken ct = default);

    /// <summary>The account's clients, revoked ones included, oldest first.</summary>
    Task<IReadOnlyList<OAuthClient>> ListOAuthClientsAsync(long accountId, CancellationToken ct = default);

    /// <summary>The client with this public id, revoked or not, or null.</summary>
    Task<OAuthClient?> FindOAuthClientAsync(string clientId, CancellationToken ct = default);

    /// <summary>
    /// Revokes a client (a second revoke keeps the first time) and deletes its access tokens. False when there is no
    /// such client.
    /// </summary>
    Task<bool> RevokeOAuthClientAsync(string clientId, CancellationToken ct = default);

    /// <summary>
    /// Issues an access token to the client (by store id) with <paramref name="scopes"/>, expiring after
    /// <paramref name="lifetime"/>, and deletes the client's expired tokens. Null when the client is unknown or revoked.
    /// </summary>
    Task<AccessToken?> IssueAccessTokenAsync(long oauthClientId, Scopes scopes, TimeSpan lifetime, CancellationToken ct = default);

    /// <summary>The account's settings (the defaults until changed).</summary>
    Task<AccountSettings> GetSettingsAsync(long accountId, CancellationToken ct = default);

    /// <summary>Replaces the settings and recomputes every derived record of the account, in one transaction.</summary>
    Task UpdateSettingsAsync(long accountId, AccountSettings settings, CancellationToken ct = default);

    // Connector secrets (SPEC §10): what a vendor signs its callbacks with, kept as given because the server must
    // compute the same signature.

    /// <summary>
    /// Stores the account's secret for <paramref name="connector"/> (e.g. "twilio"), replacing any earlier one;
    /// null removes it.
    /// </summary>
    Task SetConnectorSecretAsync(long accountId, string connector, string? secret, CancellationToken ct = default);

    /// <summary>The account's secret for <paramref name="connector"/>, or null when none is set.</summary>
    Task<string?> GetConnectorSecretAsync(long accountId, string connector, CancellationToken ct = default);
}
