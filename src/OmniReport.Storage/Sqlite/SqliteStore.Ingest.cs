using Microsoft.Data.Sqlite;
using OmniReport.Core.Derivation;
using OmniReport.Core.Events;
using OmniReport.Core.Settings;

namespace OmniReport.Storage.Sqlite;

public sealed partial class SqliteStore
{
    private const int SweepChunk = 500;
    private const int RebuildChunk = 1000;

    /// <inheritdoc />
    public Task<IngestResult> IngestAsync(long accountId, IReadOnlyList<Event> events, CancellationToken ct = default) =>
        IngestQueuedAsync(accountId, events, ct);

    /// <summary>
    /// Stores a batch inside the connection's open write transaction: inserts the ids, which decides which
    /// events are new, then the new events and the recomputed records of the interactions they touch, from the plan
    /// made ahead of the writer where it still holds (<see cref="Confirm"/>), else planned here.
    /// </summary>
    /// <returns>
    /// Per event whether it was accepted, the changes appended to the change log, and the records it adds to and takes
    /// away from the rollups: the group writes those cells once for all its batches (<see cref="StoreGroup"/>). The
    /// account's next arrival sequence after the batch goes to <see cref="QueuedBatch.End"/>.
    /// </returns>
    private (bool[] Accepted, IReadOnlyList<Change> Changes, List<RollupChange> Rollups) Store(SqliteConnection c, SqliteTransaction tx, QueuedBatch batch)
    {
        var accountId = batch.AccountId;
        var (settings, nextSeq, settingsText) = ReadAccount(c, tx, accountId);
        var accepted = InsertNewIds(c, accountId, batch.Events);
        var acceptedCount = accepted.Count(a => a);
        batch.End = nextSeq + acceptedCount;
        if (acceptedCount == 0)
        {
            return (accepted, [], []);
        }

        var scope = ReadRollupScope(c, accountId);
        var plan = Confirm(c, batch, settingsText, nextSeq, accepted, scope);
        var now = plan is null ? NowMs : batch.Ahead!.Now;
        if (plan is null)
        {
            plan = new RecomputePlan(new Projector(settings, now), rollups: scope);
            using var load = new RowLoader(c, accountId);
            foreach (var (interactionId, added) in AcceptedEvents.ByInteraction(batch.Events, accepted, k => nextSeq + k))
            {
                plan.Add(interactionId, load.Find(interactionId), added);
            }
        }

        var log = new ChangeLog(c, accountId, now);
        Write(c, accountId, plan, log);
        log.Finish();
        using var seq = Command(c, tx, "UPDATE accounts SET next_seq = $n WHERE id = $a");
        seq.Parameters.AddWithValue("$n", batch.End);
        seq.Parameters.AddWithValue("$a", accountId);
        seq.ExecuteNonQuery();
        return (accepted, log.Written, plan.Rollups);
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
            var projector = new Projector(settings, now);
            var log = new ChangeLog(c, accountId, now);
            var scope = ReadRollupScope(c, accountId);
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

                var plan = new RecomputePlan(projector, rollups: scope);
                foreach (var row in rows)
                {
                    plan.Add(row.InteractionId, row, []);
                }

                Write(c, accountId, plan, log);
                WriteRollups(c, accountId, RollupDeltas.Of([plan]));
                after = rows[^1].InteractionId;
            }

