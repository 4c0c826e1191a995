using System.Data.Common;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using OmniReport.Storage.Sql;

namespace OmniReport.Storage.Sqlite;

/// <summary>SQLite's side of <see cref="SqlDialect"/>.</summary>
internal sealed class SqliteDialect : SqlDialect
{
    public static readonly SqliteDialect Instance = new();

    private static readonly string[] Names = [.. Enumerable.Range(0, 33).Select(n => "$" + n)];

    public override string MigrationsFolder => "sqlite";

    public override string? MigrationPreamble => "PRAGMA journal_mode=WAL;";

    public override string? MigrationLock => null;

    public override string IntType => "INTEGER";

    public override string BigIntType => "INTEGER";

    public override string TextType => "TEXT";

    public override string ForUpdate => "";

    public override string ForUpdateSkipLocked => "";

    public override string LastChange(string accountId) => $"(SELECT next_change - 1 FROM accounts WHERE id = {accountId})";

    public override string InList(string column, string parameter) => $"{column} IN (SELECT value FROM json_each({parameter}))";

    public override object ListValue(string[] values) => System.Text.Json.JsonSerializer.Serialize(values);

    // The part is bound as it is when it fills its array (no 1 MB copy per part on the large-object heap).
    public override DbParameter Blob(ReadOnlyMemory<byte> data) => new SqliteParameter
    {
        SqliteType = SqliteType.Blob,
        Value = MemoryMarshal.TryGetArray(data, out var whole) && whole.Offset == 0 && whole.Count == whole.Array!.Length ? whole.Array : data.ToArray(),
    };

    // "$1" is a parameter name to SQLite; the text is the same as PostgreSQL's.
    public override void Place(DbParameter p, int n) => p.ParameterName = n < Names.Length ? Names[n] : "$" + n;

    public override bool IsUniqueViolation(DbException e) => e is SqliteException { SqliteErrorCode: 19 };
}
