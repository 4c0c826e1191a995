using System.Data.Common;
using OmniReport.Core.Settings;

namespace OmniReport.Storage.Sql;

/// <summary>
/// What both stores do with the same SQL, written once over ADO.NET (<see cref="DbConnection"/>, <see cref="DbCommand"/>)
/// and a <see cref="SqlDialect"/>: the migration runner, accounts, tokens and settings, OAuth clients, connector secrets,
/// the report-job queue and the reads of derived records. A store adds only what really differs: how it opens
/// connections and runs a write transaction, and its ingest and locking path. A new concern whose SQL is the same in
/// both databases goes here as one more partial file (<c>SqlStore.Xxx.cs</c>).
/// </summary>
public abstract partial class SqlStore
{
    private protected SqlStore(TimeProvider time) => Clock = time;

    /// <summary>Where time comes from.</summary>
    private protected TimeProvider Clock { get; }

    private protected long NowMs => Clock.GetUtcNow().ToUnixTimeMilliseconds();

    private protected abstract SqlDialect Dialect { get; }

    /// <summary>
    /// Opens a connection for reads; <paramref name="scan"/> for a long scan or a large blob (SQLite gives it a small
    /// page cache). Give it back with <see cref="CloseAsync"/> (or use <see cref="ReadAsync"/>).
    /// </summary>
    private protected abstract ValueTask<DbConnection> OpenAsync(bool scan, CancellationToken ct);

    /// <summary>Gives back a connection of <see cref="OpenAsync"/>.</summary>
    private protected virtual ValueTask CloseAsync(DbConnection c, bool scan) => c.DisposeAsync();

    /// <summary>
    /// Runs <paramref name="work"/> in a write transaction and commits it when the work returns (SQLite: as this
    /// process's one writer, holding the file's write lock from the start). <paramref name="bulk"/>: a large write that
    /// needs no durability of its own (report file parts: a later commit makes them durable).
    /// </summary>
    private protected abstract Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, bool bulk, CancellationToken ct);

    /// <summary>A read connection given back when disposed.</summary>
    private protected async ValueTask<Lease> ReadAsync(bool scan, CancellationToken ct) => new(this, await OpenAsync(scan, ct).ConfigureAwait(false), scan);

    /// <summary>A command with <paramref name="args"/> as $1, $2, … (null is SQL NULL; a <see cref="DbParameter"/> goes in as it is).</summary>
    private protected DbCommand Sql(DbConnection c, DbTransaction? tx, string sql, params object?[] args)
    {
        var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = tx;
        foreach (var a in args)
        {
            Bind(cmd, a);
        }

        return cmd;
    }

    /// <summary>Adds the next positional parameter; returns its text ($n).</summary>
    private protected string Bind(DbCommand cmd, object? value)
    {
        var p = value as DbParameter ?? cmd.CreateParameter();
        if (!ReferenceEquals(p, value))
        {
            p.Value = value ?? DBNull.Value;
        }

        var n = cmd.Parameters.Count + 1;
        Dialect.Place(p, n);
        cmd.Parameters.Add(p);
        return "$" + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private protected async Task<int> ExecAsync(DbConnection c, DbTransaction? tx, string sql, CancellationToken ct, params object?[] args)
    {
        await using var cmd = Sql(c, tx, sql, args);
        return await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    private protected async Task<object?> ScalarAsync(DbConnection c, DbTransaction? tx, string sql, CancellationToken ct, params object?[] args)
    {
        await using var cmd = Sql(c, tx, sql, args);
        var v = await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false);
        return v is DBNull ? null : v;
    }

    /// <summary>Every row of a query, read by <paramref name="read"/>.</summary>
    private protected async Task<List<T>> ListAsync<T>(DbConnection c, DbTransaction? tx, Func<DbDataReader, T> read, string sql, CancellationToken ct, params object?[] args)
    {
        await using var cmd = Sql(c, tx, sql, args);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var list = new List<T>();
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            list.Add(read(r));
        }

        return list;
    }

    /// <summary>The account's settings; throws <see cref="KeyNotFoundException"/> when there is no such account.</summary>
    private protected async Task<AccountSettings> ReadSettingsAsync(DbConnection c, DbTransaction? tx, long accountId, CancellationToken ct)
    {
        await using var cmd = Sql(c, tx, "SELECT settings FROM accounts WHERE id = $1", accountId);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        if (!await r.ReadAsync(ct).ConfigureAwait(false))
        {
            throw new KeyNotFoundException($"no account with id {accountId}");
        }

        return StoredSettings.Read(r.IsDBNull(0) ? null : r.GetString(0));
    }

    /// <summary>A read connection of <see cref="ReadAsync"/>, given back when disposed.</summary>
    private protected readonly struct Lease(SqlStore store, DbConnection connection, bool scan) : IAsyncDisposable
    {
        public DbConnection Connection => connection;

        public ValueTask DisposeAsync() => store.CloseAsync(connection, scan);
    }
}
