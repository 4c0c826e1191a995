using System.Data.Common;
using System.Text;
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

            var keys = new Dictionary<string, string>(StringComparer.Ordinal);
            var lookup = keys.GetAlternateLookup<ReadOnlySpan<char>>();
            Span<char> chars = stackalloc char[256];
            while ((rc = raw.sqlite3_step(stmt)) == raw.SQLITE_ROW)
            {
                ct.ThrowIfCancellationRequested();
                var utf8 = raw.sqlite3_column_blob(stmt, 1);
                string key;
                if (utf8.Length <= chars.Length && Encoding.UTF8.GetChars(utf8, chars) is var n && lookup.TryGetValue(chars[..n], out var known))
                {
                    key = known;
                }
                else
                {
                    key = Encoding.UTF8.GetString(utf8);
                    keys.TryAdd(key, key);
                }

                row(raw.sqlite3_column_int64(stmt, 0), key, raw.sqlite3_column_blob(stmt, 2));
            }

            if (rc != raw.SQLITE_DONE)
            {
                Check(rc, db);
            }
        }

        return Task.CompletedTask;
    }

    private static void Check(int rc, sqlite3 db)
    {
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, db);
        }
    }
}
