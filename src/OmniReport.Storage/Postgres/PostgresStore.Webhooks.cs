using Npgsql;
using NpgsqlTypes;

namespace OmniReport.Storage.Postgres;

/// <summary>Webhooks and their delivery state (SPEC §9); several processes share the deliveries through leases.</summary>
public sealed partial class PostgresStore
{
    /// <inheritdoc />
    public async Task<Webhook> CreateWebhookAsync(long accountId, string url, IReadOnlyList<string> types, string secret, CancellationToken ct = default)
    {
        var now = NowMs;
        var webhook = new Webhook(WebhookRows.NewId(), accountId, url, [.. types], now);
        // From now on: the cursor is the account's last change sequence (change_seq.next - 1; no row: no change yet).
        await using var cmd = _source.CreateCommand("""
            INSERT INTO webhooks (id, account_id, url, types, secret, created_at_ms, cursor, attempts, next_attempt_ms)
            SELECT $1, a.id, $3, $4, $5, $6, coalesce((SELECT next - 1 FROM change_seq WHERE account_id = a.id), 0), 0, $6
            FROM accounts a WHERE a.id = $2
            """);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = webhook.Id });
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = accountId });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = url });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = WebhookRows.JoinTypes(types) });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = secret });
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = now });
        if (await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false) != 1)
        {
            throw new KeyNotFoundException($"no account with id {accountId}");
        }

        return webhook;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<Webhook>> ListWebhooksAsync(long accountId, CancellationToken ct = default)
    {
        await using var cmd = _source.CreateCommand($"SELECT {WebhookRows.Columns} FROM webhooks WHERE account_id = $1 ORDER BY created_at_ms, id");
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = accountId });
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var list = new List<Webhook>();
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            list.Add(WebhookRows.Read(r));
        }

        return list;
    }

    /// <inheritdoc />
    public async Task<Webhook?> GetWebhookAsync(long accountId, string webhookId, CancellationToken ct = default)
    {
        await using var cmd = _source.CreateCommand($"SELECT {WebhookRows.Columns} FROM webhooks WHERE id = $1 AND account_id = $2");
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = webhookId });
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = accountId });
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        return await r.ReadAsync(ct).ConfigureAwait(false) ? WebhookRows.Read(r) : null;
    }

    /// <inheritdoc />
    public async Task<bool> DeleteWebhookAsync(long accountId, string webhookId, CancellationToken ct = default)
    {
        // Its attempts go with it (ON DELETE CASCADE).
        await using var cmd = _source.CreateCommand("DELETE FROM webhooks WHERE id = $1 AND account_id = $2");
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = webhookId });
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = accountId });
        return await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<WebhookAttempt>?> ListWebhookAttemptsAsync(long accountId, string webhookId, int limit, CancellationToken ct = default)
    {
        if (await GetWebhookAsync(accountId, webhookId, ct).ConfigureAwait(false) is null)
        {
            return null;
        }

        await using var cmd = _source.CreateCommand($"SELECT {WebhookRows.AttemptColumns} FROM webhook_attempts WHERE webhook_id = $1 ORDER BY id DESC LIMIT $2");
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = webhookId });
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var list = new List<WebhookAttempt>();
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            list.Add(WebhookRows.ReadAttempt(r));
        }

        return list;
    }

    /// <inheritdoc />
    public async Task<WebhookLease?> ClaimWebhookAsync(TimeSpan lease, CancellationToken ct = default)
    {
        var now = NowMs;
        // SKIP LOCKED: processes claiming at the same moment take different webhooks instead of queueing on one row; a
        // row another process has just leased is re-checked on its new version and no longer qualifies.
        await using var cmd = _source.CreateCommand($"""
            UPDATE webhooks SET lease_token = $1, lease_until_ms = $2
            WHERE id = (SELECT w.id FROM webhooks w
                        WHERE w.next_attempt_ms <= $3 AND (w.lease_until_ms IS NULL OR w.lease_until_ms < $3)
                          AND EXISTS (SELECT 1 FROM changes c WHERE c.account_id = w.account_id AND c.seq > w.cursor)
                        ORDER BY w.next_attempt_ms, w.id LIMIT 1
                        FOR UPDATE SKIP LOCKED)
            RETURNING {WebhookRows.LeaseColumns}
            """);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = WebhookRows.NewLeaseToken() });
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = now + (long)lease.TotalMilliseconds });
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = now });
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        return await r.ReadAsync(ct).ConfigureAwait(false) ? WebhookRows.ReadLease(r) : null;
    }

    /// <inheritdoc />
    public async Task<bool> UpdateWebhookAsync(WebhookLease lease, WebhookState state, WebhookAttempt? attempt, TimeSpan? renew, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentNullException.ThrowIfNull(state);
        await using var c = await _source.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var tx = await c.BeginTransactionAsync(ct).ConfigureAwait(false);
        await using (var update = new NpgsqlCommand("""
            UPDATE webhooks SET cursor = $1, attempts = $2, first_attempt_ms = $3, next_attempt_ms = $4,
                lease_token = CASE WHEN $5::bigint IS NULL THEN NULL ELSE lease_token END, lease_until_ms = $5
            WHERE id = $6 AND lease_token = $7
            """, c, tx))
        {
            update.Parameters.Add(new NpgsqlParameter<long> { TypedValue = state.Cursor });
            update.Parameters.Add(new NpgsqlParameter<int> { TypedValue = state.Attempts });
            update.Parameters.Add(OrNull(state.FirstAttemptAtMs, NpgsqlDbType.Bigint));
            update.Parameters.Add(new NpgsqlParameter<long> { TypedValue = state.NextAttemptAtMs });
            update.Parameters.Add(OrNull(renew is { } r ? NowMs + (long)r.TotalMilliseconds : null, NpgsqlDbType.Bigint));
            update.Parameters.Add(new NpgsqlParameter<string> { TypedValue = lease.Webhook.Id });
            update.Parameters.Add(new NpgsqlParameter<string> { TypedValue = lease.Token });
            if (await update.ExecuteNonQueryAsync(ct).ConfigureAwait(false) != 1)
            {
                return false;
            }
        }

        if (attempt is not null)
        {
            await using var insert = new NpgsqlCommand($"""
                WITH ins AS (
                    INSERT INTO webhook_attempts (webhook_id, {WebhookRows.AttemptColumns})
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9))
                DELETE FROM webhook_attempts WHERE webhook_id = $1 AND id <= (
                    SELECT id FROM webhook_attempts WHERE webhook_id = $1 ORDER BY id DESC LIMIT 1 OFFSET {WebhookRows.AttemptsKept - 1})
                """, c, tx);
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = lease.Webhook.Id });
            insert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = attempt.ChangeSequence });
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = attempt.ChangeType });
            insert.Parameters.Add(new NpgsqlParameter<int> { TypedValue = attempt.Attempt });
            insert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = attempt.AtMs });
            insert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = attempt.DurationMs });
            insert.Parameters.Add(OrNull(attempt.HttpStatus, NpgsqlDbType.Integer));
            insert.Parameters.Add(OrNull(attempt.Error, NpgsqlDbType.Text));
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = WebhookOutcomes.Name(attempt.Outcome) });
            await insert.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        await tx.CommitAsync(ct).ConfigureAwait(false);
        return true;
    }

    /// <inheritdoc />
    public Task<int> ReleaseOrphanedWebhookLeasesAsync(CancellationToken ct = default) =>
        Task.FromResult(0); // several servers share the database: a claim's lease is the only sign its process died

    private static NpgsqlParameter OrNull(object? value, NpgsqlDbType type) => new() { Value = value ?? DBNull.Value, NpgsqlDbType = type };
}
