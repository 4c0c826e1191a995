using Microsoft.Data.Sqlite;
using OmniReport.Core.Settings;
using OmniReport.Storage.Sqlite;
using OmniReport.TestSupport;
using static OmniReport.Storage.Tests.StoreTestKit;

namespace OmniReport.Storage.Tests;

/// <summary>
/// SQLite's WAL checkpoints: a background checkpointer copies the WAL into the database file while the writer goes on,
/// and restarts the WAL; the writer checkpoints itself only past its own limit (SqliteStore.Checkpoint.cs). Small limits,
/// so a few batches cross them.
/// </summary>
public sealed class SqliteCheckpointTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 4, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly string _folder = Directory.CreateTempSubdirectory("omnireport-checkpoint-").FullName;

    [Fact]
    public async Task The_checkpointer_copies_the_wal_into_the_database_beside_the_writer_and_nothing_is_lost()
    {
        var path = Path.Combine(_folder, "background.db");
        var store = new SqliteStore(path, new ManualTimeProvider(Now)) { CheckpointFrames = 40, RestartFrames = 120, WriterCheckpointFrames = int.MaxValue };
        var lines = await IngestAsync(store);

        Assert.True(store.CheckpointsRun > 0, "no background checkpoint ran");
        Assert.Equal(Reference(lines, AccountSettings.Default, Now.ToUnixTimeMilliseconds()), await ReportsAsync(store, 1));
        await store.DisposeAsync();
        Assert.True(EventIdsInTheDatabaseFileAlone(path) > 0, "the database file holds nothing: the WAL was never copied into it");
    }

    [Fact]
    public async Task Past_its_own_limit_the_writer_checkpoints_itself()
    {
        var path = Path.Combine(_folder, "writer.db");
        var store = new SqliteStore(path, new ManualTimeProvider(Now)) { CheckpointFrames = int.MaxValue, WriterCheckpointFrames = 40 };
        var lines = await IngestAsync(store);

        Assert.Equal(0, store.CheckpointsRun);
        Assert.Equal(Reference(lines, AccountSettings.Default, Now.ToUnixTimeMilliseconds()), await ReportsAsync(store, 1));
        await store.DisposeAsync();
        Assert.True(EventIdsInTheDatabaseFileAlone(path) > 0, "the database file holds nothing: the writer never checkpointed");
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>Batch after batch, then waits a moment for a checkpointer still copying.</summary>
    private static async Task<List<string>> IngestAsync(SqliteStore store)
    {
        await store.MigrateAsync();
        var account = await store.CreateAccountAsync("checkpoints");
        Assert.Equal(1, account.Id);
        var lines = SyntheticEvents.Generate(3000, seed: 9);
        foreach (var batch in lines.Chunk(100))
        {
            await store.IngestAsync(account.Id, Parse(batch));
        }

        for (var i = 0; i < 100 && store.CheckpointsRun == 0 && store.CheckpointFrames < int.MaxValue; i++)
        {
            await Task.Delay(50);
        }

        return lines;
    }

    /// <summary>The ids in a copy of the database file without its WAL: what checkpoints have copied into the file.</summary>
    private long EventIdsInTheDatabaseFileAlone(string path)
    {
        var copy = Path.Combine(_folder, Guid.NewGuid() + ".db");
        File.Copy(path, copy);
        using var c = new SqliteConnection($"Data Source={copy};Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT count(*) FROM event_ids";
        return (long)cmd.ExecuteScalar()!;
    }
}
