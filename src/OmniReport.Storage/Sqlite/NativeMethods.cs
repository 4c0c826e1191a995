using System.Runtime.InteropServices;

namespace OmniReport.Storage.Sqlite;

/// <summary>
/// The column reads of the rollup build's row loop, called on the statement's own pointer in the e_sqlite3 library
/// SQLitePCL loads. Through SQLitePCL each call takes and releases the statement's SafeHandle and goes through the
/// provider's interface: in a profile of the build that was a quarter of the engagements' reading thread, about 20
/// calls a row (issue #11). The calls return at once (the statement is one thread's, its connection's mutex is free),
/// so they also skip the runtime's transition to native code.
/// </summary>
internal static class NativeMethods
{
    private const string Library = "e_sqlite3";

    [DllImport(Library)]
    [SuppressGCTransition]
    internal static extern long sqlite3_column_int64(nint stmt, int column);

    [DllImport(Library)]
    [SuppressGCTransition]
    internal static extern int sqlite3_column_type(nint stmt, int column);

    /// <summary>A pointer to the column's bytes, valid until the next step; ask <see cref="sqlite3_column_bytes"/> after it.</summary>
    [DllImport(Library)]
    [SuppressGCTransition]
    internal static extern nint sqlite3_column_blob(nint stmt, int column);

    [DllImport(Library)]
    [SuppressGCTransition]
    internal static extern int sqlite3_column_bytes(nint stmt, int column);

    /// <summary>SQLITE_TRANSIENT: SQLite copies a bound value before the call returns.</summary>
    internal static readonly nint Transient = -1;

    // The binds of Statement: the integer ones return at once (no allocation), so they skip the transition to native
    // code as the column reads do; text and blobs are copied by SQLite (an allocation), so they keep it.
    [DllImport(Library)]
    [SuppressGCTransition]
    internal static extern int sqlite3_bind_int64(nint stmt, int index, long value);

    [DllImport(Library)]
    [SuppressGCTransition]
    internal static extern int sqlite3_bind_null(nint stmt, int index);

    [DllImport(Library)]
    internal static extern int sqlite3_bind_zeroblob(nint stmt, int index, int length);

    [DllImport(Library)]
    internal static extern int sqlite3_bind_text(nint stmt, int index, ref byte utf8, int length, nint destructor);

    [DllImport(Library)]
    internal static extern int sqlite3_bind_blob(nint stmt, int index, ref byte data, int length, nint destructor);

    /// <summary>
    /// Called by SQLite on the committing thread after each commit in WAL mode, with the frames the WAL holds; it
    /// replaces the autocheckpoint hook (<see cref="SqliteStore"/>'s checkpoints). Returns SQLITE_OK.
    /// </summary>
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    internal delegate int WalHook(nint arg, nint db, nint dbName, int frames);

    [DllImport(Library)]
    internal static extern nint sqlite3_wal_hook(nint db, WalHook hook, nint arg);

    /// <summary>A PASSIVE checkpoint of <paramref name="dbName"/>, as SQLite's own autocheckpoint runs it.</summary>
    [DllImport(Library)]
    internal static extern int sqlite3_wal_checkpoint(nint db, nint dbName);
}
