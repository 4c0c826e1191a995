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
            var accepted = Store(c, tx, accountId, events);
            tx.Commit();
            return new IngestResult(accepted);
        }
        finally
        {
            _write.Release();
        }
    }

    /// <summary>
    /// Stores a batch inside the connection's open write transaction: inserts the ids, which decides which
    /// events are new, then the new events and the recomputed records of the interactions they touch.
    /// </summary>
    /// <returns>Per event whether it was accepted.</returns>
    private bool[] Store(SqliteConnection c, SqliteTransaction tx, long accountId, IReadOnlyList<Event> events)
    {
        var (settings, nextSeq) = ReadAccount(c, tx, accountId);
        var accepted = InsertNewIds(c, accountId, events);
        var byInteraction = AcceptedEvents.ByInteraction(events, accepted, k => nextSeq + k);
        if (byInteraction.Count == 0)
        {
            return accepted;
        }

        var plan = new RecomputePlan(settings, NowMs);
        using (var load = new RowLoader(c, accountId))
        {
            foreach (var (interactionId, added) in byInteraction)
            {
                plan.Add(interactionId, load.Find(interactionId), added);
            }
        }

        Write(c, accountId, plan);
        using var seq = Command(c, tx, "UPDATE accounts SET next_seq = $n WHERE id = $a");
        seq.Parameters.AddWithValue("$n", nextSeq + accepted.Count(a => a));
        seq.Parameters.AddWithValue("$a", accountId);
        seq.ExecuteNonQuery();
        return accepted;
    }

    /// <summary>
    /// Inserts the batch's ids; true for each event whose id is new. INSERT OR IGNORE one id at a time names
    /// exactly the new ones: the account's earlier ids, and a second copy within the batch, change no row.
    /// </summary>
    private static bool[] InsertNewIds(SqliteConnection c, long accountId, IReadOnlyList<Event> events)
    {
        var isNew = new bool[events.Count];
        using var ids = new Statement(c, "INSERT OR IGNORE INTO event_ids (account_id, event_id) VALUES (?1, ?2)");
        ids.Bind(1, accountId);
        for (var i = 0; i < events.Count; i++)
        {
            ids.Bind(2, events[i].Id);
            isNew[i] = ids.Execute() != 0;
        }

        return isNew;
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

                Write(c, accountId, plan);
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
                    using (var load = new RowLoader(c, account.Key))
                    {
                        foreach (var (_, interactionId) in account)
                        {
                            plan.Add(interactionId, load.Find(interactionId), []);
                        }
                    }

                    Write(c, account.Key, plan);
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

    private static void Write(SqliteConnection c, long accountId, RecomputePlan plan)
    {
        using (var insert = new Statement(c, """
            INSERT INTO interactions (account_id, interaction_id, event_count, has_created, start_ms, agent_id, deadline_ms, record, engagements, events)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
            """))
        using (var update = new Statement(c, """
            UPDATE interactions SET event_count = ?3, has_created = ?4, start_ms = ?5, agent_id = ?6, deadline_ms = ?7,
                record = ?8, engagements = ?9, events = ?10
            WHERE account_id = ?1 AND interaction_id = ?2
            """))
        {
            foreach (var u in plan.Interactions)
            {
                var cmd = u.IsNew ? insert : update;
                cmd.Bind(1, accountId);
                cmd.Bind(2, u.InteractionId);
                cmd.Bind(3, u.EventCount);
                cmd.Bind(4, u.HasCreated ? 1 : 0);
                cmd.Bind(5, u.StartMs);
                cmd.Bind(6, u.AgentId);
                cmd.Bind(7, u.DeadlineMs);
                cmd.Bind(8, u.Record);
                cmd.Bind(9, u.Digest);
                cmd.Bind(10, u.Events);
                cmd.Execute();
            }
        }

        if (plan.Deletes.Count > 0)
        {
            using var delete = new Statement(c, "DELETE FROM engagements WHERE account_id = ?1 AND engagement_id = ?2");
            delete.Bind(1, accountId);
            foreach (var d in plan.Deletes)
            {
                delete.Bind(2, d);
                delete.Execute();
            }
        }

        if (plan.Upserts.Count > 0)
        {
            using var insert = new Statement(c, """
                INSERT INTO engagements (account_id, start_second, engagement_id, interaction_id, agent_id, group_id, channel, data)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                """);
            insert.Bind(1, accountId);
            foreach (var (e, data) in plan.Upserts)
            {
                insert.Bind(2, e.StartSecond);
                insert.Bind(3, e.EngagementId);
                insert.Bind(4, e.TicketId);
                insert.Bind(5, e.AgentId);
                insert.Bind(6, e.GroupId);
                insert.Bind(7, (int)e.Channel);
                insert.Bind(8, data);
                insert.Execute();
            }
        }

        if (plan.Names.Count > 0)
        {
            using var upsert = new Statement(c, """
                INSERT INTO agent_names (account_id, agent_id, name, occurred_at_ms, seq) VALUES (?1, ?2, ?3, ?4, ?5)
                ON CONFLICT (account_id, agent_id) DO UPDATE SET name = excluded.name, occurred_at_ms = excluded.occurred_at_ms, seq = excluded.seq
                WHERE excluded.occurred_at_ms > agent_names.occurred_at_ms
                   OR (excluded.occurred_at_ms = agent_names.occurred_at_ms AND excluded.seq > agent_names.seq)
                """);
            upsert.Bind(1, accountId);
            foreach (var sighting in plan.Names.Values)
            {
                upsert.Bind(2, sighting.AgentId);
                upsert.Bind(3, sighting.Name);
                upsert.Bind(4, sighting.OccurredAtMs);
                upsert.Bind(5, sighting.Sequence);
                upsert.Execute();
            }
        }
    }

    /// <summary>Point lookups of interaction rows with one prepared statement.</summary>
    private sealed class RowLoader : IDisposable
    {
        private readonly Statement _find;

        public RowLoader(SqliteConnection c, long accountId)
        {
            _find = new Statement(c, "SELECT event_count, has_created, engagements, events FROM interactions WHERE account_id = ?1 AND interaction_id = ?2");
            _find.Bind(1, accountId);
        }

        public StoredInteraction? Find(string interactionId)
        {
            _find.Bind(2, interactionId);
            if (!_find.Read())
            {
                return null;
            }

            var row = new StoredInteraction
            {
                InteractionId = interactionId,
                EventCount = (int)_find.Int64(0),
                HasCreated = _find.Int64(1) != 0,
                Digest = _find.Blob(2),
                Events = _find.Blob(3) ?? [],
            };
            _find.Reset();
            return row;
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

        public void Dispose() => _find.Dispose();
    }
}
