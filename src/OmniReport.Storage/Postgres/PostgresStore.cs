using Npgsql;
using NpgsqlTypes;
using OmniReport.Core.Settings;

namespace OmniReport.Storage.Postgres;

/// <summary>
/// The store in PostgreSQL (Npgsql). Stateless between calls: several processes may share one database.
/// Writers of one interaction are serialized by its row lock (SELECT ... FOR UPDATE, taken in id order);
/// a settings change holds the account row against ingest, so no batch derives with settings that have
/// just been replaced. Whole batches go in with array parameters (unnest), a handful of round trips each.
/// </summary>
public sealed partial class PostgresStore : IStore
{
    private const long MigrationLockKey = 0x4F6D6E695265706FL; // "OmniRepo"
    private readonly NpgsqlDataSource _source;
    private readonly TimeProvider _time;

    /// <summary>Opens a pool on the database named by a connection string.</summary>
    public PostgresStore(string connectionString, TimeProvider time)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (string.IsNullOrEmpty(builder.ApplicationName))
        {
            builder.ApplicationName = "omnireport";
        }

        _source = NpgsqlDataSource.Create(builder.ConnectionString);
        _time = time;
    }

    /// <inheritdoc />
    public string Kind => "postgresql";

    private long NowMs => _time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <inheritdoc />
    public async Task MigrateAsync(CancellationToken ct = default)
    {
        await using var c = await _source.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var tx = await c.BeginTransactionAsync(ct).ConfigureAwait(false);
        // One migrating process at a time; the others wait, then find the work done.
        await ExecAsync(c, tx, $"SELECT pg_advisory_xact_lock({MigrationLockKey})", ct).ConfigureAwait(false);
        await ExecAsync(c, tx, "CREATE TABLE IF NOT EXISTS schema_migrations (version int PRIMARY KEY, name text NOT NULL, applied_at_ms bigint NOT NULL)", ct).ConfigureAwait(false);
        var applied = new HashSet<int>();
        await using (var cmd = new NpgsqlCommand("SELECT version FROM schema_migrations", c, tx))
        await using (var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            while (await r.ReadAsync(ct).ConfigureAwait(false))
            {
                applied.Add(r.GetInt32(0));
            }
        }

        foreach (var (version, name, sql) in Migrations.For("postgres"))
        {
            if (applied.Contains(version))
            {
                continue;
            }

            await ExecAsync(c, tx, sql, ct).ConfigureAwait(false);
            await using var record = new NpgsqlCommand("INSERT INTO schema_migrations (version, name, applied_at_ms) VALUES ($1, $2, $3)", c, tx);
            record.Parameters.Add(new NpgsqlParameter<int> { TypedValue = version });
            record.Parameters.Add(new NpgsqlParameter<string> { TypedValue = name });
            record.Parameters.Add(new NpgsqlParameter<long> { TypedValue = NowMs });
            await record.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        await tx.CommitAsync(ct).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<Account> CreateAccountAsync(string name, CancellationToken ct = default)
    {
        await using var cmd = _source.CreateCommand("INSERT INTO accounts (name, created_at_ms) VALUES ($1, $2) RETURNING id");
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = name });
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = NowMs });
        try
        {
            return new Account((long)(await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false))!, name);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new StoreConflictException($"an account named \"{name}\" already exists");
        }
    }

    /// <inheritdoc />
    public async Task<Account?> FindAccountAsync(string name, CancellationToken ct = default)
    {
        await using var cmd = _source.CreateCommand("SELECT id FROM accounts WHERE name = $1");
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = name });
        return await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false) is long id ? new Account(id, name) : null;
    }

    /// <inheritdoc />
    public async Task<string> CreateTokenAsync(long accountId, Scopes scopes, CancellationToken ct = default)
    {
        var token = Tokens.NewToken();
        await using var cmd = _source.CreateCommand("INSERT INTO tokens (account_id, hash, scopes, created_at_ms) VALUES ($1, $2, $3, $4)");
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = accountId });
        cmd.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = Tokens.Hash(token) });
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = (int)scopes });
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = NowMs });
        try
        {
            await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ForeignKeyViolation)
        {
            throw new KeyNotFoundException($"no account with id {accountId}");
        }

        return token;
    }

    /// <inheritdoc />
    public async Task<TokenIdentity?> AuthenticateAsync(string token, CancellationToken ct = default)
    {
        await using var cmd = _source.CreateCommand($"{TokenLookup} WHERE t.hash = $1 AND (t.expires_at_ms IS NULL OR t.expires_at_ms > $2) AND oc.revoked_at_ms IS NULL");
        cmd.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = Tokens.Hash(token) });
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = NowMs });
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        return await r.ReadAsync(ct).ConfigureAwait(false) ? ReadIdentity(r) : null;
    }

    /// <inheritdoc />
    public async Task<AccountSettings> GetSettingsAsync(long accountId, CancellationToken ct = default)
    {
        await using var c = await _source.OpenConnectionAsync(ct).ConfigureAwait(false);
        return await ReadSettingsAsync(c, null, accountId, lockShare: false, ct).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _source.DisposeAsync();

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

    private static NpgsqlParameter Array<T>(T[] values, NpgsqlDbType elementType) =>
        new() { Value = values, NpgsqlDbType = NpgsqlDbType.Array | elementType };
}
