using Microsoft.Data.Sqlite;
using OmniReport.Core.Events;

namespace OmniReport.Storage.Sqlite;

/// <summary>
/// Group commit of ingest batches. SQLite has one writer, so concurrent batches (several HTTP requests at once) queue
/// for it; the writer that gets the lock stores every batch waiting at that moment in one transaction, each batch in a
/// savepoint of its own, and commits once. Each caller is answered once its batch is durable (SPEC §5.2: the commit, then
/// the fsync of the WAL, which runs beside the next group: SqliteStore.Durable.cs), with what its own batch did; a batch
/// that fails (an unknown account) is rolled back alone and only its caller gets the error. Readers see the whole group
/// or none of it. One commit's fsync and one write of the pages the batches share (the ends of the id, interaction,
/// engagement and change-log trees, the agent names) instead of one per batch.
/// </summary>
public sealed partial class SqliteStore
{
    /// <summary>
    /// Batches join a group being stored until it holds this many events: the commit answers all of them, so the first
    /// waits for the others' work (a few milliseconds per thousand events).
    /// </summary>
    private const int GroupEvents = 10_000;

    /// <inheritdoc />
    public bool IngestsInCallOrder => true; // one queue, in the order the calls planned their batches (EnqueueAsync)

    private readonly Lock _queueLock = new();
    private List<QueuedBatch> _queue = [];

    /// <summary>Stores a batch, alone or with the batches queued beside it (<see cref="SqliteStore"/>'s group commit).</summary>
    private async Task<IngestResult> IngestQueuedAsync(long accountId, IReadOnlyList<Event> events, CancellationToken ct)
    {
        var mine = new QueuedBatch(accountId, events);
        await EnqueueAsync(mine, ct).ConfigureAwait(false);

        // Queued: the caller gets its task back now (a bulk import hands in its next batch, to be planned while this one
        // is stored; IngestsInCallOrder), and the rest runs on a pool thread.
        await Task.Yield();

        try
        {
            await _write.WaitAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            lock (_queueLock)
            {
                if (_queue.Remove(mine))
                {
                    Settle(mine, null);
                    throw; // not taken by a writer: nothing was stored
                }
            }

            return await mine.Done.Task.ConfigureAwait(false); // a writer has it: its outcome stands
        }

        try
        {
            List<QueuedBatch> group;
            lock (_queueLock)
            {
                group = _queue;
                _queue = [];
            }

            if (group.Count > 0)
            {
                StoreGroup(group); // mine is in it, unless the writer before took it
            }
        }
        finally
        {
            _write.Release();
        }

        return await mine.Done.Task.ConfigureAwait(false);
    }

