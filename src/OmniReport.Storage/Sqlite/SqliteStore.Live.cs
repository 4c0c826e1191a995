namespace OmniReport.Storage.Sqlite;

public sealed partial class SqliteStore
{
    private const int PruneChunk = 10_000;

    /// <summary>Watchers of <see cref="WatchChangesAsync"/>, told after each commit that logged changes.</summary>
    private event Action<long>? Committed;

    /// <inheritdoc />
    public Task<IReadOnlyDictionary<string, string>> AgentNamesAsync(long accountId, CancellationToken ct = default)
    {
        using var c = Open();
        using var cmd = Command(c, null, "SELECT agent_id, name FROM agent_names WHERE account_id = $a");
        cmd.Parameters.AddWithValue("$a", accountId);
        using var r = cmd.ExecuteReader();
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        while (r.Read())
        {
            names[r.GetString(0)] = r.GetString(1);
        }

        return Task.FromResult<IReadOnlyDictionary<string, string>>(names);
    }

    /// <inheritdoc />
    public Task<long> LastChangeAsync(long accountId, CancellationToken ct = default)
    {
        using var c = Open();
        using var cmd = Command(c, null, "SELECT next_change - 1 FROM accounts WHERE id = $a");
        cmd.Parameters.AddWithValue("$a", accountId);
        return Task.FromResult(cmd.ExecuteScalar() is long last ? last : 0);
    }

    /// <inheritdoc />
    public async Task<long> PruneChangesAsync(long beforeMs, CancellationToken ct = default)
    {
        var accounts = new List<long>();
        using (var c = Open())
        using (var cmd = Command(c, null, "SELECT id FROM accounts ORDER BY id"))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read())
            {
                accounts.Add(r.GetInt64(0));
            }
        }

        long total = 0;
        foreach (var account in accounts)
        {
            // In chunks, each its own short write transaction, so ingest is never held up for long.
            while (true)
            {
                await _write.WaitAsync(ct).ConfigureAwait(false);
                int deleted;
                try
                {
                    using var c = Open();
                    // Only a prefix: everything before the first entry young enough to keep (entries are written in
                    // sequence order, and this scan stops there).
                    using var cmd = Command(c, null, """
                        DELETE FROM changes WHERE account_id = $a AND seq < min(
                            coalesce((SELECT seq FROM changes WHERE account_id = $a AND at_ms >= $before ORDER BY seq LIMIT 1), 9223372036854775807),
                            coalesce((SELECT seq FROM changes WHERE account_id = $a ORDER BY seq LIMIT 1), 0) + $n)
                        """);
                    cmd.Parameters.AddWithValue("$a", account);
                    cmd.Parameters.AddWithValue("$before", beforeMs);
                    cmd.Parameters.AddWithValue("$n", PruneChunk);
                    deleted = cmd.ExecuteNonQuery();
                }
                finally
                {
                    _write.Release();
                }

                total += deleted;
                if (deleted < PruneChunk)
                {
                    break;
                }
            }
        }

        return total;
    }

    /// <inheritdoc />
    public async Task WatchChangesAsync(Action<long> changed, TimeSpan poll, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(changed);
        Committed += changed;
        try
        {
            // Another process writing the same file (omnireport import while serve runs) cannot signal this one: its
            // commits are found by comparing each account's next change sequence, one small query per poll.
            Dictionary<long, long>? seen = null;
            while (true)
            {
                var now = new Dictionary<long, long>();
                using (var c = Open())
                using (var cmd = Command(c, null, "SELECT id, next_change FROM accounts"))
                using (var r = cmd.ExecuteReader())
                {
                    while (r.Read())
                    {
                        now[r.GetInt64(0)] = r.GetInt64(1);
                    }
                }

                if (seen is not null)
                {
                    foreach (var (account, next) in now)
                    {
                        if (!seen.TryGetValue(account, out var before) || before != next)
                        {
                            changed(account);
                        }
                    }
                }

                seen = now;
                await Task.Delay(poll, Clock, ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        finally
        {
            Committed -= changed;
        }
    }

    /// <summary>Tells this process's watchers that the account's change log grew (call after the commit).</summary>
    private void Signal(long accountId, int changes)
    {
        if (changes > 0)
        {
            Committed?.Invoke(accountId);
        }
    }
}
