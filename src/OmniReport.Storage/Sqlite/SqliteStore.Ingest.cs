using Microsoft.Data.Sqlite;
using OmniReport.Core.Events;
using OmniReport.Core.Settings;

namespace OmniReport.Storage.Sqlite;

public sealed partial class SqliteStore
{
    private const int SweepChunk = 500;
    private const int RebuildChunk = 1000;

    /// <inheritdoc />
    public async Task<IngestResult> IngestAsync(long accountId, IReadOnlyList<Event> events, CancellationToken ct = default)
    {
        await _write.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            using var c = Open();
            using var tx = c.BeginTransaction(deferred: false);
            var (settings, nextSeq) = ReadAccount(c, tx, accountId);
            var accepted = new bool[events.Count];
            var byInteraction = new Dictionary<string, List<Event>>(StringComparer.Ordinal);
            var seen = new HashSet<string>(events.Count, StringComparer.Ordinal);
            // First occurrences in the batch, then the ids the account does not have yet: multi-row
            // INSERT OR IGNORE ... RETURNING gives back exactly the ids it inserted.
            var firsts = new List<int>(events.Count);
            for (var i = 0; i < events.Count; i++)
            {
                if (seen.Add(events[i].Id))
                {
                    firsts.Add(i);
                }
            }

            var inserted = InsertNewIds(c, tx, accountId, events, firsts);
            foreach (var i in firsts)
            {
                var e = events[i];
                if (!inserted.Contains(e.Id))
                {
                    continue;
                }

                accepted[i] = true;
                e.Sequence = nextSeq++;
                if (!byInteraction.TryGetValue(e.InteractionId, out var list))
                {
                    byInteraction.Add(e.InteractionId, list = new List<Event>(4));
                }

                list.Add(e);
            }

            if (byInteraction.Count > 0)
            {
                var plan = new RecomputePlan(settings, NowMs);
                using (var load = new RowLoader(c, tx, accountId))
                {
                    foreach (var (interactionId, added) in byInteraction)
                    {
                        plan.Add(interactionId, load.Find(interactionId), added);
                    }
                }

                Write(c, tx, accountId, plan);
                using var seq = Command(c, tx, "UPDATE accounts SET next_seq = $n WHERE id = $a");
                seq.Parameters.AddWithValue("$n", nextSeq);
                seq.Parameters.AddWithValue("$a", accountId);
                seq.ExecuteNonQuery();
            }

            tx.Commit();
            return new IngestResult(accepted);
        }
        finally
        {
            _write.Release();
        }
    }

    /// <inheritdoc />
    public async Task UpdateSettingsAsync(long accountId, AccountSettings settings, CancellationToken ct = default)
    {
        await _write.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            using var c = Open();
            using var tx = c.BeginTransaction(deferred: false);
            RequireAccount(c, tx, accountId);
            using (var cmd = Command(c, tx, "UPDATE accounts SET settings = $s WHERE id = $a"))
            {
                cmd.Parameters.AddWithValue("$s", StoredSettings.Write(settings));
                cmd.Parameters.AddWithValue("$a", accountId);
                cmd.ExecuteNonQuery();
            }

            // Every interaction, in chunks so memory stays flat; one transaction, so readers see the old
            // records or the new ones, never a mix.
            var now = NowMs;
            var after = "";
            while (true)
            {
                var rows = new List<StoredInteraction>(RebuildChunk);
                using (var cmd = Command(c, tx, """
                    SELECT interaction_id, event_count, has_created, engagements, events FROM interactions
                    WHERE account_id = $a AND interaction_id > $after AND has_created = 1
                    ORDER BY interaction_id LIMIT $n
                    """))
                {
                    cmd.Parameters.AddWithValue("$a", accountId);
                    cmd.Parameters.AddWithValue("$after", after);
                    cmd.Parameters.AddWithValue("$n", RebuildChunk);
                    using var r = cmd.ExecuteReader();
                    while (r.Read())
                    {
                        rows.Add(RowLoader.Read(r, r.GetString(0)));
                    }
                }

                if (rows.Count == 0)
                {
                    break;
                }

                var plan = new RecomputePlan(settings, now);
                foreach (var row in rows)
                {
                    plan.Add(row.InteractionId, row, []);
                }

                Write(c, tx, accountId, plan);
                after = rows[^1].InteractionId;
            }

            tx.Commit();
        }
        finally
        {
            _write.Release();
        }
    }

    /// <inheritdoc />
    public async Task<int> SweepAsync(CancellationToken ct = default)
    {
        var total = 0;
        while (true)
        {
            await _write.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                var now = NowMs;
                using var c = Open();
                using var tx = c.BeginTransaction(deferred: false);
                var due = new List<(long Account, string Interaction)>();
                using (var cmd = Command(c, tx, "SELECT account_id, interaction_id FROM interactions WHERE deadline_ms <= $now ORDER BY deadline_ms LIMIT $n"))
                {
                    cmd.Parameters.AddWithValue("$now", now);
                    cmd.Parameters.AddWithValue("$n", SweepChunk);
                    using var r = cmd.ExecuteReader();
                    while (r.Read())
                    {
                        due.Add((r.GetInt64(0), r.GetString(1)));
                    }
                }

                if (due.Count == 0)
                {
                    return total;
                }

                foreach (var account in due.GroupBy(d => d.Account))
                {
                    var plan = new RecomputePlan(ReadAccount(c, tx, account.Key).Settings, now);
                    using (var load = new RowLoader(c, tx, account.Key))
                    {
                        foreach (var (_, interactionId) in account)
                        {
                            plan.Add(interactionId, load.Find(interactionId), []);
                        }
                    }

                    Write(c, tx, account.Key, plan);
                }

                tx.Commit();
                total += due.Count;
                if (due.Count < SweepChunk)
                {
                    return total; // a recomputed interaction's next deadline is always after now
                }
            }
            finally
            {
                _write.Release();
            }
        }
    }

    private const int IdsPerStatement = 200;

    /// <summary>
    /// Inserts the ids the account does not have yet and returns them. The common case is a batch of new
    /// ids: they go in with multi-row INSERT OR IGNORE, and when every row went in, all are new. Only when
    /// some were ignored (a duplicate) is that work rolled back to a savepoint and done again with RETURNING,
    /// which names the rows inserted but costs about twice as much.
    /// </summary>
    private static HashSet<string> InsertNewIds(SqliteConnection c, SqliteTransaction tx, long accountId, IReadOnlyList<Event> events, List<int> firsts)
    {
        Exec(c, tx, "SAVEPOINT new_ids");
        if (InsertIds(c, tx, accountId, events, firsts, null) == firsts.Count)
        {
            Exec(c, tx, "RELEASE new_ids");
            var all = new HashSet<string>(firsts.Count, StringComparer.Ordinal);
            foreach (var i in firsts)
            {
                all.Add(events[i].Id);
            }

            return all;
        }

        Exec(c, tx, "ROLLBACK TO new_ids");
        Exec(c, tx, "RELEASE new_ids");
        var inserted = new HashSet<string>(firsts.Count, StringComparer.Ordinal);
        InsertIds(c, tx, accountId, events, firsts, inserted);
        return inserted;
    }

    /// <summary>Returns how many ids were inserted; with <paramref name="inserted"/>, also which.</summary>
    private static int InsertIds(SqliteConnection c, SqliteTransaction tx, long accountId, IReadOnlyList<Event> events, List<int> firsts, HashSet<string>? inserted)
    {
        var count = 0;
        SqliteCommand? full = null;
        try
        {
            for (var start = 0; start < firsts.Count; start += IdsPerStatement)
            {
                var n = Math.Min(IdsPerStatement, firsts.Count - start);
                var cmd = n == IdsPerStatement ? full ??= IdCommand(c, tx, accountId, n, inserted is not null) : IdCommand(c, tx, accountId, n, inserted is not null);
                for (var k = 0; k < n; k++)
                {
                    cmd.Parameters[k + 1].Value = events[firsts[start + k]].Id;
                }

                if (inserted is null)
                {
                    count += cmd.ExecuteNonQuery();
                }
                else
                {
                    using var r = cmd.ExecuteReader();
                    while (r.Read())
                    {
                        inserted.Add(r.GetString(0));
                        count++;
                    }
                }

                if (!ReferenceEquals(cmd, full))
                {
                    cmd.Dispose();
                }
            }
        }
        finally
        {
            full?.Dispose();
        }

        return count;
    }

    private static SqliteCommand IdCommand(SqliteConnection c, SqliteTransaction tx, long accountId, int n, bool returning)
    {
        var sql = new System.Text.StringBuilder("INSERT OR IGNORE INTO event_ids (account_id, event_id) VALUES ");
        for (var k = 0; k < n; k++)
        {
            sql.Append(k == 0 ? "" : ", ").Append("($a, $i").Append(k).Append(')');
        }

        if (returning)
        {
            sql.Append(" RETURNING event_id");
        }

        var cmd = Command(c, tx, sql.ToString());
        cmd.Parameters.AddWithValue("$a", accountId);
        for (var k = 0; k < n; k++)
        {
            cmd.Parameters.Add("$i" + k.ToString(System.Globalization.CultureInfo.InvariantCulture), SqliteType.Text);
        }

        return cmd;
    }

    private static void Write(SqliteConnection c, SqliteTransaction tx, long accountId, RecomputePlan plan)
    {
        using (var insert = Command(c, tx, """
            INSERT INTO interactions (account_id, interaction_id, event_count, has_created, start_ms, agent_id, deadline_ms, record, engagements, events)
            VALUES ($a, $id, $n, $c, $s, $ag, $d, $r, $e, $ev)
            """))
        using (var update = Command(c, tx, """
            UPDATE interactions SET event_count = $n, has_created = $c, start_ms = $s, agent_id = $ag, deadline_ms = $d,
                record = $r, engagements = $e, events = $ev
            WHERE account_id = $a AND interaction_id = $id
            """))
        {
            var pi = Params(insert);
            var pu = Params(update);
            foreach (var u in plan.Interactions)
            {
                var (cmd, p) = u.IsNew ? (insert, pi) : (update, pu);
                p[0].Value = accountId;
                p[1].Value = u.InteractionId;
                p[2].Value = u.EventCount;
                p[3].Value = u.HasCreated ? 1 : 0;
                p[4].Value = (object?)u.StartMs ?? DBNull.Value;
                p[5].Value = (object?)u.AgentId ?? DBNull.Value;
                p[6].Value = (object?)u.DeadlineMs ?? DBNull.Value;
                p[7].Value = (object?)u.Record ?? DBNull.Value;
                p[8].Value = (object?)u.Digest ?? DBNull.Value;
                p[9].Value = u.Events;
                cmd.ExecuteNonQuery();
            }
        }

        if (plan.Deletes.Count > 0)
        {
            using var delete = Command(c, tx, "DELETE FROM engagements WHERE account_id = $a AND engagement_id = $id");
            delete.Parameters.AddWithValue("$a", accountId);
            var id = delete.Parameters.Add("$id", SqliteType.Text);
            foreach (var d in plan.Deletes)
            {
                id.Value = d;
                delete.ExecuteNonQuery();
            }
        }

        if (plan.Upserts.Count > 0)
        {
            using var insert = Command(c, tx, """
                INSERT INTO engagements (account_id, start_second, engagement_id, interaction_id, agent_id, group_id, channel, data)
                VALUES ($a, $s, $id, $i, $ag, $g, $c, $d)
                """);
            var p = new[]
            {
                insert.Parameters.AddWithValue("$a", accountId),
                insert.Parameters.Add("$s", SqliteType.Integer),
                insert.Parameters.Add("$id", SqliteType.Text),
                insert.Parameters.Add("$i", SqliteType.Text),
                insert.Parameters.Add("$ag", SqliteType.Text),
                insert.Parameters.Add("$g", SqliteType.Text),
                insert.Parameters.Add("$c", SqliteType.Integer),
                insert.Parameters.Add("$d", SqliteType.Blob),
            };
            foreach (var (e, data) in plan.Upserts)
            {
                p[1].Value = e.StartSecond;
                p[2].Value = e.EngagementId;
                p[3].Value = e.TicketId;
                p[4].Value = e.AgentId;
                p[5].Value = (object?)e.GroupId ?? DBNull.Value;
                p[6].Value = (int)e.Channel;
                p[7].Value = data;
                insert.ExecuteNonQuery();
            }
        }

        if (plan.Names.Count > 0)
        {
            using var upsert = Command(c, tx, """
                INSERT INTO agent_names (account_id, agent_id, name, occurred_at_ms, seq) VALUES ($a, $id, $n, $t, $s)
                ON CONFLICT (account_id, agent_id) DO UPDATE SET name = excluded.name, occurred_at_ms = excluded.occurred_at_ms, seq = excluded.seq
                WHERE excluded.occurred_at_ms > agent_names.occurred_at_ms
                   OR (excluded.occurred_at_ms = agent_names.occurred_at_ms AND excluded.seq > agent_names.seq)
                """);
            upsert.Parameters.AddWithValue("$a", accountId);
            var id = upsert.Parameters.Add("$id", SqliteType.Text);
            var n = upsert.Parameters.Add("$n", SqliteType.Text);
            var t = upsert.Parameters.Add("$t", SqliteType.Integer);
            var s = upsert.Parameters.Add("$s", SqliteType.Integer);
            foreach (var sighting in plan.Names.Values)
            {
                id.Value = sighting.AgentId;
                n.Value = sighting.Name;
                t.Value = sighting.OccurredAtMs;
                s.Value = sighting.Sequence;
                upsert.ExecuteNonQuery();
            }
        }
    }

    private static SqliteParameter[] Params(SqliteCommand cmd) =>
    [
        cmd.Parameters.Add("$a", SqliteType.Integer),
        cmd.Parameters.Add("$id", SqliteType.Text),
        cmd.Parameters.Add("$n", SqliteType.Integer),
        cmd.Parameters.Add("$c", SqliteType.Integer),
        cmd.Parameters.Add("$s", SqliteType.Integer),
        cmd.Parameters.Add("$ag", SqliteType.Text),
        cmd.Parameters.Add("$d", SqliteType.Integer),
        cmd.Parameters.Add("$r", SqliteType.Blob),
        cmd.Parameters.Add("$e", SqliteType.Blob),
        cmd.Parameters.Add("$ev", SqliteType.Blob),
    ];

    /// <summary>Point lookups of interaction rows with one prepared statement.</summary>
    private sealed class RowLoader : IDisposable
    {
        private readonly SqliteCommand _cmd;
        private readonly SqliteParameter _id;

        public RowLoader(SqliteConnection c, SqliteTransaction tx, long accountId)
        {
            _cmd = Command(c, tx, "SELECT event_count, has_created, engagements, events FROM interactions WHERE account_id = $a AND interaction_id = $id");
            _cmd.Parameters.AddWithValue("$a", accountId);
            _id = _cmd.Parameters.Add("$id", SqliteType.Text);
        }

        public StoredInteraction? Find(string interactionId)
        {
            _id.Value = interactionId;
            using var r = _cmd.ExecuteReader();
            if (!r.Read())
            {
                return null;
            }

            return new StoredInteraction
            {
                InteractionId = interactionId,
                EventCount = r.GetInt32(0),
                HasCreated = r.GetInt64(1) != 0,
                Digest = r.IsDBNull(2) ? null : (byte[])r.GetValue(2),
                Events = (byte[])r.GetValue(3),
            };
        }

        /// <summary>Reads (id, event_count, has_created, engagements, events) at columns 0–4.</summary>
        public static StoredInteraction Read(SqliteDataReader r, string interactionId) => new()
        {
            InteractionId = interactionId,
            EventCount = r.GetInt32(1),
            HasCreated = r.GetInt64(2) != 0,
            Digest = r.IsDBNull(3) ? null : (byte[])r.GetValue(3),
            Events = (byte[])r.GetValue(4),
        };

        public void Dispose() => _cmd.Dispose();
    }
}
