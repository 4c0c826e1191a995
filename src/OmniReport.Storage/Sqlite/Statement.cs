using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace OmniReport.Storage.Sqlite;

/// <summary>
/// A prepared statement on a connection's own handle, bound by position: the ingest path's row-at-a-time
/// statements. ADO.NET binds every parameter by name on every execution (a name lookup and a value type
/// test per value), which cost more than SQLite's own work on a batch of small rows. Runs inside whatever
/// transaction the connection has open. Values are bound on the statement's own pointer (<see cref="NativeMethods"/>):
/// about a dozen thousand values per 1,000 ingested events, each of which went through SQLitePCL's SafeHandle take and
/// release and its provider's dispatch; text is bound as UTF-8, the database's encoding, so SQLite no longer converts
/// each value from UTF-16 when it makes the row.
/// </summary>
internal sealed class Statement : IDisposable, DerivedRows.IRow
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _stmt;

    /// <summary>The statement's pointer, owned by <see cref="_stmt"/> (finalized when this is disposed).</summary>
    private readonly nint _handle;

    /// <summary>Text encoded for binding; SQLite copies it (SQLITE_TRANSIENT), so one buffer serves every value.</summary>
    private byte[] _utf8 = new byte[256];

    public Statement(SqliteConnection c, string sql)
    {
        _db = c.Handle ?? throw new InvalidOperationException("the connection is not open");
        Check(raw.sqlite3_prepare_v2(_db, sql, out _stmt));
        _handle = _stmt.DangerousGetHandle();
    }

    public void Bind(int index, long value) => Check(NativeMethods.sqlite3_bind_int64(_handle, index, value));

    public void Bind(int index, long? value) =>
        Check(value is { } v ? NativeMethods.sqlite3_bind_int64(_handle, index, v) : NativeMethods.sqlite3_bind_null(_handle, index));

    /// <summary>
    /// Binds text as UTF-8. The buffer is never empty, so "" binds a zero-length text at a real pointer (a null pointer
    /// would bind NULL).
    /// </summary>
    public void Bind(int index, string? value)
    {
        if (value is null)
        {
            Check(NativeMethods.sqlite3_bind_null(_handle, index));
            return;
        }

        if (Encoding.UTF8.GetMaxByteCount(value.Length) > _utf8.Length)
        {
            _utf8 = new byte[Encoding.UTF8.GetMaxByteCount(value.Length)];
        }

        var length = Encoding.UTF8.GetBytes(value, _utf8);
        Check(NativeMethods.sqlite3_bind_text(_handle, index, ref MemoryMarshal.GetArrayDataReference(_utf8), length, NativeMethods.Transient));
    }

    public void Bind(int index, byte[]? value) =>
        Check(value is null ? NativeMethods.sqlite3_bind_null(_handle, index)
            : value.Length == 0 ? NativeMethods.sqlite3_bind_zeroblob(_handle, index, 0)
            : NativeMethods.sqlite3_bind_blob(_handle, index, ref MemoryMarshal.GetArrayDataReference(value), value.Length, NativeMethods.Transient));

    /// <summary>Runs a statement that returns no rows; returns how many rows it changed.</summary>
    public int Execute()
    {
        var rc = raw.sqlite3_step(_stmt);
        raw.sqlite3_reset(_stmt);
        if (rc != raw.SQLITE_DONE)
        {
            Check(rc);
        }

        return raw.sqlite3_changes(_db);
    }

    /// <summary>Steps a query: true when a row is there to read. <see cref="Reset"/> when done with it.</summary>
    public bool Read()
    {
        var rc = raw.sqlite3_step(_stmt);
        if (rc == raw.SQLITE_ROW)
        {
            return true;
        }

        raw.sqlite3_reset(_stmt);
        if (rc != raw.SQLITE_DONE)
        {
            Check(rc);
        }

        return false;
    }

    public void Reset() => raw.sqlite3_reset(_stmt);

    public bool IsNull(int column) => raw.sqlite3_column_type(_stmt, column) == raw.SQLITE_NULL;

    public long Int64(int column) => raw.sqlite3_column_int64(_stmt, column);

    public string Text(int column) => raw.sqlite3_column_text(_stmt, column).utf8_to_string();

    public byte[]? Blob(int column) => IsNull(column) ? null : raw.sqlite3_column_blob(_stmt, column).ToArray();

    /// <summary>True when the column holds exactly these bytes (null: SQL NULL), read in place.</summary>
    public bool BlobEquals(int column, byte[]? expected) =>
        expected is null ? IsNull(column) : !IsNull(column) && raw.sqlite3_column_blob(_stmt, column).SequenceEqual(expected);

    public void Dispose() => _stmt.Dispose();

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }
    }
}
