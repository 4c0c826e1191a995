namespace OmniReport.Storage.Sql;

/// <summary>
/// Webhooks and their delivery state (SPEC §9). Several processes share the deliveries through leases: a claim is one
/// UPDATE of the first due webhook, which PostgreSQL takes FOR UPDATE SKIP LOCKED (processes claiming at the same moment
/// take different webhooks) and SQLite under its one writer's lock.
/// </summary>
public abstract partial class SqlStore
{
    /// <inheritdoc cref="IWebhookStore.CreateWebhookAsync"/>
    public Task<Webhook> CreateWebhookAsync(long accountId, string url, IReadOnlyList<string> types, string secret, CancellationToken ct = default) =>
        WriteAsync(async (c, tx) =>
        {
            var now = NowMs;
            var webhook = new Webhook(WebhookRows.NewId(), accountId, url, [.. types], now);
            // From now on: the cursor is the account's last change sequence.
            if (await ExecAsync(c, tx, $"""
                INSERT INTO webhooks (id, account_id, url, types, secret, created_at_ms, cursor, attempts, next_attempt_ms)
                SELECT $1, a.id, $3, $4, $5, $6, {Dialect.LastChange("a.id")}, 0, $6 FROM accounts a WHERE a.id = $2
                """, ct, webhook.Id, accountId, url, WebhookRows.JoinTypes(types), secret, now).ConfigureAwait(false) != 1)
            {
                throw new KeyNotFoundException($"no account with id {accountId}");
            }

            return webhook;
        }, bulk: false, ct);

    /// <inheritdoc cref="IWebhookStore.ListWebhooksAsync"/>
    public async Task<IReadOnlyList<Webhook>> ListWebhooksAsync(long accountId, CancellationToken ct = default)
    {
        await using var lease = await ReadAsync(scan: false, ct).ConfigureAwait(false);
        return await ListAsync(lease.Connection, null, WebhookRows.Read, $"SELECT {WebhookRows.Columns} FROM webhooks WHERE account_id = $1 ORDER BY created_at_ms, id", ct, accountId)
            .ConfigureAwait(false);
    }

    /// <inheritdoc cref="IWebhookStore.GetWebhookAsync"/>
    public async Task<Webhook?> GetWebhookAsync(long accountId, string webhookId, CancellationToken ct = default)
    {
        await using var lease = await ReadAsync(scan: false, ct).ConfigureAwait(false);
        var found = await ListAsync(lease.Connection, null, WebhookRows.Read, $"SELECT {WebhookRows.Columns} FROM webhooks WHERE id = $1 AND account_id = $2", ct, webhookId, accountId)
            .ConfigureAwait(false);
        return found.Count == 0 ? null : found[0];
    }

    /// <inheritdoc cref="IWebhookStore.DeleteWebhookAsync"/>
    public Task<bool> DeleteWebhookAsync(long accountId, string webhookId, CancellationToken ct = default) =>
        WriteAsync(async (c, tx) =>
        {
            if (await ExecAsync(c, tx, "DELETE FROM webhooks WHERE id = $1 AND account_id = $2", ct, webhookId, accountId).ConfigureAwait(false) == 0)
            {
                return false;
            }

            // Its attempts go with it (PostgreSQL's foreign key cascades too; then this finds none).
            await ExecAsync(c, tx, "DELETE FROM webhook_attempts WHERE webhook_id = $1", ct, webhookId).ConfigureAwait(false);
            return true;
        }, bulk: false, ct);

    /// <inheritdoc cref="IWebhookStore.ListWebhookAttemptsAsync"/>
    public async Task<IReadOnlyList<WebhookAttempt>?> ListWebhookAttemptsAsync(long accountId, string webhookId, int limit, CancellationToken ct = default)
    {
        if (await GetWebhookAsync(accountId, webhookId, ct).ConfigureAwait(false) is null)
        {
            return null;
        }

        await using var lease = await ReadAsync(scan: false, ct).ConfigureAwait(false);
        return await ListAsync(lease.Connection, null, WebhookRows.ReadAttempt,
            $"SELECT {WebhookRows.AttemptColumns} FROM webhook_attempts WHERE webhook_id = $1 ORDER BY id DESC LIMIT $2", ct, webhookId, limit).ConfigureAwait(false);
    }

    /// <inheritdoc cref="IWebhookStore.ClaimWebhookAsync"/>
    public Task<WebhookLease?> ClaimWebhookAsync(TimeSpan lease, CancellationToken ct = default) =>
        WriteAsync(async (c, tx) =>
        {
            var now = NowMs;
            // A row another process has just leased is passed over (PostgreSQL) or waited for (SQLite), and then
            // re-checked on its new version, where it no longer qualifies.
            var claimed = await ListAsync(c, tx, WebhookRows.ReadLease, $"""
                UPDATE webhooks SET lease_token = $1, lease_until_ms = $2
                WHERE id = (SELECT w.id FROM webhooks w
                            WHERE w.next_attempt_ms <= $3 AND (w.lease_until_ms IS NULL OR w.lease_until_ms < $3)
                              AND EXISTS (SELECT 1 FROM changes c WHERE c.account_id = w.account_id AND c.seq > w.cursor)
                            ORDER BY w.next_attempt_ms, w.id LIMIT 1{Dialect.ForUpdateSkipLocked})
                RETURNING {WebhookRows.LeaseColumns}
                """, ct, WebhookRows.NewLeaseToken(), now + (long)lease.TotalMilliseconds, now).ConfigureAwait(false);
            return claimed.Count == 0 ? null : claimed[0];
        }, bulk: false, ct);

    /// <inheritdoc cref="IWebhookStore.UpdateWebhookAsync"/>
    public Task<bool> UpdateWebhookAsync(WebhookLease lease, WebhookState state, WebhookAttempt? attempt, TimeSpan? renew, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentNullException.ThrowIfNull(state);
        return WriteAsync(async (c, tx) =>
        {
            if (await ExecAsync(c, tx, """
                UPDATE webhooks SET cursor = $1, attempts = $2, first_attempt_ms = $3, next_attempt_ms = $4,
                    lease_token = CASE WHEN $5 THEN lease_token END, lease_until_ms = $6
                WHERE id = $7 AND lease_token = $8
                """, ct, state.Cursor, state.Attempts, state.FirstAttemptAtMs, state.NextAttemptAtMs,
                renew is not null, renew is { } r ? NowMs + (long)r.TotalMilliseconds : (long?)null, lease.Webhook.Id, lease.Token).ConfigureAwait(false) != 1)
            {
                return false;
            }

            if (attempt is not null)
            {
                await ExecAsync(c, tx, $"""
                    INSERT INTO webhook_attempts (webhook_id, {WebhookRows.AttemptColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                    """, ct, lease.Webhook.Id, attempt.ChangeSequence, attempt.ChangeType, attempt.Attempt, attempt.AtMs, attempt.DurationMs,
                    attempt.HttpStatus, attempt.Error, WebhookOutcomes.Name(attempt.Outcome)).ConfigureAwait(false);
                // The latest attempts are kept; the one just inserted is the newest.
                await ExecAsync(c, tx, $"""
                    DELETE FROM webhook_attempts WHERE webhook_id = $1 AND id <= (
                        SELECT id FROM webhook_attempts WHERE webhook_id = $1 ORDER BY id DESC LIMIT 1 OFFSET {WebhookRows.AttemptsKept})
                    """, ct, lease.Webhook.Id).ConfigureAwait(false);
            }

            return true;
        }, bulk: false, ct);
    }
}
