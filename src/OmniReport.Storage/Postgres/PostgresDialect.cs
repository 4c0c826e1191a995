using System.Data.Common;
using Npgsql;
using NpgsqlTypes;
using OmniReport.Storage.Sql;

namespace OmniReport.Storage.Postgres;

/// <summary>PostgreSQL's side of <see cref="SqlDialect"/>.</summary>
internal sealed class PostgresDialect : SqlDialect
{
    public static readonly PostgresDialect Instance = new();

    private const long MigrationLockKey = 0x4F6D6E695265706FL; // "OmniRepo"

    public override string MigrationsFolder => "postgres";

    public override string? MigrationPreamble => null;

    // One migrating process at a time; the others wait, then find the work done.
    public override string? MigrationLock => $"SELECT pg_advisory_xact_lock({MigrationLockKey})";

    public override string IntType => "int";

    public override string BigIntType => "bigint";

    public override string TextType => "text";

    public override string ForUpdate => " FOR UPDATE";

    // Several serve processes never take the same job, and none waits for another's claim.
    public override string ForUpdateSkipLocked => " FOR UPDATE SKIP LOCKED";

    // change_seq is written in the transaction that logs the changes: what it says is committed.
    public override string LastChange(string accountId) => $"coalesce((SELECT next - 1 FROM change_seq WHERE account_id = {accountId}), 0)";

    public override string InList(string column, string parameter) => $"{column} = ANY({parameter})";

    public override object ListValue(string[] values) => values;

    public override DbParameter Blob(ReadOnlyMemory<byte> data) =>
        new NpgsqlParameter<ReadOnlyMemory<byte>> { TypedValue = data, NpgsqlDbType = NpgsqlDbType.Bytea };

    // Positional: an unnamed parameter is $n by its place in the collection.
    public override void Place(DbParameter p, int n)
    {
    }

    public override bool IsUniqueViolation(DbException e) => e is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };
}
