using Microsoft.Data.Sqlite;
using OmniReport.Core.Aggregates;
using OmniReport.Core.Derivation;
using OmniReport.Storage.Codec;

namespace OmniReport.Storage.Sqlite;

public sealed partial class SqliteStore
{
    /// <inheritdoc />
    public async Task<RebuildStep> RebuildStepAsync(long accountId, int maxInteractions, CancellationToken ct = default)
    {
        await _write.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            using var c = Open();
            using var tx = c.BeginTransaction(deferred: false);
            var settings = ReadAccount(c, tx, accountId).Settings;
            string? progress = null;
            using (var cmd = Command(c, tx, "SELECT after, rollups_only FROM rebuilds WHERE account_id = $a"))
            {
                cmd.Parameters.AddWithValue("$a", accountId);
                using var r = cmd.ExecuteReader();
                if (r.Read() && r.GetInt64(1) == 0)
                {
                    progress = r.GetString(0);
                }
            }

            if (progress is null)
            {
                // A rebuild begins (replacing a build of the rollups alone that a bulk import left pending): from now on
                // no writer touches the account's rollups (RollupScope); the last step builds them from the records.
                using var begin = Command(c, tx, "INSERT OR REPLACE INTO rebuilds (account_id, after, rollups_only) VALUES ($a, '', 0)");
                begin.Parameters.AddWithValue("$a", accountId);
                begin.ExecuteNonQuery();
            }

            var after = progress ?? "";

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
                var plan = new RecomputePlan(new Projector(settings, now), allNames: true, rollups: RollupScope.None);
                foreach (var row in rows)
                {
                    plan.Add(row.InteractionId, row, []);
                }

                Write(c, accountId, plan, log);
                log.Finish();
                using var step = Command(c, tx, "INSERT INTO rebuilds (account_id, after) VALUES ($a, $after) ON CONFLICT (account_id) DO UPDATE SET after = excluded.after");
                step.Parameters.AddWithValue("$a", accountId);
                step.Parameters.AddWithValue("$after", rows[^1].InteractionId);
                step.ExecuteNonQuery();
            }
            else
            {
                // Done: every cell from the records, in this transaction (SQLite's one writer keeps the others out).
                BuildRollups(c, tx, accountId);
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
            ReleaseAfterProjectionWrite();
        }
    }

    /// <inheritdoc />
    public async Task DeferRollupsAsync(long accountId, CancellationToken ct = default)
    {
        await _write.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            using var c = Open();
            using var tx = c.BeginTransaction(deferred: false);
            RequireAccount(c, tx, accountId);
            using (var cmd = Command(c, tx, "INSERT INTO rebuilds (account_id, after, rollups_only) VALUES ($a, '', 1) ON CONFLICT (account_id) DO NOTHING"))
            {
                cmd.Parameters.AddWithValue("$a", accountId);
                cmd.ExecuteNonQuery();
            }

            tx.Commit();
        }
        finally
        {
            ReleaseAfterProjectionWrite();
        }
    }

    /// <inheritdoc />
    public async Task<bool> BuildRollupsAsync(long accountId, CancellationToken ct = default)
    {
        await _write.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            using var c = Open();
            using var tx = c.BeginTransaction(deferred: false);
            using (var cmd = Command(c, tx, "SELECT rollups_only FROM rebuilds WHERE account_id = $a"))
            {
                cmd.Parameters.AddWithValue("$a", accountId);
                if (cmd.ExecuteScalar() is not long only || only == 0)
                {
                    return false; // kept up to date, or a rebuild under way, whose last step builds them
                }
            }

            BuildRollups(c, tx, accountId);
            using (var done = Command(c, tx, "DELETE FROM rebuilds WHERE account_id = $a"))
            {
                done.Parameters.AddWithValue("$a", accountId);
                done.ExecuteNonQuery();
            }

            tx.Commit();
            return true;
        }
        finally
        {
            ReleaseAfterProjectionWrite();
        }
    }
}
