using Npgsql;

namespace OmniReport.Storage.Tests;

/// <summary>
/// The contract suite on PostgreSQL: every test database is its own schema (search_path) on the server
/// the test script started, dropped afterwards.
/// </summary>
public sealed partial class PostgresStoreTests : StoreContractTests, INeedsPostgres
{
    private readonly List<string> _schemas = [];

    protected override async Task<string> NewDatabaseAsync()
    {
        var server = PostgresTestServer.RequireConnectionString();
        var schema = $"t_{Guid.NewGuid():N}";
        await using (var c = new NpgsqlConnection(server))
        {
            await c.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE SCHEMA {schema}", c);
            await cmd.ExecuteNonQueryAsync();
        }

        _schemas.Add(schema);
        return new NpgsqlConnectionStringBuilder(server) { SearchPath = schema }.ConnectionString;
    }

    protected override async Task DropDatabasesAsync()
    {
        if (_schemas.Count == 0)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        await using var c = new NpgsqlConnection(PostgresTestServer.RequireConnectionString());
        await c.OpenAsync();
        foreach (var schema in _schemas)
        {
            await using var cmd = new NpgsqlCommand($"DROP SCHEMA {schema} CASCADE", c);
            await cmd.ExecuteNonQueryAsync();
        }
    }
}
