namespace OmniReport.Storage;

/// <summary>
/// Webhooks (SPEC §9) and their delivery state. A webhook takes its account's changes in change order, one at a time:
/// a process claims a webhook that is due (<see cref="ClaimWebhookAsync"/>), sends, and moves it on with
/// <see cref="UpdateWebhookAsync"/>; only the claim's token may do that, so two processes never send for one webhook at
/// once while a claim holds.
/// </summary>
public interface IWebhookStore
{
    /// <summary>
    /// Creates a webhook that receives the account's changes logged from now on (its cursor is the account's latest
    /// change); <paramref name="secret"/> is kept to sign with.
    /// </summary>
    Task<Webhook> CreateWebhookAsync(long accountId, string url, IReadOnlyList<string> types, string secret, CancellationToken ct = default);

    /// <summary>The account's webhooks, oldest first.</summary>
    Task<IReadOnlyList<Webhook>> ListWebhooksAsync(long accountId, CancellationToken ct = default);

    /// <summary>The account's webhook with this id, or null.</summary>
    Task<Webhook?> GetWebhookAsync(long accountId, string webhookId, CancellationToken ct = default);

    /// <summary>Deletes the account's webhook and its attempts; false when there is no such webhook.</summary>
    Task<bool> DeleteWebhookAsync(long accountId, string webhookId, CancellationToken ct = default);

    /// <summary>The latest attempts of the account's webhook, newest first (at most <paramref name="limit"/>), or null when there is no such webhook.</summary>
    Task<IReadOnlyList<WebhookAttempt>?> ListWebhookAttemptsAsync(long accountId, string webhookId, int limit, CancellationToken ct = default);

    /// <summary>
    /// Claims a webhook whose next attempt is due, that has a change after its cursor and that no live claim holds:
    /// it is leased under a new token until now + <paramref name="lease"/>. Null when there is no such webhook.
    /// </summary>
    Task<WebhookLease?> ClaimWebhookAsync(TimeSpan lease, CancellationToken ct = default);

    /// <summary>
    /// Moves a claimed webhook on to <paramref name="state"/> and records <paramref name="attempt"/> (if any), keeping
    /// its latest attempts. With <paramref name="renew"/> the claim is extended to now + renew, without it the claim
    /// ends. False, and nothing written, when the claim is no longer this token's (another process took the webhook
    /// after the lease ran out, or it was deleted).
    /// </summary>
    Task<bool> UpdateWebhookAsync(WebhookLease lease, WebhookState state, WebhookAttempt? attempt, TimeSpan? renew, CancellationToken ct = default);

    /// <summary>
    /// Ends the claims this server's store can know to be orphaned (SQLite: the file is one server's, so any claim at
    /// start was left by a process that died); PostgreSQL leaves claims to their leases. Returns how many.
    /// </summary>
    Task<int> ReleaseOrphanedWebhookLeasesAsync(CancellationToken ct = default);
}
