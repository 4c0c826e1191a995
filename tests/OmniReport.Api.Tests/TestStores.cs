using System.Collections.Concurrent;
using Npgsql;
using OmniReport.Storage;
using OmniReport.TestSupport;

namespace OmniReport.Api.Tests;

/// <summary>
/// Opens the real stores the tests run against, migrated as the server gets them: a SQLite file, or a schema
/// of its own on the throw-away PostgreSQL server ./test.sh starts (OMNIREPORT_TEST_POSTGRES).
/// </summary>
public static class TestStores
{
    public const string PostgresVariable = TestEnvironment.PostgresVariable;
    private static readonly ConcurrentDictionary<IStore, string> Schemas = new();

    public static string? PostgresServer => TestEnvironment.PostgresServer;

    /// <summary>True when PostgreSQL tests must run (CI): then a missing server fails them instead of skipping.</summary>
    public static bool PostgresRequired => TestEnvironment.PostgresRequired;

    public static Task<IStore> OpenSqliteAsync(string path, TimeProvider time) => StoreFactory.OpenAsync(path, time);

    public static async Task<IStore> OpenPostgresAsync(TimeProvider time)
    {
        var server = PostgresServer ?? throw new InvalidOperationException($"PostgreSQL is required but {PostgresVariable} is not set");
        var schema = $"api_{Guid.NewGuid():N}";
        await using (var c = new NpgsqlConnection(server))
        {
            await c.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE SCHEMA {schema}", c);
            await cmd.ExecuteNonQueryAsync();
        }

        var store = await StoreFactory.OpenAsync(new NpgsqlConnectionStringBuilder(server) { SearchPath = schema }.ConnectionString, time);
        Schemas[store] = schema;
        return store;
    }

    /// <summary>Drops the schema of a PostgreSQL test store (nothing for SQLite: its folder is deleted).</summary>
    public static async Task DropAsync(IStore store)
    {
        if (!Schemas.TryRemove(store, out var schema))
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        await using var c = new NpgsqlConnection(PostgresServer!);
        await c.OpenAsync();
        await using var cmd = new NpgsqlCommand($"DROP SCHEMA {schema} CASCADE", c);
        await cmd.ExecuteNonQueryAsync();
    }
}

/// <summary>A fact that needs PostgreSQL: skipped with the reason when no server is given, unless CI requires it.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (TestStores.PostgresServer is null && !TestStores.PostgresRequired)
        {
            Skip = $"PostgreSQL not available: {TestStores.PostgresVariable} is not set (./test.sh starts a throw-away server when PostgreSQL is installed)";
        }
    }
}
