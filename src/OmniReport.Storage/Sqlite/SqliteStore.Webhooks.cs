using Microsoft.Data.Sqlite;

namespace OmniReport.Storage.Sqlite;

/// <summary>Webhooks and their delivery state (SPEC §9).</summary>
public sealed partial class SqliteStore
{
    /// <inheritdoc />
    public Task<Webhook> CreateWebhookAsync(long accountId, string url, IReadOnlyList<string> types, string secret, CancellationToken ct = default) =>
        Write(c =>
        {
            using var tx = c.BeginTransaction(deferred: false);
            var now = NowMs;
            var webhook = new Webhook(WebhookRows.NewId(), accountId, url, [.. types], now);
            // From now on: the cursor is the account's last change sequence (next_change - 1).
            using var cmd = Command(c, tx, """
                INSERT INTO webhooks (id, account_id, url, types, secret, created_at_ms, cursor, attempts, next_attempt_ms)
                SELECT $id, id, $url, $types, $secret, $now, next_change - 1, 0, $now FROM accounts WHERE id = $a
                """);
            cmd.Parameters.AddWithValue("$id", webhook.Id);
            cmd.Parameters.AddWithValue("$a", accountId);
            cmd.Parameters.AddWithValue("$url", url);
            cmd.Parameters.AddWithValue("$types", WebhookRows.JoinTypes(types));
            cmd.Parameters.AddWithValue("$secret", secret);
            cmd.Parameters.AddWithValue("$now", now);
            if (cmd.ExecuteNonQuery() != 1)
            {
                throw new KeyNotFoundException($"no account with id {accountId}");
            }

            tx.Commit();
            return webhook;
        }, ct);

    /// <inheritdoc />
    public Task<IReadOnlyList<Webhook>> ListWebhooksAsync(long accountId, CancellationToken ct = default)
    {
        using var c = Open();
        using var cmd = Command(c, null, $"SELECT {WebhookRows.Columns} FROM webhooks WHERE account_id = $a ORDER BY created_at_ms, id");
        cmd.Parameters.AddWithValue("$a", accountId);
        using var r = cmd.ExecuteReader();
        var list = new List<Webhook>();
        while (r.Read())
        {
            list.Add(WebhookRows.Read(r));
        }

        return Task.FromResult<IReadOnlyList<Webhook>>(list);
    }

    /// <inheritdoc />
    public Task<Webhook?> GetWebhookAsync(long accountId, string webhookId, CancellationToken ct = default)
    {
        using var c = Open();
        return Task.FromResult(FindWebhook(c, accountId, webhookId));
    }

    /// <inheritdoc />
    public Task<bool> DeleteWebhookAsync(long accountId, string webhookId, CancellationToken ct = default) =>
        Write(c =>
        {
            using var tx = c.BeginTransaction(deferred: false);
            using var delete = Command(c, tx, "DELETE FROM webhooks WHERE id = $id AND account_id = $a");
            delete.Parameters.AddWithValue("$id", webhookId);
            delete.Parameters.AddWithValue("$a", accountId);
            if (delete.ExecuteNonQuery() == 0)
            {
                return false;
            }

            using var attempts = Command(c, tx, "DELETE FROM webhook_attempts WHERE webhook_id = $id");
            attempts.Parameters.AddWithValue("$id", webhookId);
            attempts.ExecuteNonQuery();
            tx.Commit();
            return true;
        }, ct);

    /// <inheritdoc />
    public Task<IReadOnlyList<WebhookAttempt>?> ListWebhookAttemptsAsync(long accountId, string webhookId, int limit, CancellationToken ct = default)
    {
        using var c = Open();
        if (FindWebhook(c, accountId, webhookId) is null)
        {
            return Task.FromResult<IReadOnlyList<WebhookAttempt>?>(null);
        }

        using var cmd = Command(c, null, $"SELECT {WebhookRows.AttemptColumns} FROM webhook_attempts WHERE webhook_id = $id ORDER BY id DESC LIMIT $n");
        cmd.Parameters.AddWithValue("$id", webhookId);
        cmd.Parameters.AddWithValue("$n", limit);
        using var r = cmd.ExecuteReader();
        var list = new List<WebhookAttempt>();
        while (r.Read())
        {
            list.Add(WebhookRows.ReadAttempt(r));
        }

        return Task.FromResult<IReadOnlyList<WebhookAttempt>?>(list);
    }

