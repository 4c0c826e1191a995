using OmniReport.Storage.Postgres;
using OmniReport.Storage.Sqlite;

namespace OmniReport.Storage;

/// <summary>
/// Opens the store every command and the server use, from one <c>--db</c> value (SPEC §6): nothing means
/// the SQLite file <c>omnireport.db</c> in the working directory; a value with <c>=</c> in it
/// (<c>Host=...;Username=...;Database=...</c>) is a PostgreSQL connection string; anything else is the path
/// of a SQLite file. Migrations are applied, and derived data of an older format rebuilt, before the store is
/// handed out.
/// </summary>
public static class StoreFactory
{
    /// <summary>The default database file name.</summary>
    public const string DefaultSqliteFile = "omnireport.db";

    /// <summary>True when <paramref name="db"/> names PostgreSQL.</summary>
    public static bool IsPostgres(string? db) => db is not null && db.Contains('=', StringComparison.Ordinal);

    /// <summary>Opens and migrates the store <paramref name="db"/> names.</summary>
    public static async Task<IStore> OpenAsync(string? db, TimeProvider time, CancellationToken ct = default)
    {
        IStore store = IsPostgres(db)
            ? new PostgresStore(db!, time)
            : new SqliteStore(string.IsNullOrEmpty(db) ? DefaultSqliteFile : db, time);
        try
        {
            await store.MigrateAsync(ct).ConfigureAwait(false);
            await ProjectionRebuild.OutdatedAsync(store, ct).ConfigureAwait(false);
            return store;
        }
        catch
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
