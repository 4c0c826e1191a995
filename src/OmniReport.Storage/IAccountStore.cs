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

    /// <summary>The account and scopes of a token, or null when the token is unknown.</summary>
    Task<TokenIdentity?> AuthenticateAsync(string token, CancellationToken ct = default);

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
