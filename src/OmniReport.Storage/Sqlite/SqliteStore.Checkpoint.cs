using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace OmniReport.Storage.Sqlite;

/// <summary>
/// WAL checkpoints off the writer's path. SQLite's autocheckpoint copies the WAL into the database file (and fsyncs it)
/// on the thread whose commit took the WAL past its limit, inside that commit: here the one writer, holding the write
/// lock, so every batch queued behind it waited for the copy (in the 2 s windows of an HTTP ingest run that checkpointed,
/// the commit took twice its usual CPU: docs/performance.md, "Session 9: the cost of a row"). Instead each time the WAL
/// has grown by <see cref="CheckpointFrames"/> frames a commit wakes a checkpointer task, which runs a PASSIVE checkpoint
/// on a connection of its own while the writer goes on (a passive checkpoint never blocks the writer or the readers).
/// SQLite starts the WAL again from its beginning only when a write begins with all of it copied, which a writer
/// committing back to back rarely allows, so past <see cref="RestartFrames"/> the checkpointer also copies the rest
/// between two groups (RESTART). Should it fall behind (a reader keeping an old snapshot, a slow disk), the committing
/// writer checkpoints itself past <see cref="WriterCheckpointFrames"/>, as autocheckpoint did before.
/// </summary>
public sealed partial class SqliteStore
{
    /// <summary>The stores that are open, by the number their connections' hooks carry (a pooled connection outlives its store).</summary>
    private static readonly ConcurrentDictionary<nint, SqliteStore> Checkpointed = new();

    /// <summary>Kept in a static field: SQLite holds a pointer to it for as long as any connection lives.</summary>
    private static readonly NativeMethods.WalHook Hook = OnCommit;

    private static long _lastStoreNumber;

    private readonly nint _storeNumber = (nint)Interlocked.Increment(ref _lastStoreNumber);
    private readonly SemaphoreSlim _checkpointDue = new(0, 1);
    private readonly CancellationTokenSource _stopCheckpoints = new();
    private Task _checkpointer = Task.CompletedTask;
    private int _checkpoints;
    private int _walFrames;
    private int _checkpointAt;

    /// <summary>WAL frames at which a commit asks for a background checkpoint: 64 MB of 4 KB pages.</summary>
    internal int CheckpointFrames { get; init; } = 16_384;

    /// <summary>What <c>PRAGMA wal_autocheckpoint</c> was set to before: 256 MB of 4 KB pages.</summary>
    private const int AutocheckpointFrames = 65_536;

    /// <summary>WAL frames past which the committing writer checkpoints itself, as autocheckpoint did.</summary>
    internal int WriterCheckpointFrames { get; init; } = AutocheckpointFrames;

    /// <summary>WAL frames at which the checkpointer also restarts the WAL (<see cref="CheckpointLoopAsync"/>).</summary>
    internal int RestartFrames { get; init; } = 3 * 16_384;

    /// <summary>Background checkpoints run so far (tests).</summary>
    internal int CheckpointsRun => Volatile.Read(ref _checkpoints);

    /// <summary>Starts the checkpointer; its hook is set on each connection the store opens (<see cref="Open"/>).</summary>
    private void StartCheckpoints()
    {
        Checkpointed[_storeNumber] = this;
        _checkpointer = Task.Run(() => CheckpointLoopAsync(_stopCheckpoints.Token));
    }

    private async Task StopCheckpointsAsync()
    {
        if (!Checkpointed.TryRemove(_storeNumber, out _))
        {
            return; // disposed before
        }

        await _stopCheckpoints.CancelAsync().ConfigureAwait(false);
        await _checkpointer.ConfigureAwait(false);
        _stopCheckpoints.Dispose();
        _checkpointDue.Dispose();
    }

    /// <summary>Replaces the connection's autocheckpoint with <see cref="OnCommit"/>.</summary>
    private void HookCheckpoints(SqliteConnection c) =>
        NativeMethods.sqlite3_wal_hook(c.Handle!.DangerousGetHandle(), Hook, _storeNumber);

    /// <summary>
    /// After each commit, on the committing thread: wake the checkpointer each time the WAL has grown by
    /// <see cref="CheckpointFrames"/>, or checkpoint here past the writer's limit (as SQLite's own autocheckpoint hook
    /// does, inside this hook). Never throws into SQLite.
    /// </summary>
    private static int OnCommit(nint storeNumber, nint db, nint dbName, int frames)
    {
        try
        {
            if (!Checkpointed.TryGetValue(storeNumber, out var store))
            {
                // The store that opened this pooled connection is closed: autocheckpoint's behaviour.
                if (frames >= AutocheckpointFrames)
                {
                    NativeMethods.sqlite3_wal_checkpoint(db, dbName);
                }
            }
            else if (frames >= store.WriterCheckpointFrames)
            {
                NativeMethods.sqlite3_wal_checkpoint(db, dbName);
            }
            else
            {
                store.WalGrew(frames);
            }
        }
        catch (Exception ex) when (ex is SemaphoreFullException or ObjectDisposedException)
        {
            // Already woken, or the store is closing: nothing to do.
        }

        return 0; // SQLITE_OK
    }

    /// <summary>Wakes the checkpointer once per <see cref="CheckpointFrames"/> frames (commits are serialized by the write lock).</summary>
    private void WalGrew(int frames)
    {
        if (_checkpointAt == 0 || frames < _walFrames)
        {
            _checkpointAt = CheckpointFrames; // the first commit, or the WAL was restarted from its start
        }

        _walFrames = frames;
        if (frames >= _checkpointAt)
        {
            _checkpointAt = frames + CheckpointFrames;
            if (_checkpointDue.CurrentCount == 0)
            {
                _checkpointDue.Release();
            }
        }
    }

    private async Task CheckpointLoopAsync(CancellationToken stop)
    {
        while (true)
        {
            try
            {
                await _checkpointDue.WaitAsync(stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                // Not from the pool: the writer keeps getting the pooled connection whose page cache is warm.
                using var c = new SqliteConnection(_checkpointConnectionString);
                c.Open();
                var walFrames = Checkpoint(c, "PASSIVE", busyMs: 60_000);
                if (walFrames >= RestartFrames)
                {
                    // The WAL starts again from its beginning only when a write begins with all of it copied, which a
                    // writer committing all the time rarely allows: copy the little that came meanwhile between two
                    // groups, under the write lock (RESTART), and give up at once (busy) rather than hold the writer
                    // off behind a long read.
                    await _write.WaitAsync(stop).ConfigureAwait(false);
                    try
                    {
                        Checkpoint(c, "RESTART", busyMs: 20);
                    }
                    finally
                    {
                        _write.Release();
                    }
                }

                Interlocked.Increment(ref _checkpoints);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (SqliteException)
            {
                // Nothing is lost: the frames stay in the WAL, the next commit past the limit asks again, and the
                // writer checkpoints itself past WriterCheckpointFrames.
            }
        }
    }

    /// <summary>Runs a checkpoint in <paramref name="mode"/>; returns the frames the WAL holds.</summary>
    private static long Checkpoint(SqliteConnection c, string mode, int busyMs)
    {
        Exec(c, null, $"PRAGMA busy_timeout={busyMs};");
        using var cmd = Command(c, null, $"PRAGMA wal_checkpoint({mode});");
        using var r = cmd.ExecuteReader();
        return r.Read() ? r.GetInt64(1) : 0;
    }
}
