namespace OmniReport.Storage.Tests;

/// <summary>The contract suite on SQLite: every test its own database file in a temporary folder.</summary>
public sealed class SqliteStoreTests : StoreContractTests
{
    private readonly string _folder = Directory.CreateTempSubdirectory("omnireport-store-").FullName;
    private int _count;

    protected override Task<string> NewDatabaseAsync() =>
        Task.FromResult(Path.Combine(_folder, $"test{Interlocked.Increment(ref _count)}.db"));

    protected override Task DropDatabasesAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }
}
