using Microsoft.Data.Sqlite;
using OmniReport.Core.Derivation;
using OmniReport.Storage.Codec;

namespace OmniReport.Storage.Sqlite;

public sealed partial class SqliteStore
{
    /// <inheritdoc />
    public Task<IReadOnlyList<AccountProjection>> ListProjectionsAsync(CancellationToken ct = default)
    {
        using var c = Open();
        using var cmd = Command(c, null, """
            SELECT a.id, a.name, a.projection_format, r.account_id IS NOT NULL FROM accounts a
            LEFT JOIN rebuilds r ON r.account_id = a.id ORDER BY a.id
            """);
        using var r = cmd.ExecuteReader();
        var list = new List<AccountProjection>();
        while (r.Read())
        {
            list.Add(new AccountProjection(new Account(r.GetInt64(0), r.GetString(1)), r.GetInt32(2), r.GetInt64(3) != 0));
        }

        return Task.FromResult<IReadOnlyList<AccountProjection>>(list);
    }

    /// <inheritdoc />
    public async Task<RebuildStep> RebuildStepAsync(long accountId, int maxInteractions, CancellationToken ct = default)
    {
        await _write.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            using var c = Open();
            using var tx = c.BeginTransaction(deferred: false);
            var settings = ReadAccount(c, tx, accountId).Settings;
            var after = "";
            using (var cmd = Command(c, tx, "SELECT after FROM rebuilds WHERE account_id = $a"))
            {
                cmd.Parameters.AddWithValue("$a", accountId);
                after = cmd.ExecuteScalar() as string ?? "";
            }

            var rows = new List<StoredInteraction>(maxInteractions);
            using (var cmd = Command(c, tx, """
                SELECT interaction_id, event_count, has_created, engagements, events FROM interactions
                WHERE account_id = $a AND interaction_id > $after ORDER BY interaction_id LIMIT $n
                """))
            {
                cmd.Parameters.AddWithValue("$a", accountId);
                cmd.Parameters.AddWithValue("$after", after);
                cmd.Parameters.AddWithValue("$n", maxInteractions);
                using var r = cmd.ExecuteReader();
                while (r.Read())
                {
                    rows.Add(RowLoader.Read(r, r.GetString(0)));
                }
            }

            var now = NowMs;
            var log = new ChangeLog(c, accountId, now);
            if (rows.Count > 0)
            {
                var plan = new RecomputePlan(new Projector(settings, now), allNames: true);
                foreach (var row in rows)
                {
                    plan.Add(row.InteractionId, row, []);
                }

                Write(c, accountId, plan, log);
                log.Finish();
                using var progress = Command(c, tx, "INSERT INTO rebuilds (account_id, after) VALUES ($a, $after) ON CONFLICT (account_id) DO UPDATE SET after = excluded.after");
                progress.Parameters.AddWithValue("$a", accountId);
                progress.Parameters.AddWithValue("$after", rows[^1].InteractionId);
                progress.ExecuteNonQuery();
            }
            else
            {
                using var done = Command(c, tx, "DELETE FROM rebuilds WHERE account_id = $a; UPDATE accounts SET projection_format = $f WHERE id = $a");
                done.Parameters.AddWithValue("$a", accountId);
                done.Parameters.AddWithValue("$f", ProjectionFormat.Current);
                done.ExecuteNonQuery();
            }

            tx.Commit();
            Signal(accountId, log.Written.Count);
            return new RebuildStep(rows.Count, rows.Count == 0, log.Written);
        }
        finally
        {
            _write.Release();
        }
    }

    /// <inheritdoc />
    public Task<(long Total, long Done)> RebuildProgressAsync(long accountId, CancellationToken ct = default)
    {
        using var c = Open();
        using var cmd = Command(c, null, """
            SELECT count(*), count(*) FILTER (WHERE interaction_id <= coalesce((SELECT after FROM rebuilds WHERE account_id = $a), ''))
            FROM interactions WHERE account_id = $a
            """);
        cmd.Parameters.AddWithValue("$a", accountId);
        using var r = cmd.ExecuteReader();
        r.Read();
        return Task.FromResult((r.GetInt64(0), r.GetInt64(1)));
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<Change>> ReadChangesAsync(long accountId, long afterSequence, int limit, CancellationToken ct = default)
    {
        using var c = Open();
        using var cmd = Command(c, null, "SELECT seq, at_ms, kind, key, data FROM changes WHERE account_id = $a AND seq > $s ORDER BY seq LIMIT $n");
        cmd.Parameters.AddWithValue("$a", accountId);
        cmd.Parameters.AddWithValue("$s", afterSequence);
        cmd.Parameters.AddWithValue("$n", limit);
        using var r = cmd.ExecuteReader();
        var list = new List<Change>();
        while (r.Read())
        {
            list.Add(ChangeRows.Read(r.GetInt64(0), r.GetInt64(1), r.GetString(2), r.GetString(3), r.IsDBNull(4) ? null : (byte[])r.GetValue(4)));
        }

        return Task.FromResult<IReadOnlyList<Change>>(list);
    }
}
