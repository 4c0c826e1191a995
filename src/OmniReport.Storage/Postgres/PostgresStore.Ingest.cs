using Npgsql;
using NpgsqlTypes;
using OmniReport.Core.Aggregates;
using OmniReport.Core.Derivation;
using OmniReport.Core.Events;
using OmniReport.Core.Settings;

namespace OmniReport.Storage.Postgres;

public sealed partial class PostgresStore
{
    private const int MaxAttempts = 8;
    private const int SweepChunk = 500;
    private const int RebuildChunk = 1000;

    /// <inheritdoc />
    public Task<IngestResult> IngestAsync(long accountId, IReadOnlyList<Event> events, CancellationToken ct = default) =>
        RetryAsync(() => IngestOnceAsync(accountId, events, ct), ct);

    private async Task<IngestResult> IngestOnceAsync(long accountId, IReadOnlyList<Event> events, CancellationToken ct)
    {
        await using var c = await _source.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var tx = await c.BeginTransactionAsync(ct).ConfigureAwait(false);
        var (settings, rollups) = await ReadSettingsForWriteAsync(c, tx, accountId, ct).ConfigureAwait(false);

        // The first event of each id in the batch; ids inserted in one (ordinal) order by every writer,
        // so two writers waiting on each other's uncommitted ids cannot deadlock.
        var first = new Dictionary<string, int>(events.Count, StringComparer.Ordinal);
        for (var i = 0; i < events.Count; i++)
        {
            first.TryAdd(events[i].Id, i);
        }

        var ids = first.Keys.ToArray();
        System.Array.Sort(ids, StringComparer.Ordinal);
        var inserted = await InsertNewIdsAsync(c, tx, accountId, ids, ct).ConfigureAwait(false);

        var accepted = new bool[events.Count];
        if (inserted.Count == 0)
        {
            await tx.CommitAsync(ct).ConfigureAwait(false);
            return new IngestResult(accepted);
        }


        var seqs = new long[inserted.Count];
        await using (var cmd = new NpgsqlCommand("SELECT nextval('event_seq') FROM generate_series(1, $1)", c, tx))
        {
            cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = inserted.Count });
            await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            var n = 0;
            while (await r.ReadAsync(ct).ConfigureAwait(false))
            {
                seqs[n++] = r.GetInt64(0);
            }
        }

        System.Array.Sort(seqs);
        for (var i = 0; i < events.Count; i++)
        {
            accepted[i] = first[events[i].Id] == i && inserted.Contains(events[i].Id);
        }

        var byInteraction = AcceptedEvents.ByInteraction(events, accepted, k => seqs[k]);

        var touched = byInteraction.Keys.ToArray();
        System.Array.Sort(touched, StringComparer.Ordinal);

        // The stored rows are locked (in id order, so writers cannot deadlock on them) and each is derived as it
        // arrives, while the server is still sending the next ones. The interactions without a row are derived
        // from their new events alone and their rows inserted with ON CONFLICT DO NOTHING, which waits for a
        // writer inserting the same row at the same moment. The rows that writer won are then locked and
        // planned again from what it stored, and the rest of the new ones planned again without them.
        var now = NowMs;
        var projector = new Projector(settings, now);
        var stored = new RecomputePlan(projector, rollups: rollups);
        var found = await LockAndPlanAsync(c, tx, accountId, touched, byInteraction, stored, ct).ConfigureAwait(false);
        var missing = touched.Where(id => !found.Contains(id)).ToList();
        var created = Plan(projector, rollups, missing, byInteraction);
        if (missing.Count > 0)
        {
            var ours = await InsertRowsAsync(c, tx, accountId, created.Interactions, ct).ConfigureAwait(false);
            if (ours.Count < missing.Count)
            {
                var lost = missing.Where(id => !ours.Contains(id)).ToArray();
                var relocked = await LockAndPlanAsync(c, tx, accountId, lost, byInteraction, stored, ct).ConfigureAwait(false);
                if (relocked.Count != lost.Length)
                {
                    throw new InvalidOperationException($"{lost.Length - relocked.Count} interaction rows were neither inserted nor found");
                }

                created = Plan(projector, rollups, missing.Where(ours.Contains), byInteraction);
            }
        }

        var changes = await WriteAsync(c, tx, accountId, [stored, created], now, ct).ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);
        return new IngestResult(accepted) { Changes = changes };
    }

    /// <summary>Locks and reads the stored rows among <paramref name="sortedIds"/> and plans each; returns the ids found.</summary>
    private static async Task<HashSet<string>> LockAndPlanAsync(
        NpgsqlConnection c, NpgsqlTransaction tx, long accountId, string[] sortedIds, Dictionary<string, List<Event>> byInteraction, RecomputePlan plan, CancellationToken ct)
    {
        var found = new HashSet<string>(sortedIds.Length, StringComparer.Ordinal);
        await using var cmd = LockRowsCommand(c, tx, accountId, sortedIds, skipLocked: false);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            var row = ReadRow(r);
            found.Add(row.InteractionId);
            plan.Add(row.InteractionId, row, byInteraction[row.InteractionId]);
        }

        return found;
    }

    /// <summary>Plans interactions that have no row yet, from their new events alone.</summary>
    private static RecomputePlan Plan(Projector projector, RollupScope rollups, IEnumerable<string> interactionIds, Dictionary<string, List<Event>> byInteraction)
    {
        var plan = new RecomputePlan(projector, rollups: rollups);
        foreach (var interactionId in interactionIds)
        {
            plan.Add(interactionId, null, byInteraction[interactionId]);
        }

        return plan;
    }

    /// <summary>Inserts new interaction rows (in the order given) unless another writer has; returns the ids inserted.</summary>
    private static async Task<HashSet<string>> InsertRowsAsync(NpgsqlConnection c, NpgsqlTransaction tx, long accountId, List<InteractionUpdate> rows, CancellationToken ct)
    {
        var cmd = new NpgsqlBatchCommand($"""
            INSERT INTO interactions (account_id, interaction_id, event_count, has_created, deadline_ms, {DerivedColumns.Interaction}, events)
            SELECT $1, * FROM unnest({RowArrays})
            ON CONFLICT DO NOTHING RETURNING interaction_id
            """);
        AddRowParameters(cmd, accountId, rows);
        await using var batch = new NpgsqlBatch(c, tx) { BatchCommands = { cmd } };
        await using var r = await batch.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var inserted = new HashSet<string>(rows.Count, StringComparer.Ordinal);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            inserted.Add(r.GetString(0));
        }

        return inserted;
    }

    /// <inheritdoc />
    public Task UpdateSettingsAsync(long accountId, AccountSettings settings, CancellationToken ct = default) =>
        RetryAsync(async () =>
        {
            await using var c = await _source.OpenConnectionAsync(ct).ConfigureAwait(false);
            await using var tx = await c.BeginTransactionAsync(ct).ConfigureAwait(false);
            RollupScope rollups;
            await using (var cmd = new NpgsqlCommand("UPDATE accounts SET settings = $2 WHERE id = $1", c, tx))
            {
                cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = accountId });
                cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = StoredSettings.Write(settings) });
                if (await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false) != 1)
                {
                    throw new KeyNotFoundException($"no account with id {accountId}");
                }
            }

            var now = NowMs;
            var projector = new Projector(settings, now);
            var changes = new List<Change>();
            // No rebuild step runs meanwhile (each holds the accounts row FOR SHARE, which this update waits for).
            await using (var progress = new NpgsqlCommand("SELECT after FROM rebuilds WHERE account_id = $1", c, tx))
            {
                progress.Parameters.Add(new NpgsqlParameter<long> { TypedValue = accountId });
                rollups = RollupScope.During(await progress.ExecuteScalarAsync(ct).ConfigureAwait(false) as string);
            }

            var after = "";
            while (true)
            {
                var rows = new List<StoredInteraction>(RebuildChunk);
                await using (var cmd = new NpgsqlCommand("""
                    SELECT interaction_id, event_count, has_created, engagements, events FROM interactions
                    WHERE account_id = $1 AND interaction_id > $2 AND has_created
                    ORDER BY interaction_id LIMIT $3 FOR UPDATE
                    """, c, tx))
                {
                    cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = accountId });
                    cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = after });
                    cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = RebuildChunk });
                    await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
                    while (await r.ReadAsync(ct).ConfigureAwait(false))
                    {
                        rows.Add(ReadRow(r));
                    }
                }

                if (rows.Count == 0)
                {
                    break;
                }

                var plan = new RecomputePlan(projector, rollups: rollups);
                foreach (var row in rows)
                {
                    plan.Add(row.InteractionId, row, []);
                }

                changes.AddRange(await WriteAsync(c, tx, accountId, [plan], now, ct).ConfigureAwait(false));
                after = rows[^1].InteractionId;
            }

            await tx.CommitAsync(ct).ConfigureAwait(false);
            return true;
        }, ct);

    /// <inheritdoc />
    public async Task<SweepResult> SweepAsync(CancellationToken ct = default)
    {
        var total = 0;
        var changes = new List<Change>();
        while (true)
        {
            var now = NowMs;
            var due = new List<(long Account, string Interaction)>();
            await using (var cmd = _source.CreateCommand("SELECT account_id, interaction_id FROM interactions WHERE deadline_ms <= $1 ORDER BY deadline_ms LIMIT $2"))
            {
                cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = now });
                cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = SweepChunk });
                await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
                while (await r.ReadAsync(ct).ConfigureAwait(false))
                {
                    due.Add((r.GetInt64(0), r.GetString(1)));
                }
            }

            var done = 0;
            foreach (var account in due.GroupBy(d => d.Account))
            {
                var ids = account.Select(d => d.Interaction).ToArray();
                System.Array.Sort(ids, StringComparer.Ordinal);
                done += await RetryAsync(async () =>
                {
                    await using var c = await _source.OpenConnectionAsync(ct).ConfigureAwait(false);
                    await using var tx = await c.BeginTransactionAsync(ct).ConfigureAwait(false);
                    var (settings, rollups) = await ReadSettingsForWriteAsync(c, tx, account.Key, ct).ConfigureAwait(false);
                    // Rows another process is writing are skipped: that writer recomputes them anyway.
                    var rows = await LockRowsAsync(c, tx, account.Key, ids, skipLocked: true, ct).ConfigureAwait(false);
                    var at = NowMs;
                    var plan = new RecomputePlan(new Projector(settings, at), rollups: rollups);
                    foreach (var row in rows.Values)
                    {
                        plan.Add(row.InteractionId, row, []);
                    }

                    var written = await WriteAsync(c, tx, account.Key, [plan], at, ct).ConfigureAwait(false);
                    await tx.CommitAsync(ct).ConfigureAwait(false);
                    changes.AddRange(written);
                    return rows.Count;
                }, ct).ConfigureAwait(false);
            }

            total += done;
            if (due.Count < SweepChunk || done == 0)
            {
                return new SweepResult(total, changes);
            }
        }
    }

    /// <summary>
    /// Inserts the ids (sorted) the account does not have yet and returns them. The common case is a batch of
    /// new ids: a plain INSERT, cheaper than ON CONFLICT ... RETURNING (no speculative insertion, nothing sent
    /// back). When an id is taken (a duplicate, or another writer's: a plain INSERT waits for that writer like
    /// ON CONFLICT does, and fails if it committed), the statement is rolled back to a savepoint and the ids
    /// go in again with ON CONFLICT DO NOTHING RETURNING, which names those inserted.
    /// </summary>
    private static async Task<HashSet<string>> InsertNewIdsAsync(NpgsqlConnection c, NpgsqlTransaction tx, long accountId, string[] sortedIds, CancellationToken ct)
    {
        var inserted = new HashSet<string>(sortedIds.Length, StringComparer.Ordinal);
        await tx.SaveAsync("new_ids", ct).ConfigureAwait(false);
        try
        {
            await using var cmd = new NpgsqlCommand("INSERT INTO event_ids (account_id, event_id) SELECT $1, x FROM unnest($2::text[]) AS x", c, tx);
            cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = accountId });
            cmd.Parameters.Add(Array(sortedIds, NpgsqlDbType.Text));
            await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            await tx.ReleaseAsync("new_ids", ct).ConfigureAwait(false);
            inserted.UnionWith(sortedIds);
            return inserted;
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            await tx.RollbackAsync("new_ids", ct).ConfigureAwait(false);
        }

        await using (var cmd = new NpgsqlCommand("INSERT INTO event_ids (account_id, event_id) SELECT $1, x FROM unnest($2::text[]) AS x ON CONFLICT DO NOTHING RETURNING event_id", c, tx))
        {
            cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = accountId });
            cmd.Parameters.Add(Array(sortedIds, NpgsqlDbType.Text));
            await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await r.ReadAsync(ct).ConfigureAwait(false))
            {
                inserted.Add(r.GetString(0));
            }
        }

        return inserted;
    }

    private static async Task<Dictionary<string, StoredInteraction>> LockRowsAsync(
        NpgsqlConnection c, NpgsqlTransaction tx, long accountId, string[] sortedIds, bool skipLocked, CancellationToken ct)
    {
        var rows = new Dictionary<string, StoredInteraction>(sortedIds.Length, StringComparer.Ordinal);
        await using var cmd = LockRowsCommand(c, tx, accountId, sortedIds, skipLocked);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            var row = ReadRow(r);
            rows[row.InteractionId] = row;
        }

        return rows;
    }

    /// <summary>Locks the rows in id order (so writers cannot deadlock on them) and reads them.</summary>
    private static NpgsqlCommand LockRowsCommand(NpgsqlConnection c, NpgsqlTransaction tx, long accountId, string[] sortedIds, bool skipLocked)
    {
        var cmd = new NpgsqlCommand($"""
            SELECT interaction_id, event_count, has_created, engagements, events FROM interactions
            WHERE account_id = $1 AND interaction_id = ANY($2) ORDER BY interaction_id FOR UPDATE{(skipLocked ? " SKIP LOCKED" : "")}
            """, c, tx);
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = accountId });
        cmd.Parameters.Add(Array(sortedIds, NpgsqlDbType.Text));
        return cmd;
    }

    private static StoredInteraction ReadRow(NpgsqlDataReader r) => new()
    {
        InteractionId = r.GetString(0),
        EventCount = r.GetInt32(1),
        HasCreated = r.GetBoolean(2),
        Digest = r.IsDBNull(3) ? null : r.GetFieldValue<byte[]>(3),
        Events = r.GetFieldValue<byte[]>(4),
    };

    /// <summary>
    /// The plans' writes in one round trip: stored rows updated, engagements out, engagements in, names, and the change
    /// log. Rows of new interactions (<see cref="InteractionUpdate.IsNew"/>) were inserted before
    /// (<see cref="InsertRowsAsync"/>). The account's change sequence is taken last (its row stays locked only until
    /// the commit that follows), so writers of one account commit their changes in sequence order.
    /// </summary>
    private static async Task<IReadOnlyList<Change>> WriteAsync(
        NpgsqlConnection c, NpgsqlTransaction tx, long accountId, IReadOnlyList<RecomputePlan> plans, long nowMs, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(c, tx);
        var rows = plans.SelectMany(p => p.Interactions).Where(u => !u.IsNew).ToList();
        var deletes = plans.SelectMany(p => p.Deletes).ToArray();
        var upserts = plans.SelectMany(p => p.Upserts).ToList();
        var changes = plans.SelectMany(p => p.Changes).ToList();
        var names = new AgentDirectory();
        foreach (var sighting in plans.SelectMany(p => p.Names.Sightings))
        {
            names.Observe(sighting);
        }

        if (names.Count > 0)
        {
            // Records of agents this batch renames change as served: they go to the change log too (AgentRenames).
            var sighted = AgentRenames.Sorted(names);
            await using var find = new NpgsqlCommand(AgentRenames.PostgresRecords, c, tx);
            find.Parameters.Add(new NpgsqlParameter<long> { TypedValue = accountId });
            find.Parameters.Add(Array(sighted.Select(s => s.AgentId).ToArray(), NpgsqlDbType.Text));
            find.Parameters.Add(Array(sighted.Select(s => s.Name).ToArray(), NpgsqlDbType.Text));
            find.Parameters.Add(Array(sighted.Select(s => s.OccurredAtMs).ToArray(), NpgsqlDbType.Bigint));
            find.Parameters.Add(Array(sighted.Select(s => s.Sequence).ToArray(), NpgsqlDbType.Bigint));
            var renamed = new List<InteractionRecord>();
            await using (var r = await find.ExecuteReaderAsync(ct).ConfigureAwait(false))
            {
                while (await r.ReadAsync(ct).ConfigureAwait(false))
                {
                    renamed.Add(DerivedRows.ReadRecord(r));
                }
            }

            AgentRenames.Add(changes, renamed);
        }

        var cells = RollupDeltas.Of(plans).Sorted();
        if (rows.Count > 0 || cells.Count > 0)
        {
            // The rows are few beside the account's: look each up by primary key. Left to itself the planner
            // often hashes every row of the account (its estimate of one account's rows is far too low),
            // a cost that grows with the account, on every batch.
            batch.BatchCommands.Add(new NpgsqlBatchCommand("SET LOCAL enable_hashjoin = off"));
            batch.BatchCommands.Add(new NpgsqlBatchCommand("SET LOCAL enable_mergejoin = off"));
        }

        if (cells.Count > 0)
        {
            await WriteRollupsAsync(c, tx, batch, accountId, cells, ct).ConfigureAwait(false);
        }

        if (rows.Count > 0)
        {
            var cmd = new NpgsqlBatchCommand($"""
                UPDATE interactions AS i SET event_count = u.n, has_created = u.c, deadline_ms = u.d,
                    ({DerivedColumns.Interaction}) = ({string.Join(", ", Enumerable.Range(1, DerivedColumns.InteractionCount).Select(k => "u.x" + k.ToString(System.Globalization.CultureInfo.InvariantCulture)))}),
                    events = u.ev
                FROM unnest({RowArrays})
                    AS u (id, n, c, d, {string.Join(", ", Enumerable.Range(1, DerivedColumns.InteractionCount).Select(k => "x" + k.ToString(System.Globalization.CultureInfo.InvariantCulture)))}, ev)
                WHERE i.account_id = $1 AND i.interaction_id = u.id
                """);
            AddRowParameters(cmd, accountId, rows);
            batch.BatchCommands.Add(cmd);
        }

        if (deletes.Length > 0)
        {
            var cmd = new NpgsqlBatchCommand("DELETE FROM engagements WHERE account_id = $1 AND engagement_id = ANY($2)");
            cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = accountId });
            cmd.Parameters.Add(Array(deletes, NpgsqlDbType.Text));
            batch.BatchCommands.Add(cmd);
        }

        if (upserts.Count > 0)
        {
            var cmd = new NpgsqlBatchCommand($"""
                INSERT INTO engagements (account_id, start_second, {DerivedColumns.Engagement})
                SELECT $1, * FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bigint[], $9::bigint[],
                    $10::int[], $11::int[], $12::bigint[], $13::bigint[], $14::text[], $15::text[], $16::bigint[], $17::bigint[], $18::text[],
                    $19::text[], $20::text[], $21::bigint[], $22::int[], $23::bigint[])
                """);
            var e = upserts.ToArray();
            cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = accountId });
            cmd.Parameters.Add(Array(e.Select(x => x.StartSecond).ToArray(), NpgsqlDbType.Bigint));
            cmd.Parameters.Add(Array(e.Select(x => x.EngagementId).ToArray(), NpgsqlDbType.Text));
            cmd.Parameters.Add(Array(e.Select(x => x.TicketId).ToArray(), NpgsqlDbType.Text));
            cmd.Parameters.Add(Array(e.Select(x => x.AgentId).ToArray(), NpgsqlDbType.Text));
            cmd.Parameters.Add(Array(e.Select(x => x.GroupId).ToArray(), NpgsqlDbType.Text));
            cmd.Parameters.Add(Array(e.Select(x => x.RequesterId).ToArray(), NpgsqlDbType.Text));
            cmd.Parameters.Add(Array(e.Select(x => x.OfferTimeSeconds).ToArray(), NpgsqlDbType.Bigint));
            cmd.Parameters.Add(Array(e.Select(x => x.AssignmentToFirstReplyTimeSeconds).ToArray(), NpgsqlDbType.Bigint));
            cmd.Parameters.Add(Array(e.Select(x => x.AgentMessagesCount).ToArray(), NpgsqlDbType.Integer));
            cmd.Parameters.Add(Array(e.Select(x => x.AgentRepliesCount).ToArray(), NpgsqlDbType.Integer));
            cmd.Parameters.Add(Array(e.Select(x => x.TotalRequesterWaitTimeSeconds).ToArray(), NpgsqlDbType.Bigint));
            cmd.Parameters.Add(Array(e.Select(x => x.LongestRequesterWaitTimeSeconds).ToArray(), NpgsqlDbType.Bigint));
            cmd.Parameters.Add(Array(e.Select(x => Vocabulary.Upper(x.Channel)).ToArray(), NpgsqlDbType.Text));
            cmd.Parameters.Add(Array(e.Select(x => x.StartReason).ToArray(), NpgsqlDbType.Text));
            cmd.Parameters.Add(Array(e.Select(x => x.StartMs).ToArray(), NpgsqlDbType.Bigint));
            cmd.Parameters.Add(Array(e.Select(x => x.EndMs).ToArray(), NpgsqlDbType.Bigint));
            cmd.Parameters.Add(Array(e.Select(x => Vocabulary.Upper(x.StatusStart)).ToArray(), NpgsqlDbType.Text));
            cmd.Parameters.Add(Array(e.Select(x => Vocabulary.Upper(x.StatusEnd)).ToArray(), NpgsqlDbType.Text));
            cmd.Parameters.Add(Array(e.Select(x => x.EndReason).ToArray(), NpgsqlDbType.Text));
            cmd.Parameters.Add(Array(e.Select(x => x.AverageRequesterWaitTimeSeconds).ToArray(), NpgsqlDbType.Bigint));
            cmd.Parameters.Add(Array(e.Select(x => x.EndUserMessagesCount).ToArray(), NpgsqlDbType.Integer));
            cmd.Parameters.Add(Array(e.Select(x => x.EngagementDurationSeconds).ToArray(), NpgsqlDbType.Bigint));
            batch.BatchCommands.Add(cmd);
        }

        if (names.Count > 0)
        {
            var sorted = names.Sightings.OrderBy(s => s.AgentId, StringComparer.Ordinal).ToArray();
            var cmd = new NpgsqlBatchCommand($"""
                INSERT INTO agent_names (account_id, agent_id, name, occurred_at_ms, seq)
                SELECT $1, * FROM unnest($2::text[], $3::text[], $4::bigint[], $5::bigint[])
                {DerivedColumns.NameUpsert}
                """);
            cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = accountId });
            cmd.Parameters.Add(Array(sorted.Select(s => s.AgentId).ToArray(), NpgsqlDbType.Text));
            cmd.Parameters.Add(Array(sorted.Select(s => s.Name).ToArray(), NpgsqlDbType.Text));
            cmd.Parameters.Add(Array(sorted.Select(s => s.OccurredAtMs).ToArray(), NpgsqlDbType.Bigint));
            cmd.Parameters.Add(Array(sorted.Select(s => s.Sequence).ToArray(), NpgsqlDbType.Bigint));
            batch.BatchCommands.Add(cmd);
        }

        if (changes.Count > 0)
        {
            var cmd = new NpgsqlBatchCommand($"""
                WITH s AS (
                    INSERT INTO change_seq AS cs (account_id, next) VALUES ($1, 1 + $2) ON CONFLICT (account_id) DO UPDATE SET next = cs.next + $2
                    RETURNING next - $2 AS first),
                ins AS (
                    INSERT INTO changes (account_id, seq, at_ms, kind, key)
                    SELECT $1, s.first + u.ord - 1, $3, u.kind, u.key FROM s, unnest($4::text[], $5::text[]) WITH ORDINALITY AS u (kind, key, ord)),
                n AS (SELECT pg_notify('{ChangeChannel}', $1::text))
                SELECT first FROM s, n
                """);
            cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = accountId });
            cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = changes.Count });
            cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = nowMs });
            cmd.Parameters.Add(Array(changes.Select(x => ChangeKinds.Name(x.Kind)).ToArray(), NpgsqlDbType.Text));
            cmd.Parameters.Add(Array(changes.Select(x => x.Key).ToArray(), NpgsqlDbType.Text));
            batch.BatchCommands.Add(cmd);
        }

        if (batch.BatchCommands.Count == 0)
        {
            return [];
        }

        long first = 0;
        await using (var r = await batch.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            do
            {
                while (await r.ReadAsync(ct).ConfigureAwait(false))
                {
                    first = r.GetInt64(0);
                }
            }
            while (await r.NextResultAsync(ct).ConfigureAwait(false));
        }

        var written = new Change[changes.Count];
        for (var i = 0; i < written.Length; i++)
        {
            var p = changes[i];
            written[i] = new Change(first + i, p.Kind, p.Key, nowMs, p.Engagement, p.Record);
        }

        return written;
    }

    /// <summary>
    /// The rollup cells a transaction changes (issue #11): locked and read in one statement, in <see cref="RollupKey"/>
    /// order like every writer's (a missing cell is inserted empty, which also waits for another writer inserting it),
    /// changed in memory, and written back or deleted by <paramref name="batch"/> with the rest. Two writers of one cell
    /// take turns, so neither loses the other's change.
    /// </summary>
    private static async Task WriteRollupsAsync(
        NpgsqlConnection c, NpgsqlTransaction tx, NpgsqlBatch batch, long accountId, List<(RollupKey Key, RollupCell Delta)> cells, CancellationToken ct)
    {
        var stored = new Dictionary<RollupKey, byte[]>(cells.Count);
        await using (var lockCells = new NpgsqlCommand("""
            INSERT INTO rollups AS r (account_id, kind, dims, tier, start_ms, key, data)
            SELECT $1, u.kind, u.dims, u.tier, u.start_ms, u.key, ''::bytea
            FROM unnest($2::int[], $3::int[], $4::int[], $5::bigint[], $6::text[]) WITH ORDINALITY AS u (kind, dims, tier, start_ms, key, ord)
            ORDER BY u.ord
            ON CONFLICT (account_id, kind, dims, tier, start_ms, key) DO UPDATE SET data = r.data
            RETURNING r.kind, r.dims, r.tier, r.start_ms, r.key, r.data
            """, c, tx))
        {
            AddRollupKeys(lockCells.Parameters, accountId, [.. cells.Select(x => x.Key)]);
            await using var r = await lockCells.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await r.ReadAsync(ct).ConfigureAwait(false))
            {
                stored[new RollupKey(r.GetInt32(0), r.GetInt32(1), r.GetInt32(2), r.GetInt64(3), r.GetString(4))] = r.GetFieldValue<byte[]>(5);
            }
        }

        var updates = new List<RollupKey>(cells.Count);
        var data = new List<byte[]>(cells.Count);
        var deletes = new List<RollupKey>();
        foreach (var (key, delta) in cells)
        {
            if (RollupDeltas.Apply(stored[key], delta) is { } bytes)
            {
                updates.Add(key);
                data.Add(bytes);
            }
            else
            {
                deletes.Add(key);
            }
        }

        const string Match = "r.account_id = $1 AND r.kind = u.kind AND r.dims = u.dims AND r.tier = u.tier AND r.start_ms = u.start_ms AND r.key = u.key";
        if (updates.Count > 0)
        {
            var update = new NpgsqlBatchCommand($"""
                UPDATE rollups AS r SET data = u.data
                FROM unnest($2::int[], $3::int[], $4::int[], $5::bigint[], $6::text[], $7::bytea[]) AS u (kind, dims, tier, start_ms, key, data)
                WHERE {Match}
                """);
            AddRollupKeys(update.Parameters, accountId, updates);
            update.Parameters.Add(Array(data.ToArray(), NpgsqlDbType.Bytea));
            batch.BatchCommands.Add(update);
        }

        if (deletes.Count > 0)
        {
            var delete = new NpgsqlBatchCommand($"""
                DELETE FROM rollups AS r USING unnest($2::int[], $3::int[], $4::int[], $5::bigint[], $6::text[]) AS u (kind, dims, tier, start_ms, key)
                WHERE {Match}
                """);
            AddRollupKeys(delete.Parameters, accountId, deletes);
            batch.BatchCommands.Add(delete);
        }
    }

    private static void AddRollupKeys(NpgsqlParameterCollection parameters, long accountId, List<RollupKey> keys)
    {
        parameters.Add(new NpgsqlParameter<long> { TypedValue = accountId });
        parameters.Add(Array(keys.Select(k => k.Kind).ToArray(), NpgsqlDbType.Integer));
        parameters.Add(Array(keys.Select(k => k.Dims).ToArray(), NpgsqlDbType.Integer));
        parameters.Add(Array(keys.Select(k => k.Tier).ToArray(), NpgsqlDbType.Integer));
        parameters.Add(Array(keys.Select(k => k.Start).ToArray(), NpgsqlDbType.Bigint));
        parameters.Add(Array(keys.Select(k => k.Key).ToArray(), NpgsqlDbType.Text));
    }

    /// <summary>The unnest arguments of <see cref="AddRowParameters"/>: $2–$30.</summary>
    private const string RowArrays =
        "$2::text[], $3::int[], $4::bool[], $5::bigint[], " +
        "$6::bigint[], $7::bigint[], $8::bigint[], $9::bigint[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], " +
        "$15::text[], $16::text[], $17::text[], $18::text[], $19::text[], $20::text[], $21::text[], $22::text[], " +
        "$23::text[], $24::text[], $25::bigint[], $26::text[], $27::bytea[], $28::bytea[], $29::text[], $30::bytea[]";

    /// <summary>$1 the account, then the rows' columns as arrays: id, count, created, deadline, the derived columns, events.</summary>
    private static void AddRowParameters(NpgsqlBatchCommand cmd, long accountId, List<InteractionUpdate> rows)
    {
        var r = rows.Select(u => u.Projection.Record).ToArray();
        var o = rows.Select(u => u.Projection.Open).ToArray();
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = accountId });
        cmd.Parameters.Add(Array(rows.Select(u => u.InteractionId).ToArray(), NpgsqlDbType.Text));
        cmd.Parameters.Add(Array(rows.Select(u => u.EventCount).ToArray(), NpgsqlDbType.Integer));
        cmd.Parameters.Add(Array(rows.Select(u => u.HasCreated).ToArray(), NpgsqlDbType.Boolean));
        cmd.Parameters.Add(Array(rows.Select(u => u.DeadlineMs).ToArray(), NpgsqlDbType.Bigint));
        cmd.Parameters.Add(Array(r.Select(x => x?.StartMs).ToArray(), NpgsqlDbType.Bigint));
        cmd.Parameters.Add(Array(r.Select(x => x?.WaitingTime).ToArray(), NpgsqlDbType.Bigint));
        cmd.Parameters.Add(Array(r.Select(x => x?.EndMs).ToArray(), NpgsqlDbType.Bigint));
        cmd.Parameters.Add(Array(r.Select(x => x?.Duration).ToArray(), NpgsqlDbType.Bigint));
        cmd.Parameters.Add(Array(r.Select(x => x is null ? null : Vocabulary.Upper(x.Channel)).ToArray(), NpgsqlDbType.Text));
        cmd.Parameters.Add(Array(r.Select(x => x?.Status).ToArray(), NpgsqlDbType.Text));
        cmd.Parameters.Add(Array(r.Select(x => x is null ? null : DerivedColumns.Upper(x.Direction)).ToArray(), NpgsqlDbType.Text));
        cmd.Parameters.Add(Array(r.Select(x => x?.AgentType).ToArray(), NpgsqlDbType.Text));
        cmd.Parameters.Add(Array(r.Select(x => x?.AgentId).ToArray(), NpgsqlDbType.Text));
        cmd.Parameters.Add(Array(r.Select(x => x?.Groups).ToArray(), NpgsqlDbType.Text));
        cmd.Parameters.Add(Array(r.Select(x => x?.ExternalId).ToArray(), NpgsqlDbType.Text));
        cmd.Parameters.Add(Array(r.Select(x => x?.Name).ToArray(), NpgsqlDbType.Text));
        cmd.Parameters.Add(Array(r.Select(x => x?.Contact).ToArray(), NpgsqlDbType.Text));
        cmd.Parameters.Add(Array(r.Select(x => x?.ContactId).ToArray(), NpgsqlDbType.Text));
        cmd.Parameters.Add(Array(r.Select(x => x?.DispositionName).ToArray(), NpgsqlDbType.Text));
        cmd.Parameters.Add(Array(r.Select(x => x?.Notes).ToArray(), NpgsqlDbType.Text));
        cmd.Parameters.Add(Array(r.Select(x => x?.TranscriptionRecording).ToArray(), NpgsqlDbType.Text));
        cmd.Parameters.Add(Array(o.Select(x => x?.EngagementId).ToArray(), NpgsqlDbType.Text));
        cmd.Parameters.Add(Array(o.Select(x => x?.AgentId).ToArray(), NpgsqlDbType.Text));
        cmd.Parameters.Add(Array(o.Select(x => x?.StartMs).ToArray(), NpgsqlDbType.Bigint));
        cmd.Parameters.Add(Array(o.Select(x => x?.GroupId).ToArray(), NpgsqlDbType.Text));
        cmd.Parameters.Add(Array(rows.Select(u => u.Open).ToArray(), NpgsqlDbType.Bytea));
        cmd.Parameters.Add(Array(rows.Select(u => u.Digest).ToArray(), NpgsqlDbType.Bytea));
        cmd.Parameters.Add(Array(rows.Select(u => u.Projection.GroupId).ToArray(), NpgsqlDbType.Text));
        cmd.Parameters.Add(Array(rows.Select(u => u.Events).ToArray(), NpgsqlDbType.Bytea));
    }

    /// <summary>Runs a transaction again when PostgreSQL chose it as a deadlock victim or a serialization failure.</summary>
    private static async Task<T> RetryAsync<T>(Func<Task<T>> transaction, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await transaction().ConfigureAwait(false);
            }
            catch (PostgresException ex) when (attempt < MaxAttempts && ex.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 20 * attempt)), ct).ConfigureAwait(false);
            }
        }
    }
}
