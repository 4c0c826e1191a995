using Microsoft.Data.Sqlite;
using OmniReport.Core.Derivation;
using OmniReport.Core.Events;

namespace OmniReport.Storage.Sqlite;

/// <summary>
/// Batches planned ahead of the writer. SQLite's one writer bounds ingest, and a batch's plan (its duplicates, the stored
/// rows of its interactions, the projector, digests and rollup facts) needs only reads: so each batch is planned before
/// it queues, on a read connection (a WAL snapshot) and on its caller's thread, while the writer stores the batches ahead
/// of it. The writer then checks the plan against what its own transaction sees and takes it, re-planning only what
/// changed since the snapshot: a plan is used only where the writer would have computed the same one.
/// </summary>
/// <remarks>
/// What a plan depends on, and how the writer checks each: the account's settings text and rollup scope (read again);
/// which events are new (predicted: each id's first time in the batch; the writer's INSERT OR IGNORE names them:
/// compared); the arrival sequences (the account's <c>next_seq</c>, predicted in memory for batches queued behind
/// others: compared); each interaction's stored row (planned from the row a batch queued ahead of it plans to write,
/// else from the snapshot; its event count and digest are read again: an interaction stored otherwise since is
/// re-planned alone, in its place); and <c>now</c>, the time the batch was planned, which any other projection write of
/// this process (a sweep, a settings change, a rebuild step, the rollups deferred or built) invalidates. Planning is one
/// batch at a time, in queue order, so the sequences are predicted in the order the writer stores the batches.
/// </remarks>
public sealed partial class SqliteStore
{
    private readonly SemaphoreSlim _planning = new(1, 1);
    private readonly Lock _sequencesLock = new();

    /// <summary>Per account with batches queued or being stored: the arrival sequences predicted for the next one.</summary>
    private readonly Dictionary<long, Sequences> _sequences = [];

    /// <summary>Bumped after every projection write other than ingest commits (<see cref="Invalidate"/>): plans made before it are not used.</summary>
    private long _epoch;

    /// <summary>How the plans made ahead fared (for the tests: each way through <see cref="Confirm"/> is taken).</summary>
    internal PipelineCounts Pipeline { get; } = new();

    /// <summary>Tells plans made before now that another projection write came between (after its commit, before the write lock is released).</summary>
    private void Invalidate() => Interlocked.Increment(ref _epoch);

    /// <summary>
    /// Ends a projection write other than ingest (a settings change, a rebuild step, the rollups deferred or built):
    /// after its commit, and before the write lock goes to the next writer, plans made ahead from before it are not used.
    /// </summary>
    private void ReleaseAfterProjectionWrite()
    {
        Invalidate();
        _write.Release();
    }

