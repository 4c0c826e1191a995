using System.Globalization;
using Npgsql;

namespace OmniReport.Storage.Postgres;

public sealed partial class PostgresStore
{
    /// <summary>The NOTIFY channel of change-log commits; the payload is the account id.</summary>
    private const string ChangeChannel = "omnireport_changes";

    private const int PruneChunk = 10_000;

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<string, string>> AgentNamesAsync(long accountId, CancellationToken ct = default)
    {
        await using var cmd = _source.CreateCommand("SELECT agent_id, name FROM agent_names WHERE account_id = $1");
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = accountId });
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            names[r.GetString(0)] = r.GetString(1);
        }

        return names;
    }

    /// <inheritdoc />
    public async Task<long> LastChangeAsync(long accountId, CancellationToken ct = default)
    {
        // change_seq is written in the transaction that logs the changes: what it says is committed.
        await using var cmd = _source.CreateCommand("SELECT next - 1 FROM change_seq WHERE account_id = $1");
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = accountId });
        return await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false) is long last ? last : 0;
    }

    /// <inheritdoc />
    public async Task<long> PruneChangesAsync(long beforeMs, CancellationToken ct = default)
    {
        var accounts = new List<long>();
        await using (var cmd = _source.CreateCommand("SELECT id FROM accounts ORDER BY id"))
        await using (var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            while (await r.ReadAsync(ct).ConfigureAwait(false))
            {
                accounts.Add(r.GetInt64(0));
            }
        }

        long total = 0;
        foreach (var account in accounts)
        {
            while (true)
            {
                // A prefix only, in chunks: everything before the first entry young enough to keep.
                await using var cmd = _source.CreateCommand("""
                    DELETE FROM changes WHERE account_id = $1 AND seq < LEAST(
                        coalesce((SELECT seq FROM changes WHERE account_id = $1 AND at_ms >= $2 ORDER BY seq LIMIT 1), 9223372036854775807),
                        coalesce((SELECT min(seq) FROM changes WHERE account_id = $1), 0) + $3)
                    """);
                cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = account });
                cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = beforeMs });
                cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = PruneChunk });
                var deleted = await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
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
        // Every writer NOTIFYs in its transaction (WriteAsync), so every process hears every commit, its own included.
        // Notifications sent while this connection was down are lost: after each (re)connect every account is woken
        // and reads the change log, the source of truth.
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await using var c = await _source.OpenConnectionAsync(ct).ConfigureAwait(false);
                c.Notification += (_, e) =>
                    changed(long.TryParse(e.Payload, NumberStyles.None, CultureInfo.InvariantCulture, out var account) ? account : IChangeFeed.AnyAccount);
                await using (var listen = new NpgsqlCommand($"LISTEN {ChangeChannel}", c))
                {
                    await listen.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                }

                changed(IChangeFeed.AnyAccount);
                while (true)
                {
                    await c.WaitAsync(ct).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or IOException or TimeoutException)
            {
                // The database went away: try again after a pause.
                try
                {
                    await Task.Delay(poll, Clock, ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