    /// <summary>
    /// Stores the batches in one transaction and completes each one's task after the commit. Batches that arrive while
    /// the group is being stored join it before the commit (up to <see cref="GroupEvents"/> events): they would wait for
    /// this commit anyway, and one commit writes the pages they share once.
    /// </summary>
    private void StoreGroup(List<QueuedBatch> group)
    {
        var results = new List<(IngestResult? Result, Exception? Error)>(group.Count);
        var (cpu, wall) = WriterStats.On ? (WriterStats.ThreadCpuNs(), System.Diagnostics.Stopwatch.GetTimestamp()) : default;
        try
        {
            using var c = Open();
            CommitWithoutSync(c); // the WAL is synced beside the next group (SqliteStore.Durable.cs)
            using var tx = c.BeginTransaction(deferred: false);
            var rollups = new GroupRollups();
            var events = 0;
            for (var i = 0; i < group.Count || Join(group, events); i++)
            {
                var b = group[i];
                events += b.Events.Count;
                if (group.Count == 1)
                {
                    results.Add((Result(Store(c, tx, b), b.AccountId, rollups), null));
                    continue;
                }

                tx.Save("batch");
                try
                {
                    var stored = Store(c, tx, b);
                    tx.Release("batch");
                    results.Add((Result(stored, b.AccountId, rollups), null));
                }
                catch (Exception ex)
                {
                    // Undone alone, its rollup changes with it (they were not handed to the group); should the
                    // savepoint be gone too (SQLite rolled the whole transaction back on an I/O error), this throws
                    // and the whole group fails below.
                    tx.Rollback("batch");
                    tx.Release("batch");
                    results.Add((null, ex));
                }
            }

            rollups.Write(c);
            tx.Commit();
            if (WriterStats.On)
            {
                WriterStats.Stored(WriterStats.ThreadCpuNs() - cpu, System.Diagnostics.Stopwatch.GetTimestamp() - wall, events, group.Count,
                    $"; since start: {Pipeline.Taken} plans taken ({Pipeline.Replanned} interactions planned again), {Pipeline.Discarded} not used");
            }
        }
        catch (Exception ex)
        {
            // The transaction did not commit: no batch of the group is stored.
            foreach (var b in group)
            {
                Settle(b, null);
                b.Done.TrySetException(ex);
            }

            return;
        }

        for (var i = 0; i < group.Count; i++)
        {
            Settle(group[i], results[i].Result is null ? null : group[i].End);
        }

        // Answered once durable: the writer stores the next group meanwhile.
        _ = AfterCommitAsync().ContinueWith(
            synced =>
            {
                for (var i = 0; i < group.Count; i++)
                {
                    if (synced.Exception is { } failed)
                    {
                        group[i].Done.TrySetException(failed.InnerExceptions);
                    }
                    else if (results[i].Result is { } r)
                    {
                        Signal(group[i].AccountId, r.Changes.Count);
                        group[i].Done.TrySetResult(r);
                    }
                    else
                    {
                        group[i].Done.TrySetException(results[i].Error!);
                    }
                }
            },
            CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
    }

    /// <summary>Moves the batches queued meanwhile into the group, while it holds fewer than <see cref="GroupEvents"/> events; false when none joined.</summary>
    private bool Join(List<QueuedBatch> group, int events)
    {
        if (events >= GroupEvents)
        {
            return false;
        }

        lock (_queueLock)
        {
            if (_queue.Count == 0)
            {
                return false;
            }

            group.AddRange(_queue);
            _queue.Clear();
            return true;
        }
    }

    /// <summary>A stored batch's answer; its rollup changes go to the group's.</summary>
    private static IngestResult Result((bool[] Accepted, IReadOnlyList<Change> Changes, List<RollupChange> Rollups) stored, long accountId, GroupRollups rollups)
    {
        rollups.Add(accountId, stored.Rollups);
        return new(stored.Accepted) { Changes = stored.Changes };
    }

    /// <summary>
    /// The rollup changes of a group's stored batches, per account. The batches of a group share most of their cells
    /// (the same agents, groups, channels and hours), so each changed cell is read, merged and written once for the
    /// group, just before its commit, instead of once per batch. Which cells a batch's changes touch, and by how much
    /// (a dictionary update per value per cell, the larger part of the rollups' cost), is worked out on a pool thread
    /// while the writer stores the next batch: the one writer's serial path bounds ingest, and it leaves a core idle.
    /// </summary>
    private sealed class GroupRollups
    {
        private readonly Dictionary<long, RollupDeltas> _accounts = [];

        /// <summary>The batches' changes, added in turn, one batch after the other (a fault reaches <see cref="Write"/>).</summary>
        private Task _adding = Task.CompletedTask;

        public void Add(long accountId, List<RollupChange> changes)
        {
            if (changes.Count == 0)
            {
                return;
            }

            if (!_accounts.TryGetValue(accountId, out var deltas))
            {
                _accounts.Add(accountId, deltas = new RollupDeltas());
            }

            _adding = _adding.ContinueWith(
                static (before, state) =>
                {
                    before.GetAwaiter().GetResult();
                    var (deltas, changes) = ((RollupDeltas, List<RollupChange>))state!;
                    deltas.Add(changes);
                },
                (deltas, changes), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        }

        public void Write(SqliteConnection c)
        {
            _adding.GetAwaiter().GetResult();
            foreach (var (accountId, deltas) in _accounts)
            {
                WriteRollups(c, accountId, deltas);
            }
        }
    }

    /// <summary>A batch waiting for the writer, and its caller's answer.</summary>
    private sealed class QueuedBatch(long accountId, IReadOnlyList<Event> events)
    {
        public long AccountId => accountId;

        public IReadOnlyList<Event> Events => events;

        public TaskCompletionSource<IngestResult> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Its plan made ahead of the writer (<see cref="PlanAhead"/>); null when the writer plans it.</summary>
        public PlannedBatch? Ahead { get; set; }

        /// <summary>Its account's sequence prediction, settled after the commit (<see cref="Settle"/>).</summary>
        public Sequences? Sequences { get; set; }

        /// <summary>The account's next arrival sequence after the batch, once stored.</summary>
        public long End { get; set; }
    }
}
