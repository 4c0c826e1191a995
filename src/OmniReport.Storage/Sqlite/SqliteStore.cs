using System.Data.Common;
using Microsoft.Data.Sqlite;
using OmniReport.Core.Settings;
using OmniReport.Storage.Sql;

namespace OmniReport.Storage.Sqlite;

/// <summary>
/// The store in an embedded SQLite file in WAL mode: readers never wait for the writer, and a batch is one
/// transaction, so a crash leaves all of it or none of it. Writes from this process are serialized here;
/// other processes on the same file wait on SQLite's lock (busy timeout). What both databases do alike is in
/// <see cref="SqlStore"/>; this class keeps connections, the write lock and the ingest path.
/// </summary>
public sealed partial class SqliteStore : SqlStore, IStore
{
    private readonly string _connectionString;
    private readonly string _checkpointConnectionString;
    private readonly SemaphoreSlim _write = new(1, 1);

    static SqliteStore() => SQLitePCL.Batteries_V2.Init();

    /// <summary>Opens (creating when missing) the database file at <paramref name="path"/>.</summary>
    public SqliteStore(string path, TimeProvider time)
        : base(time)
    {
        Path = System.IO.Path.GetFullPath(path);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 60,
        }.ToString();
        _checkpointConnectionString = new SqliteConnectionStringBuilder(_connectionString) { Pooling = false }.ToString();
        StartCheckpoints();
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <inheritdoc />
    public string Kind => "sqlite";

    private protected override SqlDialect Dialect => SqliteDialect.Instance;

    private protected override string EngagementsByIdTable => "engagements INDEXED BY engagements_by_id";

    /// <inheritdoc />
    public Task<int> ReleaseOrphanedReportJobsAsync(CancellationToken ct = default) =>
        // The file is this server's: a job still processing was left by a process that died. Its attempt stays as it
        // is, so should that process still be alive after all, it can no longer finish the job.
        WriteAsync((c, tx) => ExecAsync(c, tx, $"UPDATE report_jobs SET lease_until_ms = 0 WHERE status = {JobStatusSql.Processing}", ct), bulk: false, ct);

    /// <inheritdoc />
    public Task<int> ReleaseOrphanedWebhookLeasesAsync(CancellationToken ct = default) =>
        // As for report jobs: a claim left at start belongs to a process that died.
        WriteAsync((c, tx) => ExecAsync(c, tx, "UPDATE webhooks SET lease_token = NULL, lease_until_ms = NULL WHERE lease_token IS NOT NULL", ct), bulk: false, ct);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopCheckpointsAsync().ConfigureAwait(false);
        _write.Dispose();
    }

    private protected override ValueTask<DbConnection> OpenAsync(bool scan, CancellationToken ct) =>
        ValueTask.FromResult<DbConnection>(scan ? OpenForScan().Connection : Open());

    private protected override ValueTask CloseAsync(DbConnection c, bool scan)
    {
        if (scan)
        {
            new ScanConnection((SqliteConnection)c).Dispose();
        }
        else
        {
            c.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    private protected override async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, bool bulk, CancellationToken ct)
    {
        await _write.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var c = bulk ? OpenForScan().Connection : Open();
            try
            {
                if (bulk)
                {
                    // A bulk write needs no fsync of its own (SqlStore.WriteAsync); the next FULL commit syncs the WAL
                    // with it. Open sets FULL again when the pooled connection is next taken.
                    Exec(c, null, "PRAGMA synchronous=NORMAL;");
                }

                using var tx = c.BeginTransaction(deferred: false);
                var result = await work(c, tx).ConfigureAwait(false);
                tx.Commit();
                return result;
            }
            finally
            {
                await CloseAsync(c, bulk).ConfigureAwait(false);
            }
        }
        finally
        {
            _write.Release();
        }
    }

    private protected override ValueTask<DbTransaction> BeginSnapshotAsync(DbConnection c, CancellationToken ct) =>
        ValueTask.FromResult<DbTransaction>(((SqliteConnection)c).BeginTransaction(deferred: true));

    private SqliteConnection Open()
    {
        var c = new SqliteConnection(_connectionString);
        c.Open();
        // Per connection: FULL makes a commit durable before IngestAsync returns (SPEC §5.2); the cache is
        // sized for batch work; checkpoints run beside the writer (SqliteStore.Checkpoint.cs).
        Exec(c, null, "PRAGMA synchronous=FULL; PRAGMA busy_timeout=60000; PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;");
        HookCheckpoints(c);
        return c;
    }

    /// <summary>
    /// A connection for a long scan or a large blob (report reads and file parts): a small page cache, so a
    /// report over millions of rows does not fill the 64 MB cache that ingest connections keep; the memory it
    /// used is handed back when the scan ends (<see cref="ScanConnection.Dispose"/>).
    /// </summary>
    private ScanConnection OpenForScan()
    {
        var c = Open();
        Exec(c, null, "PRAGMA cache_size=-2048;");
        return new ScanConnection(c);
    }

    private static SqliteCommand Command(SqliteConnection c, SqliteTransaction? tx, string sql)
    {
        var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = tx;
        return cmd;
    }

    private static void Exec(SqliteConnection c, SqliteTransaction? tx, string sql)
    {
        using var cmd = Command(c, tx, sql);
        cmd.ExecuteNonQuery();
    }

    private static void RequireAccount(SqliteConnection c, SqliteTransaction? tx, long accountId) =>
        ReadAccount(c, tx, accountId);

    /// <summary>The account's settings (parsed, and as stored: a plan made ahead compares the text), and its next arrival sequence.</summary>
    private static (AccountSettings Settings, long NextSeq, string? SettingsText) ReadAccount(SqliteConnection c, SqliteTransaction? tx, long accountId)
    {
        using var cmd = Command(c, tx, "SELECT settings, next_seq FROM accounts WHERE id = $a");
        cmd.Parameters.AddWithValue("$a", accountId);
        using var r = cmd.ExecuteReader();
        if (!r.Read())
        {
            throw new KeyNotFoundException($"no account with id {accountId}");
        }

        var text = r.IsDBNull(0) ? null : r.GetString(0);
        return (StoredSettings.Read(text), r.GetInt64(1), text);
    }

    /// <summary>A pooled connection that gives its page cache back (shrink_memory) before it returns to the pool.</summary>
    private readonly struct ScanConnection(SqliteConnection connection) : IDisposable
    {
        public SqliteConnection Connection => connection;

        public void Dispose()
        {
            try
            {
                Exec(connection, null, "PRAGMA shrink_memory;");
            }
            finally
            {
                connection.Dispose();
            }
        }
    }
}
