using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace OmniReport.Storage.Sqlite;

/// <summary>
/// A prepared statement on a connection's own handle, bound by position: the ingest path's row-at-a-time
/// statements. ADO.NET binds every parameter by name on every execution (a name lookup and a value type
/// test per value), which cost more than SQLite's own work on a batch of small rows. Runs inside whatever
/// transaction the connection has open.
/// </summary>
internal sealed class Statement : IDisposable, DerivedRows.IRow
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _stmt;

    public Statement(SqliteConnection c, string sql)
    {
        _db = c.Handle ?? throw new InvalidOperationException("the connection is not open");
        Check(raw.sqlite3_prepare_v2(_db, sql, out _stmt));
    }

    public void Bind(int index, long value) => Check(raw.sqlite3_bind_int64(_stmt, index, value));

    public void Bind(int index, long? value) =>
        Check(value is { } v ? raw.sqlite3_bind_int64(_stmt, index, v) : raw.sqlite3_bind_null(_stmt, index));

    /// <summary>
    /// Binds text as UTF-16 (SQLite converts it). An empty string goes through the UTF-8 overload: an empty
    /// span pins to a null pointer, which SQLite binds as NULL, not as "".
    /// </summary>
    public void Bind(int index, string? value) =>
        Check(value is null ? raw.sqlite3_bind_null(_stmt, index)
            : value.Length == 0 ? raw.sqlite3_bind_text(_stmt, index, "")
            : raw.sqlite3_bind_text16(_stmt, index, value.AsSpan()));

    public void Bind(int index, byte[]? value) =>
        Check(value is null ? raw.sqlite3_bind_null(_stmt, index)
            : value.Length == 0 ? raw.sqlite3_bind_zeroblob(_stmt, index, 0)
            : raw.sqlite3_bind_blob(_stmt, index, value));

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