    /// <inheritdoc />
    public Task<WebhookLease?> ClaimWebhookAsync(TimeSpan lease, CancellationToken ct = default) =>
        Write(c =>
        {
            var now = NowMs;
            // One statement in one write transaction: SQLite has one writer at a time, across processes too.
            using var cmd = Command(c, null, $"""
                UPDATE webhooks SET lease_token = $token, lease_until_ms = $until
                WHERE id = (SELECT w.id FROM webhooks w JOIN accounts a ON a.id = w.account_id
                            WHERE w.next_attempt_ms <= $now AND (w.lease_until_ms IS NULL OR w.lease_until_ms < $now)
                              AND a.next_change - 1 > w.cursor
                            ORDER BY w.next_attempt_ms, w.id LIMIT 1)
                RETURNING {WebhookRows.LeaseColumns}
                """);
            cmd.Parameters.AddWithValue("$token", WebhookRows.NewLeaseToken());
            cmd.Parameters.AddWithValue("$until", now + (long)lease.TotalMilliseconds);
            cmd.Parameters.AddWithValue("$now", now);
            using var r = cmd.ExecuteReader();
            return r.Read() ? WebhookRows.ReadLease(r) : null;
        }, ct);

    /// <inheritdoc />
    public Task<bool> UpdateWebhookAsync(WebhookLease lease, WebhookState state, WebhookAttempt? attempt, TimeSpan? renew, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentNullException.ThrowIfNull(state);
        return Write(c =>
        {
            using var tx = c.BeginTransaction(deferred: false);
            using var update = Command(c, tx, """
                UPDATE webhooks SET cursor = $cursor, attempts = $attempts, first_attempt_ms = $first, next_attempt_ms = $next,
                    lease_token = CASE WHEN $until IS NULL THEN NULL ELSE lease_token END, lease_until_ms = $until
                WHERE id = $id AND lease_token = $token
                """);
            update.Parameters.AddWithValue("$cursor", state.Cursor);
            update.Parameters.AddWithValue("$attempts", state.Attempts);
            update.Parameters.AddWithValue("$first", (object?)state.FirstAttemptAtMs ?? DBNull.Value);
            update.Parameters.AddWithValue("$next", state.NextAttemptAtMs);
            update.Parameters.AddWithValue("$until", renew is { } r ? NowMs + (long)r.TotalMilliseconds : DBNull.Value);
            update.Parameters.AddWithValue("$id", lease.Webhook.Id);
            update.Parameters.AddWithValue("$token", lease.Token);
            if (update.ExecuteNonQuery() != 1)
            {
                return false;
            }

            if (attempt is not null)
            {
                InsertAttempt(c, tx, lease.Webhook.Id, attempt);
            }

            tx.Commit();
            return true;
        }, ct);
    }

    /// <inheritdoc />
    public Task<int> ReleaseOrphanedWebhookLeasesAsync(CancellationToken ct = default) =>
        Write(c =>
        {
            using var cmd = Command(c, null, "UPDATE webhooks SET lease_token = NULL, lease_until_ms = NULL WHERE lease_token IS NOT NULL");
            return cmd.ExecuteNonQuery();
        }, ct);

    private static Webhook? FindWebhook(SqliteConnection c, long accountId, string webhookId)
    {
        using var cmd = Command(c, null, $"SELECT {WebhookRows.Columns} FROM webhooks WHERE id = $id AND account_id = $a");
        cmd.Parameters.AddWithValue("$id", webhookId);
        cmd.Parameters.AddWithValue("$a", accountId);
        using var r = cmd.ExecuteReader();
        return r.Read() ? WebhookRows.Read(r) : null;
    }

    private static void InsertAttempt(SqliteConnection c, SqliteTransaction tx, string webhookId, WebhookAttempt a)
    {
        using var insert = Command(c, tx, $"""
            INSERT INTO webhook_attempts (webhook_id, {WebhookRows.AttemptColumns})
            VALUES ($w, $seq, $type, $attempt, $at, $duration, $status, $error, $outcome)
            """);
        insert.Parameters.AddWithValue("$w", webhookId);
        insert.Parameters.AddWithValue("$seq", a.ChangeSequence);
        insert.Parameters.AddWithValue("$type", a.ChangeType);
        insert.Parameters.AddWithValue("$attempt", a.Attempt);
        insert.Parameters.AddWithValue("$at", a.AtMs);
        insert.Parameters.AddWithValue("$duration", a.DurationMs);
        insert.Parameters.AddWithValue("$status", (object?)a.HttpStatus ?? DBNull.Value);
        insert.Parameters.AddWithValue("$error", (object?)a.Error ?? DBNull.Value);
        insert.Parameters.AddWithValue("$outcome", WebhookOutcomes.Name(a.Outcome));
        insert.ExecuteNonQuery();
        using var prune = Command(c, tx, $"""
            DELETE FROM webhook_attempts WHERE webhook_id = $w AND id <= (
                SELECT id FROM webhook_attempts WHERE webhook_id = $w ORDER BY id DESC LIMIT 1 OFFSET {WebhookRows.AttemptsKept})
            """);
        prune.Parameters.AddWithValue("$w", webhookId);
        prune.ExecuteNonQuery();
    }
}