    /// <summary>Plans the batch on a read connection (<see cref="SqliteStore"/>'s pipeline) and queues it, in planning order.</summary>
    private async Task EnqueueAsync(QueuedBatch batch, CancellationToken ct)
    {
        await _planning.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var cpu = WriterStats.On ? WriterStats.ThreadCpuNs() : 0;
            batch.Ahead = PlanAhead(batch);
            if (WriterStats.On)
            {
                WriterStats.Planned(WriterStats.ThreadCpuNs() - cpu);
            }

            lock (_queueLock)
            {
                _queue.Add(batch);
            }
        }
        finally
        {
            _planning.Release();
        }
    }

    /// <summary>The batch's plan against the latest commit, or null when none can be made (the writer plans it).</summary>
    private PlannedBatch? PlanAhead(QueuedBatch batch)
    {
        bool seed;
        Sequences? s;
        lock (_sequencesLock)
        {
            if (!_sequences.TryGetValue(batch.AccountId, out s))
            {
                _sequences.Add(batch.AccountId, s = new Sequences());
            }

            batch.Sequences = s;
            seed = s.Outstanding++ == 0;
            if (s.Broken)
            {
                return null;
            }
        }

        try
        {
            // The epoch before the snapshot: a write that commits after this read bumps it after its commit.
            var epoch = Volatile.Read(ref _epoch);
            var now = NowMs;
            using var c = Open();
            using var tx = c.BeginTransaction(deferred: true);
            var (settings, storedNext, settingsText) = ReadAccount(c, tx, batch.AccountId);
            var accepted = FirstInBatch(batch.Events);
            var count = accepted.Count(a => a);
            var scope = ReadRollupScope(c, batch.AccountId);
            long next, shift;
            lock (_sequencesLock)
            {
                if (seed)
                {
                    // Nothing of this account queued or being stored in this process: the snapshot has its latest commit.
                    s.Next = storedNext;
                }

                next = s.Next;
                shift = s.Shift;
                s.Next += count;
            }

            var byInteraction = AcceptedEvents.ByInteraction(batch.Events, accepted, k => next + k);
            var plan = new RecomputePlan(new Projector(settings, now), rollups: scope);
            var rows = new List<(string Id, List<Event> Added, int EventCount, byte[]? Digest)>(byInteraction.Count);
            using (var load = new RowLoader(c, batch.AccountId))
            {
                foreach (var (interactionId, added) in byInteraction)
                {
                    // An interaction a batch queued ahead of this one (or being stored) plans to write is planned from
                    // that row, not the snapshot's: what the writer will see once that batch is stored as planned.
                    StoredInteraction? stored;
                    lock (_sequencesLock)
                    {
                        stored = s.Rows.TryGetValue(interactionId, out var ahead) ? ahead.Row : null;
                    }

                    stored ??= load.Find(interactionId);
                    plan.Add(interactionId, stored, added);
                    rows.Add((interactionId, added, stored?.EventCount ?? -1, stored?.Digest));
                }
            }

            lock (_sequencesLock)
            {
                foreach (var u in plan.Interactions)
                {
                    s.Rows[u.InteractionId] = (batch, new StoredInteraction
                    {
                        InteractionId = u.InteractionId,
                        Events = u.Events,
                        EventCount = u.EventCount,
                        HasCreated = u.HasCreated,
                        Digest = u.Digest,
                    });
                }
            }

            return new PlannedBatch(epoch, now, settingsText, next, shift, count, accepted, scope, plan, rows);
        }
        catch (Exception)
        {
            // An unknown account, or the database busy: the writer plans the batch and meets the error itself.
            lock (_sequencesLock)
            {
                s.Broken = true;
            }

            return null;
        }
    }

    /// <summary>
    /// The events predicted new: each id's first time in the batch. The snapshot is not asked: the writer's INSERT OR
    /// IGNORE decides and is compared with this (a batch sent again is planned in vain, beside the writer), while asking
    /// cost a b-tree descent per event on a page cache that every commit empties, more than the whole plan it serves.
    /// </summary>
    private static bool[] FirstInBatch(IReadOnlyList<Event> events)
    {
        var isNew = new bool[events.Count];
        var seen = new HashSet<string>(events.Count, StringComparer.Ordinal);
        for (var i = 0; i < events.Count; i++)
        {
            isNew[i] = seen.Add(events[i].Id);
        }

        return isNew;
    }

    /// <summary>
    /// The plan made ahead, as the writer would make it now: null when it cannot be used at all (another projection
    /// write came between, or the settings, scope, new events or sequences differ); else the plan, with the interactions
    /// whose stored row changed since the snapshot planned again from the row the writer sees.
    /// </summary>
    private RecomputePlan? Confirm(SqliteConnection c, QueuedBatch batch, string? settingsText, long nextSeq, bool[] accepted, RollupScope scope)
    {
        if (batch.Ahead is not { } a || a.Epoch != Volatile.Read(ref _epoch) || a.NextSeq != nextSeq || a.Scope != scope
            || !string.Equals(a.SettingsText, settingsText, StringComparison.Ordinal) || !accepted.AsSpan().SequenceEqual(a.Accepted))
        {
            Interlocked.Increment(ref Pipeline.Discarded);
            return null;
        }

        List<int>? changed = null;
        using (var check = new Statement(c, "SELECT event_count, engagements FROM interactions WHERE account_id = ?1 AND interaction_id = ?2"))
        {
            check.Bind(1, batch.AccountId);
            for (var i = 0; i < a.Rows.Count; i++)
            {
                var (id, _, eventCount, digest) = a.Rows[i];
                check.Bind(2, id);
                var same = check.Read() ? check.Int64(0) == eventCount && check.BlobEquals(1, digest) : eventCount < 0;
                check.Reset();
                if (!same)
                {
                    (changed ??= []).Add(i);
                }
            }
        }

        Interlocked.Increment(ref Pipeline.Taken);
        if (changed is null)
        {
            return a.Plan;
        }

        Interlocked.Add(ref Pipeline.Replanned, changed.Count);

        var plan = new RecomputePlan(new Projector(StoredSettings.Read(settingsText), a.Now), rollups: scope);
        using var load = new RowLoader(c, batch.AccountId);
        var next = 0;
        for (var i = 0; i < a.Rows.Count; i++)
        {
            if (next < changed.Count && changed[next] == i)
            {
                next++;
                plan.Add(a.Rows[i].Id, load.Find(a.Rows[i].Id), a.Rows[i].Added);
            }
            else
            {
                plan.Adopt(a.Plan, i);
            }
        }

        return plan;
    }

    /// <summary>
    /// After the batch's group committed (<paramref name="end"/>: the account's <c>next_seq</c> after it) or failed
    /// (null): corrects the sequences predicted for the batches planned behind it by what it really took.
    /// </summary>
    private void Settle(QueuedBatch batch, long? end)
    {
        if (batch.Sequences is not { } s)
        {
            return; // never planned (cancelled before)
        }

        lock (_sequencesLock)
        {
            if (end is { } e && batch.Ahead is { } a && !s.Broken)
            {
                var error = e - (a.NextSeq + (s.Shift - a.Shift) + a.Count);
                s.Shift += error;
                s.Next += error;
            }
            else
            {
                s.Broken = true; // planned blind until nothing of the account is queued; then read from the database again
            }

            if (--s.Outstanding == 0)
            {
                _sequences.Remove(batch.AccountId);
            }
            else if (batch.Ahead is { } planned)
            {
                // Stored (or not): a batch planned from now on reads the row from its snapshot.
                foreach (var (id, _, _, _) in planned.Rows)
                {
                    if (s.Rows.TryGetValue(id, out var row) && row.Batch == batch)
                    {
                        s.Rows.Remove(id);
                    }
                }
            }
        }
    }

    /// <summary>
    /// An account's sequence prediction: <see cref="Next"/> for the next batch planned; <see cref="Shift"/> what the
    /// writer corrected since (a batch that took other sequences than predicted moves every batch behind it).
    /// </summary>
    private sealed class Sequences
    {
        public long Next { get; set; }

        public long Shift { get; set; }

        public int Outstanding { get; set; }

        public bool Broken { get; set; }

        /// <summary>The rows the batches queued or being stored plan to write, by interaction: the latest plan's.</summary>
        public Dictionary<string, (QueuedBatch Batch, StoredInteraction Row)> Rows { get; } = new(StringComparer.Ordinal);
    }

    /// <summary>Plans taken by the writer (some of their interactions perhaps planned again), interactions planned again, plans not used.</summary>
    internal sealed class PipelineCounts
    {
        public long Taken;
        public long Replanned;
        public long Discarded;
    }

    /// <summary>A batch's plan made ahead of the writer, and what it was made from.</summary>
    private sealed record PlannedBatch(
        long Epoch,
        long Now,
        string? SettingsText,
        long NextSeq,
        long Shift,
        int Count,
        bool[] Accepted,
        RollupScope Scope,
        RecomputePlan Plan,
        List<(string Id, List<Event> Added, int EventCount, byte[]? Digest)> Rows);
}
