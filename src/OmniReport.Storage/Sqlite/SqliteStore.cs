using Microsoft.Data.Sqlite;
using OmniReport.Core.Settings;

namespace OmniReport.Storage.Sqlite;

/// <summary>
/// The store in an embedded SQLite file in WAL mode: readers never wait for the writer, and a batch is one
/// transaction, so a crash leaves all of it or none of it. Writes from this process are serialized here;
/// other processes on the same file wait on SQLite's lock (busy timeout).
/// </summary>
public sealed partial class SqliteStore : IStore
{
    private readonly string _connectionString;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _write = new(1, 1);

    static SqliteStore() => SQLitePCL.Batteries_V2.Init();

    /// <summary>Opens (creating when missing) the database file at <paramref name="path"/>.</summary>
    public SqliteStore(string path, TimeProvider time)
    {
        Path = System.IO.Path.GetFullPath(path);
        _time = time;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 60,
        }.ToString();
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <inheritdoc />
    public string Kind => "sqlite";

    private long NowMs => _time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <inheritdoc />
    public async Task MigrateAsync(CancellationToken ct = default)
    {
        await _write.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            using var c = Open();
            Exec(c, null, "PRAGMA journal_mode=WAL;");
            using var tx = c.BeginTransaction(deferred: false);
            Exec(c, tx, "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at_ms INTEGER NOT NULL);");
            var applied = new HashSet<long>();
            using (var cmd = Command(c, tx, "SELECT version FROM schema_migrations"))
            using (var r = cmd.ExecuteReader())
            {
                while (r.Read())
                {
                    applied.Add(r.GetInt64(0));
                }
            }

            foreach (var (version, name, sql) in Migrations.For("sqlite"))
            {
                if (applied.Contains(version))
                {
                    continue;
                }

                Exec(c, tx, sql);
                using var record = Command(c, tx, "INSERT INTO schema_migrations (version, name, applied_at_ms) VALUES ($v, $n, $t)");
                record.Parameters.AddWithValue("$v", version);
                record.Parameters.AddWithValue("$n", name);
                record.Parameters.AddWithValue("$t", NowMs);
                record.ExecuteNonQuery();
            }

            tx.Commit();
        }
        finally
        {
            _write.Release();
        }
    }

    /// <inheritdoc />
    public async Task<Account> CreateAccountAsync(string name, CancellationToken ct = default)
    {
        await _write.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            using var c = Open();
            using var cmd = Command(c, null, "INSERT INTO accounts (name, created_at_ms) VALUES ($n, $t) RETURNING id");
            cmd.Parameters.AddWithValue("$n", name);
            cmd.Parameters.AddWithValue("$t", NowMs);
            try
            {
                return new Account((long)cmd.ExecuteScalar()!, name);
            }
            catch (SqliteException ex) when (ex.SqliteErrorCode == 19)
            {
                throw new StoreConflictException($"an account named \"{name}\" already exists");
            }
        }
        finally
        {
            _write.Release();
        }
    }

    /// <inheritdoc />
    public Task<Account?> FindAccountAsync(string name, CancellationToken ct = default)
    {
        using var c = Open();
        using var cmd = Command(c, null, "SELECT id FROM accounts WHERE name = $n");
        cmd.Parameters.AddWithValue("$n", name);
        var id = cmd.ExecuteScalar();
        return Task.FromResult(id is long v ? new Account(v, name) : null);
    }

    /// <inheritdoc />
    public async Task<string> CreateTokenAsync(long accountId, Scopes scopes, CancellationToken ct = default)
    {
        var token = Tokens.NewToken();
        await _write.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            using var c = Open();
            using var tx = c.BeginTransaction(deferred: false);
            RequireAccount(c, tx, accountId);
            using var cmd = Command(c, tx, "INSERT INTO tokens (account_id, hash, scopes, created_at_ms) VALUES ($a, $h, $s, $t)");
            cmd.Parameters.AddWithValue("$a", accountId);
            cmd.Parameters.AddWithValue("$h", Tokens.Hash(token));
            cmd.Parameters.AddWithValue("$s", (int)scopes);
            cmd.Parameters.AddWithValue("$t", NowMs);
            cmd.ExecuteNonQuery();
            tx.Commit();
            return token;
        }
        finally
        {
            _write.Release();
        }
    }

    /// <inheritdoc />
    public Task<TokenIdentity?> AuthenticateAsync(string token, CancellationToken ct = default)
    {
        using var c = Open();
        using var cmd = Command(c, null, $"{TokenLookup} WHERE t.hash = $h AND (t.expires_at_ms IS NULL OR t.expires_at_ms > $now) AND oc.revoked_at_ms IS NULL");
        cmd.Parameters.AddWithValue("$h", Tokens.Hash(token));
        cmd.Parameters.AddWithValue("$now", NowMs);
        using var r = cmd.ExecuteReader();
        return Task.FromResult(r.Read() ? ReadIdentity(r) : null);
    }

    /// <inheritdoc />
    public Task<AccountSettings> GetSettingsAsync(long accountId, CancellationToken ct = default)
    {
        using var c = Open();
        return Task.FromResult(ReadAccount(c, null, accountId).Settings);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _write.Dispose();
        return ValueTask.CompletedTask;
    }

    private SqliteConnection Open()
    {
        var c = new SqliteConnection(_connectionString);
        c.Open();
        // Per connection: FULL makes a commit durable before IngestAsync returns (SPEC §5.2); the cache is
        // sized for batch work.
        Exec(c, null, "PRAGMA synchronous=FULL; PRAGMA busy_timeout=60000; PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY; PRAGMA wal_autocheckpoint=65536;");
        return c;
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

    private static (AccountSettings Settings, long NextSeq) ReadAccount(SqliteConnection c, SqliteTransaction? tx, long accountId)
    {
        using var cmd = Command(c, tx, "SELECT settings, next_seq FROM accounts WHERE id = $a");
        cmd.Parameters.AddWithValue("$a", accountId);
        using var r = cmd.ExecuteReader();
        if (!r.Read())
        {
            throw new KeyNotFoundException($"no account with id {accountId}");
        }

        return (StoredSettings.Read(r.IsDBNull(0) ? null : r.GetString(0)), r.GetInt64(1));
    }
}
