using Npgsql;
using NpgsqlTypes;
using OmniReport.Core.Aggregates;
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
    /// When no rebuild of the account is under way (or only a build of the rollups that a bulk import left pending), begins
    /// one: the progress row is made with the accounts row held exclusively, so every writer that decided to write
    /// rollups without it (each holds the accounts row FOR SHARE) has committed, and every later one finds it and leaves
    /// the rollups alone (<see cref="RollupScope"/>).
    /// </summary>
    private Task BeginRebuildAsync(long accountId, CancellationToken ct) =>
        RetryAsync(async () =>
        {
            await using var c = await _source.OpenConnectionAsync(ct).ConfigureAwait(false);
            await using (var probe = new NpgsqlCommand("SELECT 1 FROM rebuilds WHERE account_id = $1 AND NOT rollups_only", c))
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
                var made = new NpgsqlBatchCommand("""
                    INSERT INTO rebuilds (account_id, after, rollups_only) VALUES ($1, '', false)
                    ON CONFLICT (account_id) DO UPDATE SET after = '', rollups_only = false WHERE rebuilds.rollups_only
                    """);
                made.Parameters.Add(new NpgsqlParameter<long> { TypedValue = accountId });
                begin.BatchCommands.Add(hold);
                begin.BatchCommands.Add(made);
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
            // The progress row is locked first: two rebuilds of one account take turns, each step where the last ended.
            // (FOR NO KEY UPDATE, as the UPDATE below: it lets writers, which hold the row FOR KEY SHARE, run beside it;
            // and before the accounts row, as writers and the rebuild's end take them.) No row: another rebuild has just
            // finished this account.
            string? after;
            await using (var cmd = new NpgsqlCommand("SELECT after FROM rebuilds WHERE account_id = $1 AND NOT rollups_only FOR NO KEY UPDATE", c, tx))
            {
                cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = accountId });
                after = await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false) as string;
            }

            var settings = await ReadSettingsAsync(c, tx, accountId, lockShare: true, ct).ConfigureAwait(false);
            if (after is null)
            {
                await tx.CommitAsync(ct).ConfigureAwait(false);
                return new RebuildStep(0, true, []);
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

            if (rows.Count > 0)
            {
                var now = NowMs;
                var plan = new RecomputePlan(new Projector(settings, now), allNames: true, rollups: RollupScope.None);
                foreach (var row in rows)
                {
                    plan.Add(row.InteractionId, row, []);
                }

                var changes = await WriteAsync(c, tx, accountId, [plan], now, ct).ConfigureAwait(false);
                await using var progress = new NpgsqlCommand("UPDATE rebuilds SET after = $2 WHERE account_id = $1", c, tx);
                progress.Parameters.Add(new NpgsqlParameter<long> { TypedValue = accountId });
                progress.Parameters.Add(new NpgsqlParameter<string> { TypedValue = rows[^1].InteractionId });
                await progress.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                await tx.CommitAsync(ct).ConfigureAwait(false);
                return new RebuildStep(rows.Count, false, changes);
            }

            await tx.CommitAsync(ct).ConfigureAwait(false);

            // Done: the rollups are built and the format marked apart, in a transaction that holds no interaction row.
            await FinishRollupsAsync(accountId, rollupsOnly: false, ct).ConfigureAwait(false);
            return new RebuildStep(0, true, []);
        }, ct);

    /// <inheritdoc />
    public Task DeferRollupsAsync(long accountId, CancellationToken ct = default) =>
        RetryAsync(async () =>
        {
            // As a rebuild begins (BeginRebuildAsync): writers that decided on the rollups without the row commit first.
            await using var c = await _source.OpenConnectionAsync(ct).ConfigureAwait(false);
            await using var tx = await c.BeginTransactionAsync(ct).ConfigureAwait(false);
            await using (var hold = new NpgsqlCommand("SELECT 1 FROM accounts WHERE id = $1 FOR UPDATE", c, tx))
            {
                hold.Parameters.Add(new NpgsqlParameter<long> { TypedValue = accountId });
                if (await hold.ExecuteScalarAsync(ct).ConfigureAwait(false) is null)
                {
                    throw new KeyNotFoundException($"no account with id {accountId}");
                }
            }

            await using (var made = new NpgsqlCommand("INSERT INTO rebuilds (account_id, after, rollups_only) VALUES ($1, '', true) ON CONFLICT (account_id) DO NOTHING", c, tx))
            {
                made.Parameters.Add(new NpgsqlParameter<long> { TypedValue = accountId });
                await made.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }

            await tx.CommitAsync(ct).ConfigureAwait(false);
            return true;
        }, ct);

    /// <inheritdoc />
    public Task<bool> BuildRollupsAsync(long accountId, CancellationToken ct = default) => FinishRollupsAsync(accountId, rollupsOnly: true, ct);

    /// <summary>
    /// The end of a rebuild (<paramref name="rollupsOnly"/>: of a build a bulk import deferred): with the accounts row held
    /// exclusively, so no writer, rebuild step or settings change of the account runs (each holds it FOR SHARE or
    /// updates it) and none starts until the commit, every rollup cell is built from the records (<see
    /// cref="RollupBuild"/>) and the progress row removed (a full rebuild also marks the format). False when there was
    /// nothing to finish (another process did).
    /// </summary>
    private Task<bool> FinishRollupsAsync(long accountId, bool rollupsOnly, CancellationToken ct) =>
        RetryAsync(async () =>
        {
            await using var c = await _source.OpenConnectionAsync(ct).ConfigureAwait(false);
            await using var tx = await c.BeginTransactionAsync(ct).ConfigureAwait(false);
            // The progress row first, then the accounts row, the order in which writers take them (their one statement
            // locks the row of rebuilds in its subquery before the accounts row), so the two cannot deadlock.
            await using (var hold = new NpgsqlBatch(c, tx))
            {
                var progress = new NpgsqlBatchCommand("SELECT rollups_only FROM rebuilds WHERE account_id = $1 FOR UPDATE");
                progress.Parameters.Add(new NpgsqlParameter<long> { TypedValue = accountId });
                var account = new NpgsqlBatchCommand("SELECT 1 FROM accounts WHERE id = $1 FOR UPDATE");
                account.Parameters.Add(new NpgsqlParameter<long> { TypedValue = accountId });
                hold.BatchCommands.Add(progress);
                hold.BatchCommands.Add(account);
                await using var r = await hold.ExecuteReaderAsync(ct).ConfigureAwait(false);
                if (!await r.ReadAsync(ct).ConfigureAwait(false) || r.GetBoolean(0) != rollupsOnly)
                {
                    return false;
                }
            }

            await BuildRollupsAsync(c, tx, accountId, ct).ConfigureAwait(false);
            await using (var done = new NpgsqlBatch(c, tx))
            {
                var delete = new NpgsqlBatchCommand("DELETE FROM rebuilds WHERE account_id = $1");
                delete.Parameters.Add(new NpgsqlParameter<long> { TypedValue = accountId });
                done.BatchCommands.Add(delete);
                if (!rollupsOnly)
                {
                    var format = new NpgsqlBatchCommand("UPDATE accounts SET projection_format = $2 WHERE id = $1");
                    format.Parameters.Add(new NpgsqlParameter<long> { TypedValue = accountId });
                    format.Parameters.Add(new NpgsqlParameter<int> { TypedValue = ProjectionFormat.Current });
                    done.BatchCommands.Add(format);
                }

                await done.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }

            await tx.CommitAsync(ct).ConfigureAwait(false);
            return true;
        }, ct);

    /// <summary>
    /// Replaces every rollup cell of the account by what its stored records add up to: each kind read in start order
    /// through a cursor (so the cells of finished days are inserted on the same connection between fetches).
    /// </summary>
    private static async Task BuildRollupsAsync(NpgsqlConnection c, NpgsqlTransaction tx, long accountId, CancellationToken ct)
    {
        await using (var empty = new NpgsqlCommand("DELETE FROM rollups WHERE account_id = $1", c, tx))
        {
            empty.Parameters.Add(new NpgsqlParameter<long> { TypedValue = accountId });
            await empty.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        const int Fetch = 10_000;
        var build = new RollupBuild();
        var interned = new Dictionary<string, string>(StringComparer.Ordinal);
        var account = accountId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var (kind, sql) in new[]
        {
            (AggregateKind.Engagements, $"SELECT {AggregateReads.EngagementColumns} FROM engagements WHERE account_id = {account} ORDER BY start_second"),
            (AggregateKind.Interactions, $"SELECT {AggregateReads.InteractionColumns} FROM interactions WHERE account_id = {account} AND start_ms IS NOT NULL ORDER BY start_ms"),
        })
        {
            // DECLARE takes no parameters: the account id is a number written into the text.
            await ExecAsync(c, tx, "DECLARE rollup_facts NO SCROLL CURSOR FOR " + sql, ct).ConfigureAwait(false);
            while (true)
            {
                var n = 0;
                await using (var fetch = new NpgsqlCommand($"FETCH {Fetch} FROM rollup_facts", c, tx))
                await using (var r = await fetch.ExecuteReaderAsync(ct).ConfigureAwait(false))
                {
                    while (await r.ReadAsync(ct).ConfigureAwait(false))
                    {
                        build.Add(kind, AggregateReads.Read(r, kind, interned));
                        n++;
                    }
                }

                if (n < Fetch)
                {
                    build.Flush();
                }

                await InsertRollupsAsync(c, tx, accountId, build.Done, ct).ConfigureAwait(false);
                build.Done.Clear();
                if (n < Fetch)
                {
                    break;
                }
            }

            await ExecAsync(c, tx, "CLOSE rollup_facts", ct).ConfigureAwait(false);
        }
    }

    private static async Task InsertRollupsAsync(NpgsqlConnection c, NpgsqlTransaction tx, long accountId, List<(RollupKey Key, byte[] Data)> cells, CancellationToken ct)
    {
        if (cells.Count == 0)
        {
            return;
        }

        await using var insert = new NpgsqlCommand("""
            INSERT INTO rollups (account_id, kind, dims, tier, start_ms, key, data)
            SELECT $1, * FROM unnest($2::int[], $3::int[], $4::int[], $5::bigint[], $6::text[], $7::bytea[])
            """, c, tx);
        AddRollupKeys(insert.Parameters, accountId, [.. cells.Select(x => x.Key)]);
        insert.Parameters.Add(Array(cells.Select(x => x.Data).ToArray(), NpgsqlDbType.Bytea));
        await insert.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }
}
