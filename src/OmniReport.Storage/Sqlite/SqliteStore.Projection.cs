using Microsoft.Data.Sqlite;
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
            string? progress;
            using (var cmd = Command(c, tx, "SELECT after FROM rebuilds WHERE account_id = $a"))
            {
                cmd.Parameters.AddWithValue("$a", accountId);
                progress = cmd.ExecuteScalar() as string;
            }

            if (progress is null)
            {
                // A rebuild begins: the rollups are built again from nothing, interaction by interaction (RollupScope).
                using var empty = Command(c, tx, "DELETE FROM rollups WHERE account_id = $a; INSERT INTO rebuilds (account_id, after) VALUES ($a, '')");
                empty.Parameters.AddWithValue("$a", accountId);
                empty.ExecuteNonQuery();
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
                var plan = new RecomputePlan(new Projector(settings, now), allNames: true, rollups: RollupScope.Rebuild);
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
}
