using Npgsql;
using OmniReport.Core.Derivation;

namespace OmniReport.Storage.Postgres;

public sealed partial class PostgresStore
{
    /// <inheritdoc />
    public async Task<RebuildStep> RebuildStepAsync(long accountId, int maxInteractions, CancellationToken ct = default)
    {
        await BeginRebuildAsync(accountId, ct).ConfigureAwait(false);
        return await RebuildStepOnceAsync(accountId, maxInteractions, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// When no rebuild of the account is under way, begins one: its rollups are emptied and the progress row made, with
    /// the accounts row held exclusively, so no writer is between deciding on the rollups and committing them
    /// (<see cref="RollupScope"/>): each holds that row FOR SHARE.
    /// </summary>
    private Task BeginRebuildAsync(long accountId, CancellationToken ct) =>
        RetryAsync(async () =>
        {
            await using var c = await _source.OpenConnectionAsync(ct).ConfigureAwait(false);
            await using (var probe = new NpgsqlCommand("SELECT 1 FROM rebuilds WHERE account_id = $1", c))
            {
                probe.Parameters.Add(new NpgsqlParameter<long> { TypedValue = accountId });
                if (await probe.ExecuteScalarAsync(ct).ConfigureAwait(false) is not null)
                {
                    return true;
                }
            }

            await using var tx = await c.BeginTransactionAsync(ct).ConfigureAwait(false);
            await using (var begin = new NpgsqlBatch(c, tx))
            {
                var hold = new NpgsqlBatchCommand("SELECT 1 FROM accounts WHERE id = $1 FOR UPDATE");
                hold.Parameters.Add(new NpgsqlParameter<long> { TypedValue = accountId });
                var empty = new NpgsqlBatchCommand("""
                    WITH made AS (INSERT INTO rebuilds (account_id, after) VALUES ($1, '') ON CONFLICT DO NOTHING RETURNING account_id)
                    DELETE FROM rollups WHERE account_id = (SELECT account_id FROM made)
                    """);
                empty.Parameters.Add(new NpgsqlParameter<long> { TypedValue = accountId });
                begin.BatchCommands.Add(hold);
                begin.BatchCommands.Add(empty);
                await begin.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }

            await tx.CommitAsync(ct).ConfigureAwait(false);
            return true;
        }, ct);

    private Task<RebuildStep> RebuildStepOnceAsync(long accountId, int maxInteractions, CancellationToken ct) =>
        RetryAsync(async () =>
        {
            await using var c = await _source.OpenConnectionAsync(ct).ConfigureAwait(false);
            await using var tx = await c.BeginTransactionAsync(ct).ConfigureAwait(false);
            var settings = await ReadSettingsAsync(c, tx, accountId, lockShare: true, ct).ConfigureAwait(false);

            // The progress row is locked first: two rebuilds of one account take turns, each step where the last ended.
            string after;
            await using (var cmd = new NpgsqlCommand("""
                INSERT INTO rebuilds (account_id, after) VALUES ($1, '') ON CONFLICT (account_id) DO UPDATE SET after = rebuilds.after
                RETURNING after
                """, c, tx))
            {
                cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = accountId });
                after = (string)(await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
            }

            // Rows locked in id order like every writer's; an ingest into the same interactions waits for this step or
            // this step for it, and whichever comes second derives from the other's events.
            var rows = new List<StoredInteraction>(maxInteractions);
            await using (var cmd = new NpgsqlCommand("""
                SELECT interaction_id, event_count, has_created, engagements, events FROM interactions
                WHERE account_id = $1 AND interaction_id > $2 ORDER BY interaction_id LIMIT $3 FOR UPDATE
                """, c, tx))
            {
                cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = accountId });
                cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = after });
                cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = maxInteractions });
                await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
                while (await r.ReadAsync(ct).ConfigureAwait(false))
                {
                    rows.Add(ReadRow(r));
                }
            }

            IReadOnlyList<Change> changes = [];
            if (rows.Count > 0)
            {
                var now = NowMs;
                var plan = new RecomputePlan(new Projector(settings, now), allNames: true, rollups: RollupScope.Rebuild);
                foreach (var row in rows)
                {
                    plan.Add(row.InteractionId, row, []);
                }

                changes = await WriteAsync(c, tx, accountId, [plan], now, ct).ConfigureAwait(false);
                await using var progress = new NpgsqlCommand("UPDATE rebuilds SET after = $2 WHERE account_id = $1", c, tx);
                progress.Parameters.Add(new NpgsqlParameter<long> { TypedValue = accountId });
                progress.Parameters.Add(new NpgsqlParameter<string> { TypedValue = rows[^1].InteractionId });
                await progress.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                await tx.CommitAsync(ct).ConfigureAwait(false);
                return new RebuildStep(rows.Count, false, changes);
            }

            await tx.CommitAsync(ct).ConfigureAwait(false);

            // Done: the format is marked apart, in a transaction that holds no interaction row (the accounts row is
            // held FOR SHARE by every writer, which may wait on interaction rows).
            await using var c2 = await _source.OpenConnectionAsync(ct).ConfigureAwait(false);
            await using var tx2 = await c2.BeginTransactionAsync(ct).ConfigureAwait(false);
            await using (var done = new NpgsqlBatch(c2, tx2))
            {
                var delete = new NpgsqlBatchCommand("DELETE FROM rebuilds WHERE account_id = $1");
                delete.Parameters.Add(new NpgsqlParameter<long> { TypedValue = accountId });
                var format = new NpgsqlBatchCommand("UPDATE accounts SET projection_format = $2 WHERE id = $1");
                format.Parameters.Add(new NpgsqlParameter<long> { TypedValue = accountId });
                format.Parameters.Add(new NpgsqlParameter<int> { TypedValue = ProjectionFormat.Current });
                done.BatchCommands.Add(delete);
                done.BatchCommands.Add(format);
                await done.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }

            await tx2.CommitAsync(ct).ConfigureAwait(false);
            return new RebuildStep(0, true, changes);
        }, ct);
}