            log.Finish();
            tx.Commit();
            Signal(accountId, log.Written.Count);
        }
        finally
        {
            ReleaseAfterProjectionWrite();
        }
    }

    /// <inheritdoc />
    public async Task<SweepResult> SweepAsync(CancellationToken ct = default)
    {
        var total = 0;
        var changes = new List<Change>();
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
                    return new SweepResult(total, changes);
                }

                var written = new List<Change>();
                var touched = new List<long>();
                foreach (var account in due.GroupBy(d => d.Account))
                {
                    var plan = new RecomputePlan(new Projector(ReadAccount(c, tx, account.Key).Settings, now), rollups: ReadRollupScope(c, account.Key));
                    using (var load = new RowLoader(c, account.Key))
                    {
                        foreach (var (_, interactionId) in account)
                        {
                            plan.Add(interactionId, load.Find(interactionId), []);
                        }
                    }

                    var log = new ChangeLog(c, account.Key, now);
                    Write(c, account.Key, plan, log);
                    WriteRollups(c, account.Key, RollupDeltas.Of([plan]));
                    log.Finish();
                    written.AddRange(log.Written);
                    if (log.Written.Count > 0)
                    {
                        touched.Add(account.Key);
                    }
                }

                tx.Commit();
                Invalidate(); // after its commit: plans made ahead from before it are not used (a sweep that found nothing due leaves them)
                foreach (var account in touched)
                {
                    Signal(account, 1);
                }

                changes.AddRange(written);
                total += due.Count;
                if (due.Count < SweepChunk)
                {
                    return new SweepResult(total, changes); // a recomputed interaction's next deadline is always after now
                }
            }
            finally
            {
                _write.Release();
            }
        }
    }

    /// <summary>The plan's rows, names and change log; its rollup cells are the caller's (<see cref="WriteRollups"/>).</summary>
    private static void Write(SqliteConnection c, long accountId, RecomputePlan plan, ChangeLog log)
    {
        using (var insert = new Statement(c, $"""
            INSERT INTO interactions (account_id, interaction_id, event_count, has_created, deadline_ms, {DerivedColumns.Interaction}, events)
            VALUES (?1, ?2, ?3, ?4, ?5, {Placeholders(6, DerivedColumns.InteractionCount)}, ?{6 + DerivedColumns.InteractionCount})
            """))
        using (var update = new Statement(c, $"""
            UPDATE interactions SET event_count = ?3, has_created = ?4, deadline_ms = ?5,
                ({DerivedColumns.Interaction}) = ({Placeholders(6, DerivedColumns.InteractionCount)}), events = ?{6 + DerivedColumns.InteractionCount}
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
                cmd.Bind(5, u.DeadlineMs);
                var i = 6;
                var r = u.Projection.Record;
                cmd.Bind(i++, r?.StartMs);
                cmd.Bind(i++, r?.WaitingTime);
                cmd.Bind(i++, r?.EndMs);
                cmd.Bind(i++, r?.Duration);
                cmd.Bind(i++, r is null ? null : Vocabulary.Upper(r.Channel));
                cmd.Bind(i++, r?.Status);
                cmd.Bind(i++, r is null ? null : DerivedColumns.Upper(r.Direction));
                cmd.Bind(i++, r?.AgentType);
                cmd.Bind(i++, r?.AgentId);
                cmd.Bind(i++, r?.Groups);
                cmd.Bind(i++, r?.ExternalId);
                cmd.Bind(i++, r?.Name);
                cmd.Bind(i++, r?.Contact);
                cmd.Bind(i++, r?.ContactId);
                cmd.Bind(i++, r?.DispositionName);
                cmd.Bind(i++, r?.Notes);
                cmd.Bind(i++, r?.TranscriptionRecording);
                var o = u.Projection.Open;
                cmd.Bind(i++, o?.EngagementId);
                cmd.Bind(i++, o?.AgentId);
                cmd.Bind(i++, o?.StartMs);
                cmd.Bind(i++, o?.GroupId);
                cmd.Bind(i++, u.Open);
                cmd.Bind(i++, u.Digest);
                cmd.Bind(i++, u.Projection.GroupId);
                cmd.Bind(i, u.Events);
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
            using var insert = new Statement(c, $"""
                INSERT INTO engagements (account_id, start_second, {DerivedColumns.Engagement})
                VALUES (?1, ?2, {Placeholders(3, DerivedColumns.EngagementCount)})
                """);
            insert.Bind(1, accountId);
            foreach (var e in plan.Upserts)
            {
                insert.Bind(2, e.StartSecond);
                var i = 3;
                insert.Bind(i++, e.EngagementId);
                insert.Bind(i++, e.TicketId);
                insert.Bind(i++, e.AgentId);
                insert.Bind(i++, e.GroupId);
                insert.Bind(i++, e.RequesterId);
                insert.Bind(i++, e.OfferTimeSeconds);
                insert.Bind(i++, e.AssignmentToFirstReplyTimeSeconds);
                insert.Bind(i++, e.AgentMessagesCount);
                insert.Bind(i++, e.AgentRepliesCount);
                insert.Bind(i++, e.TotalRequesterWaitTimeSeconds);
                insert.Bind(i++, e.LongestRequesterWaitTimeSeconds);
                insert.Bind(i++, Vocabulary.Upper(e.Channel));
                insert.Bind(i++, e.StartReason);
                insert.Bind(i++, e.StartMs);
                insert.Bind(i++, e.EndMs);
                insert.Bind(i++, Vocabulary.Upper(e.StatusStart));
                insert.Bind(i++, Vocabulary.Upper(e.StatusEnd));
                insert.Bind(i++, e.EndReason);
                insert.Bind(i++, e.AverageRequesterWaitTimeSeconds);
                insert.Bind(i++, e.EndUserMessagesCount);
                insert.Bind(i, e.EngagementDurationSeconds);
                insert.Execute();
            }
        }

        if (plan.Names.Count > 0)
        {
            // Records of agents this batch renames change as served: they go to the change log too (AgentRenames).
            var renamed = new List<InteractionRecord>();
            using (var stored = new Statement(c, AgentRenames.SqliteStoredName))
            using (var find = new Statement(c, AgentRenames.SqliteRecords))
            {
                stored.Bind(1, accountId);
                find.Bind(1, accountId);
                foreach (var sighting in plan.Names.Sightings)
                {
                    stored.Bind(2, sighting.AgentId);
                    NameSighting? known = null;
                    if (stored.Read())
                    {
                        known = new NameSighting(sighting.AgentId, stored.Text(0), stored.Int64(1), stored.Int64(2));
                        stored.Reset();
                    }

                    if (!AgentRenames.Renames(sighting, known))
                    {
                        continue;
                    }

                    find.Bind(2, sighting.AgentId);
                    while (find.Read())
                    {
                        renamed.Add(DerivedRows.ReadRecord(find, 0));
                    }
                }
            }

            AgentRenames.Add(plan.Changes, renamed);
            using var upsert = new Statement(c, $"""
                INSERT INTO agent_names (account_id, agent_id, name, occurred_at_ms, seq) VALUES (?1, ?2, ?3, ?4, ?5)
                {DerivedColumns.NameUpsert}
                """);
            upsert.Bind(1, accountId);
            foreach (var sighting in plan.Names.Sightings)
            {
                upsert.Bind(2, sighting.AgentId);
                upsert.Bind(3, sighting.Name);
                upsert.Bind(4, sighting.OccurredAtMs);
                upsert.Bind(5, sighting.Sequence);
                upsert.Execute();
            }
        }

        log.Append(plan.Changes);
    }

    /// <summary>Which changes go to the rollups: all, unless a rebuild of the account is under way (<see cref="RollupScope"/>).</summary>
    private static RollupScope ReadRollupScope(SqliteConnection c, long accountId)
    {
        using var read = new Statement(c, "SELECT after FROM rebuilds WHERE account_id = ?1");
        read.Bind(1, accountId);
        if (!read.Read())
        {
            return RollupScope.All;
        }

        var after = read.Text(0);
        read.Reset();
        return RollupScope.During(after);
    }

    /// <summary>
    /// Each changed cell read, changed and written back once (SQLite has one writer at a time, so nothing else changes
    /// it in between); a cell left with no record is deleted.
    /// </summary>
    private static void WriteRollups(SqliteConnection c, long accountId, RollupDeltas deltas)
    {
        if (deltas.IsEmpty)
        {
            return;
        }

        const string Key = "account_id = ?1 AND kind = ?2 AND dims = ?3 AND tier = ?4 AND start_ms = ?5 AND key = ?6";
        using var read = new Statement(c, "SELECT data FROM rollups WHERE " + Key);
        using var insert = new Statement(c, "INSERT INTO rollups (account_id, kind, dims, tier, start_ms, key, data) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
        using var update = new Statement(c, "UPDATE rollups SET data = ?7 WHERE " + Key);
        using var delete = new Statement(c, "DELETE FROM rollups WHERE " + Key);
        foreach (var (k, delta) in deltas.Sorted())
        {
            foreach (var s in (ReadOnlySpan<Statement>)[read, insert, update, delete])
            {
                s.Bind(1, accountId);
                s.Bind(2, k.Kind);
                s.Bind(3, k.Dims);
                s.Bind(4, k.Tier);
                s.Bind(5, k.Start);
                s.Bind(6, k.Key);
            }

            byte[]? stored = null;
            if (read.Read())
            {
                stored = read.Blob(0);
                read.Reset();
            }

            if (RollupDeltas.Apply(stored, delta) is { } data)
            {
                var write = stored is null ? insert : update;
                write.Bind(7, data);
                write.Execute();
            }
            else if (stored is not null)
            {
                delete.Execute();
            }
        }
    }

    private static string Placeholders(int first, int count) =>
        string.Join(", ", Enumerable.Range(first, count).Select(i => "?" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>
    /// Appends changes to an account's change log inside the open write transaction: each gets the account's next
    /// change sequence (<c>accounts.next_change</c>; SQLite has one writer at a time, so it is read once and written
    /// back by <see cref="Finish"/>).
    /// </summary>
    private sealed class ChangeLog(SqliteConnection c, long accountId, long nowMs)
    {
        private long _next = -1;

        public List<Change> Written { get; } = [];

        public void Append(List<PendingChange> changes)
        {
            if (changes.Count == 0)
            {
                return;
            }

            if (_next < 0)
            {
                using var read = new Statement(c, "SELECT next_change FROM accounts WHERE id = ?1");
                read.Bind(1, accountId);
                read.Read();
                _next = read.Int64(0);
            }

            using var insert = new Statement(c, "INSERT INTO changes (account_id, seq, at_ms, kind, key) VALUES (?1, ?2, ?3, ?4, ?5)");
            insert.Bind(1, accountId);
            insert.Bind(3, nowMs);
            foreach (var p in changes)
            {
                insert.Bind(2, _next);
                insert.Bind(4, ChangeKinds.Name(p.Kind));
                insert.Bind(5, p.Key);
                insert.Execute();
                Written.Add(new Change(_next++, p.Kind, p.Key, nowMs, p.Engagement, p.Record));
            }
        }

        public void Finish()
        {
            if (_next < 0)
            {
                return;
            }

            using var update = new Statement(c, "UPDATE accounts SET next_change = ?2 WHERE id = ?1");
            update.Bind(1, accountId);
            update.Bind(2, _next);
            update.Execute();
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
