using System.Data.Common;

namespace OmniReport.Storage.Sql;

/// <summary>
/// What the SQL written once for both stores (<see cref="SqlStore"/>) needs to know of the database under it. Both
/// databases take <c>$1, $2, …</c> in the text (SQLite as parameter names, PostgreSQL by position), <c>RETURNING</c>,
/// <c>ON CONFLICT … DO UPDATE</c> and row values, so what is left is short: locks, lists, type names, errors.
/// </summary>
internal abstract class SqlDialect
{
    /// <summary>The folder of embedded migrations ("sqlite" or "postgres").</summary>
    public abstract string MigrationsFolder { get; }

    /// <summary>Run before the migrations, outside any transaction (SQLite turns WAL on), or null.</summary>
    public abstract string? MigrationPreamble { get; }

    /// <summary>Run first in the migration transaction so one process migrates at a time, or null (SQLite: the write lock is enough).</summary>
    public abstract string? MigrationLock { get; }

    /// <summary>Type names for the few tables the shared code creates itself.</summary>
    public abstract string IntType { get; }

    /// <summary>A 64-bit integer.</summary>
    public abstract string BigIntType { get; }

    /// <summary>Text.</summary>
    public abstract string TextType { get; }

    /// <summary>
    /// Appended to a SELECT that reads rows the transaction goes on to change: PostgreSQL locks them; SQLite's write
    /// transaction already holds the whole file.
    /// </summary>
    public abstract string ForUpdate { get; }

    /// <summary>As <see cref="ForUpdate"/>, passing over rows other transactions hold (the report-job claim).</summary>
    public abstract string ForUpdateSkipLocked { get; }

    /// <summary>
    /// The account's last change sequence (0 before its first change), as an SQL expression of the account id
    /// <paramref name="accountId"/> (an expression too): SQLite keeps the next one on the account's row, PostgreSQL in a
    /// row of its own (<c>change_seq</c>, so writers do not queue on the account's row).
    /// </summary>
    public abstract string LastChange(string accountId);

    /// <summary><c>column</c> is one of a list parameter (<see cref="ListValue"/>).</summary>
    public abstract string InList(string column, string parameter);

    /// <summary>A list of text as the parameter <see cref="InList"/> reads.</summary>
    public abstract object ListValue(string[] values);

    /// <summary>A bytes parameter that does not copy <paramref name="data"/> where the driver can avoid it.</summary>
    public abstract DbParameter Blob(ReadOnlyMemory<byte> data);

    /// <summary>Gives a parameter its place: the n-th (from 1) of the command.</summary>
    public abstract void Place(DbParameter p, int n);

    /// <summary>A unique key was violated.</summary>
    public abstract bool IsUniqueViolation(DbException e);
}
