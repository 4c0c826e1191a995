using Microsoft.Data.Sqlite;

namespace OmniReport.Storage.Sqlite;

/// <summary>
/// The WAL synced beside the writer. With <c>synchronous=FULL</c> each commit waits for the fsync of the WAL with the
/// write lock held, so the one writer idles for the disk before it may store the next group (about 45 ms per commit of a
/// 50,000-event import batch, measured: docs/performance.md, "Import (session 10)"). Ingest groups commit with
/// <c>synchronous=NORMAL</c> instead, which writes the same WAL frames without the fsync, and a syncer then fsyncs the
/// WAL file while the writer stores the next group; each batch is answered, and its changes signalled, only once a sync
/// that began after its commit has finished. So an answer still means durable (SPEC §5.2), as before; what changes is
/// that another reader may see a commit a few milliseconds before it is durable (as with SQLite's own NORMAL mode), and
/// a power loss in that moment takes it away unanswered.
/// </summary>
/// <remarks>
/// Why this is as safe as FULL: a WAL commit is its frames appended to the <c>-wal</c> file; an fsync of that file after
/// the commit's writes makes them durable, whichever descriptor it is issued on. Should the WAL have been started again
/// or removed in between, that was a checkpoint that copied every frame into the database file and synced it first
/// (SQLite syncs checkpoints in NORMAL mode too). The file is opened for each sync, never kept: a WAL removed and made
/// anew is another file. SQLite takes no locks on the <c>-wal</c> file (its WAL locks are on <c>-shm</c>), so closing
/// this descriptor releases none of SQLite's POSIX locks.
/// </remarks>
public sealed partial class SqliteStore
{
    private readonly Lock _syncLock = new();

    /// <summary>The sync that the commits made since the running one began wait for; null when none has asked.</summary>
    private TaskCompletionSource? _nextSync;

    private bool _syncing;

    private long _walSyncs;

    /// <summary>WAL syncs run so far (tests).</summary>
    internal long WalSyncs => Interlocked.Read(ref _walSyncs);

    /// <summary>Runs before each sync (tests: holds it, to show the writer goes on meanwhile).</summary>
    internal Func<Task>? BeforeWalSync { get; init; }

    /// <summary>Sets the writer's connection to commit without the fsync; <see cref="AfterCommitAsync"/> does it.</summary>
    private static void CommitWithoutSync(SqliteConnection c) => Exec(c, null, "PRAGMA synchronous=NORMAL;"); // Open sets FULL again

    /// <summary>
    /// Completes once the WAL is synced by a sync that began after this call: call it after the commit. Commits close
    /// together share one sync; a commit made while a sync runs waits for the next.
    /// </summary>
    private Task AfterCommitAsync()
    {
        lock (_syncLock)
        {
            if (_nextSync is { } waiting)
            {
                return waiting.Task;
            }

            var next = _nextSync = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (!_syncing)
            {
                StartSync();
            }

            return next.Task;
        }
    }

    /// <summary>Starts the sync that <see cref="_nextSync"/> waits for (under <see cref="_syncLock"/>).</summary>
    private void StartSync()
    {
        var done = _nextSync!;
        _nextSync = null;
        _syncing = true;
        _ = Task.Run(async () =>
        {
            try
            {
                if (BeforeWalSync is { } before)
                {
                    await before().ConfigureAwait(false);
                }

                SyncWal();
                Interlocked.Increment(ref _walSyncs);
                done.TrySetResult();
            }
            catch (Exception ex)
            {
                done.TrySetException(ex);
            }

            lock (_syncLock)
            {
                _syncing = false;
                if (_nextSync is not null)
                {
                    StartSync();
                }
            }
        });
    }

    /// <summary>fsync of the WAL file as it is now; none when it is gone (its frames were checkpointed and synced).</summary>
    private void SyncWal()
    {
        FileStream wal;
        try
        {
            // Write access only because .NET flushes to disk only a stream it may write; nothing is written.
            wal = new FileStream(Path + "-wal", FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return;
        }

        using (wal)
        {
            wal.Flush(flushToDisk: true);
        }
    }
}
