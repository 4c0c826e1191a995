using System.Data;
using System.Data.Common;
using Npgsql;
using NpgsqlTypes;
using OmniReport.Core.Settings;
using OmniReport.Storage.Sql;

namespace OmniReport.Storage.Postgres;

/// <summary>
/// The store in PostgreSQL (Npgsql). Stateless between calls: several processes may share one database.
/// Writers of one interaction are serialized by its row lock (SELECT ... FOR UPDATE, taken in id order);
/// a settings change holds the account row against ingest, so no batch derives with settings that have
/// just been replaced. Whole batches go in with array parameters (unnest), a handful of round trips each.
/// What both databases do alike is in <see cref="SqlStore"/>; this class keeps the pool and the ingest path.
/// </summary>
public sealed partial class PostgresStore : SqlStore, IStore
{
    private readonly NpgsqlDataSource _source;

    /// <summary>Opens a pool on the database named by a connection string.</summary>
    public PostgresStore(string connectionString, TimeProvider time)
        : base(time)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (string.IsNullOrEmpty(builder.ApplicationName))
        {
            builder.ApplicationName = "omnireport";
        }

        _source = NpgsqlDataSource.Create(builder.ConnectionString);
    }

    /// <inheritdoc />
    public string Kind => "postgresql";

    private protected override SqlDialect Dialect => PostgresDialect.Instance;

    private protected override string EngagementsByIdTable => "engagements";

    /// <inheritdoc />
    public Task<int> ReleaseOrphanedReportJobsAsync(CancellationToken ct = default) =>
        Task.FromResult(0); // several servers share the database: a job's lease is the only sign its worker died

    /// <inheritdoc />
    public Task<int> ReleaseOrphanedWebhookLeasesAsync(CancellationToken ct = default) =>
        Task.FromResult(0); // several servers share the database: a claim's lease is the only sign its process died

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _source.DisposeAsync();

    private protected override async ValueTask<DbConnection> OpenAsync(bool scan, CancellationToken ct) =>
        await _source.OpenConnectionAsync(ct).ConfigureAwait(false);

    private protected override async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, bool bulk, CancellationToken ct)
    {
        await using var c = await _source.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var tx = await c.BeginTransactionAsync(ct).ConfigureAwait(false);
        if (bulk)
        {
            // No wait for the WAL flush (SqlStore.WriteAsync): a later synchronous commit flushes up to and with it.
            await ExecAsync(c, tx, "SET LOCAL synchronous_commit = off", ct).ConfigureAwait(false);
        }

        var result = await work(c, tx).ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);
        return result;
    }

    private protected override async ValueTask<DbTransaction> BeginSnapshotAsync(DbConnection c, CancellationToken ct) =>
        await c.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct).ConfigureAwait(false);

    private static async Task ExecAsync(NpgsqlConnection c, NpgsqlTransaction? tx, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, c, tx);
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    private static async Task<AccountSettings> ReadSettingsAsync(NpgsqlConnection c, NpgsqlTransaction? tx, long accountId, bool lockShare, CancellationToken ct)
    {
        // FOR SHARE: a settings change (which updates this row) waits for running batches and they for it.
        await using var cmd = new NpgsqlCommand("SELECT settings FROM accounts WHERE id = $1" + (lockShare ? " FOR SHARE" : ""), c, tx);
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = accountId });
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        if (!await r.ReadAsync(ct).ConfigureAwait(false))
        {
            throw new KeyNotFoundException($"no account with id {accountId}");
        }

        return StoredSettings.Read(r.IsDBNull(0) ? null : r.GetString(0));
    }

    /// <summary>
    /// The settings (the accounts row held FOR SHARE, as <see cref="ReadSettingsAsync"/>) and which changes go to the
    /// rollups: none while the account has a rebuild row (<see cref="RollupScope"/>). The row is read with a lock (FOR KEY
    /// SHARE: rebuild steps, which update it, run beside writers), so a writer that waited for the end of a rebuild
    /// (which removes the row holding the accounts row exclusively) reads it gone, and writes to the rollups just built.
    /// </summary>
    private static async Task<(AccountSettings Settings, RollupScope Rollups)> ReadSettingsForWriteAsync(NpgsqlConnection c, NpgsqlTransaction tx, long accountId, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(
            "SELECT settings, (SELECT after FROM rebuilds WHERE account_id = $1 FOR KEY SHARE) FROM accounts WHERE id = $1 FOR SHARE", c, tx);
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = accountId });
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        if (!await r.ReadAsync(ct).ConfigureAwait(false))
        {
            throw new KeyNotFoundException($"no account with id {accountId}");
        }

        return (StoredSettings.Read(r.IsDBNull(0) ? null : r.GetString(0)), RollupScope.During(r.IsDBNull(1) ? null : r.GetString(1)));
    }

    private static NpgsqlParameter Array<T>(T[] values, NpgsqlDbType elementType) =>
        new() { Value = values, NpgsqlDbType = NpgsqlDbType.Array | elementType };

    /// <summary>Adds positional parameters ($1, $2, …) with their CLR types.</summary>
    private static void Add(NpgsqlCommand cmd, params object[] values)
    {
        foreach (var v in values)
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = v });
        }
    }
}
