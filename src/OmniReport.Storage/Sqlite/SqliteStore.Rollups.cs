using System.Collections.Concurrent;
using System.Data.Common;
using System.Runtime.InteropServices;
using OmniReport.Core.Aggregates;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace OmniReport.Storage.Sqlite;

/// <summary>The rollup reads' row loop on the connection's own handle.</summary>
public sealed partial class SqliteStore
{
    /// <summary>
    /// Steps the statement on the raw handle: the data is read where SQLite holds it (a span, no array per cell) and a
    /// key that came before is not made into a new string. A year by agent reads about 28,000 cells; through ADO.NET
    /// each cost a byte array, a string and a handle check per column (issue #11). Runs in the command's transaction.
    /// </summary>
    private protected override Task ReadRollupRowsAsync(DbCommand cmd, RollupRow row, CancellationToken ct)
    {
        var db = ((SqliteConnection)cmd.Connection!).Handle ?? throw new InvalidOperationException("the connection is not open");
        var rc = raw.sqlite3_prepare_v2(db, cmd.CommandText, out var stmt);
        using (stmt)
        {
            Check(rc, db);
            foreach (DbParameter p in cmd.Parameters)
            {
                Check(raw.sqlite3_bind_int64(stmt, raw.sqlite3_bind_parameter_index(stmt, p.ParameterName), Convert.ToInt64(p.Value, System.Globalization.CultureInfo.InvariantCulture)), db);
            }

            var keys = new Utf8Strings();
            while ((rc = raw.sqlite3_step(stmt)) == raw.SQLITE_ROW)
            {
                ct.ThrowIfCancellationRequested();
                var key = keys.Get(raw.sqlite3_column_blob(stmt, 1));
                row(raw.sqlite3_column_int64(stmt, 0), key, raw.sqlite3_column_blob(stmt, 2));
            }

            if (rc != raw.SQLITE_DONE)
            {
                Check(rc, db);
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// Replaces every rollup cell of the account by what its stored records add up to (<see cref="RollupBuild"/>): the
    /// engagements in key order (start second), the records by their start index, each kind a day at a time. The two
    /// kinds are read at once, each on a connection of its own in a read transaction, while this thread inserts their
    /// cells. The readers see only committed records: so the caller holds the write lock (no other writer) and must not
    /// have written a record in <paramref name="tx"/> before this call (the rebuild's last step and the deferred build
    /// write none); then both see what this transaction sees. The cells are inserted in the order one reader would
    /// (engagements, then records; by day). Reading the records is most of the build's CPU (issue #11: at the end of a
    /// bulk import the build ran on one thread while the other core was idle).
    /// </summary>
    private void BuildRollups(SqliteConnection c, SqliteTransaction tx, long accountId)
    {
        using (var empty = Command(c, tx, "DELETE FROM rollups WHERE account_id = $a"))
        {
            empty.Parameters.AddWithValue("$a", accountId);
            empty.ExecuteNonQuery();
        }

        using var cancel = new CancellationTokenSource();
        var readers = new[] { AggregateKind.Engagements, AggregateKind.Interactions }.Select(kind =>
        {
            // A few days of cells ahead at most: the records' cells wait while the engagements' are inserted.
            var cells = new BlockingCollection<List<(RollupKey Key, byte[] Data)>>(boundedCapacity: 4);
            // Threads of their own: two readers held on pool threads would starve the pool that builds their days.
            var read = Task.Factory.StartNew(() => ReadRollupCells(kind, accountId, cells, cancel.Token), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            return (Cells: cells, Task: read);
        }).ToArray();
        try
        {
            using var insert = new Statement(c, "INSERT INTO rollups (account_id, kind, dims, tier, start_ms, key, data) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
            insert.Bind(1, accountId);
            foreach (var (cells, task) in readers)
            {
                foreach (var day in cells.GetConsumingEnumerable())
                {
                    foreach (var (k, data) in day)
                    {
                        insert.Bind(2, k.Kind);
                        insert.Bind(3, k.Dims);
                        insert.Bind(4, k.Tier);
                        insert.Bind(5, k.Start);
                        insert.Bind(6, k.Key);
                        insert.Bind(7, data);
                        insert.Execute();
                    }
                }

                task.GetAwaiter().GetResult(); // a reader that failed stopped adding: its error is the build's
            }
        }
        catch
        {
            cancel.Cancel();
            foreach (var (_, task) in readers)
            {
                try
                {
                    task.Wait(CancellationToken.None);
                }
                catch (AggregateException)
                {
                    // Stopped by the cancel or failed on its own: the error being thrown is the one to report.
                }
            }

            throw;
        }
        finally
        {
            foreach (var (cells, _) in readers)
            {
                cells.Dispose();
            }
        }
    }

    /// <summary>
    /// One kind's cells, a day at a time, into <paramref name="cells"/> (completed at the end, or when it fails). The
    /// typed columns are read on the statement's pointer into reused arrays (<see cref="NativeMethods"/>; through
    /// ADO.NET, a type test and a new string per column per row were most of the build).
    /// </summary>
    private void ReadRollupCells(AggregateKind kind, long accountId, BlockingCollection<List<(RollupKey Key, byte[] Data)>> cells, CancellationToken ct)
    {
        try
        {
            var sql = kind == AggregateKind.Engagements
                ? $"SELECT {AggregateReads.EngagementColumns} FROM engagements WHERE account_id = ?1 ORDER BY start_second"
                : $"SELECT {AggregateReads.InteractionColumns} FROM interactions WHERE account_id = ?1 AND start_ms IS NOT NULL ORDER BY start_ms";
            using var scan = OpenForScan();
            using var snapshot = scan.Connection.BeginTransaction(deferred: true);
            var db = scan.Connection.Handle ?? throw new InvalidOperationException("the connection is not open");
            var build = new RollupBuild();
            var strings = new Utf8Strings();
            var dims = new string?[kind.Dimensions.Count];
            var values = new long?[kind.Numeric.Count];
            var text = new byte[256];
            var rc = raw.sqlite3_prepare_v2(db, sql, out var stmt);
            using (stmt)
            {
                Check(rc, db);
                Check(raw.sqlite3_bind_int64(stmt, 1, accountId), db);
                var row = stmt.DangerousGetHandle();
                while ((rc = raw.sqlite3_step(stmt)) == raw.SQLITE_ROW)
                {
                    for (var i = 0; i < dims.Length; i++)
                    {
                        // No bytes is "" or NULL: only then is the type asked.
                        var utf8 = NativeMethods.sqlite3_column_blob(row, 1 + i);
                        var n = NativeMethods.sqlite3_column_bytes(row, 1 + i);
                        if (n == 0)
                        {
                            dims[i] = NativeMethods.sqlite3_column_type(row, 1 + i) == raw.SQLITE_NULL ? null : "";
                            continue;
                        }

                        if (n > text.Length)
                        {
                            text = new byte[n];
                        }

                        Marshal.Copy(utf8, text, 0, n);
                        dims[i] = strings.Get(text.AsSpan(0, n));
                    }

                    for (var i = 0; i < values.Length; i++)
                    {
                        var col = 1 + dims.Length + i;
                        var v = NativeMethods.sqlite3_column_int64(row, col);
                        values[i] = v != 0 || NativeMethods.sqlite3_column_type(row, col) != raw.SQLITE_NULL ? v : null;
                    }

                    build.Add(kind, NativeMethods.sqlite3_column_int64(row, 0), dims, values);
                    if (build.Done.Count > 0)
                    {
                        cells.Add([.. build.Done], ct);
                        build.Done.Clear();
                    }
                }

                if (rc != raw.SQLITE_DONE)
                {
                    Check(rc, db);
                }
            }

            build.Flush();
            if (build.Done.Count > 0)
            {
                cells.Add([.. build.Done], ct);
            }
        }
        finally
        {
            cells.CompleteAdding();
        }
    }

    private static void Check(int rc, sqlite3 db)
    {
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, db);
        }
    }
}
