using Microsoft.Data.Sqlite;
using OmniReport.Storage.Sqlite;
using OmniReport.TestSupport;
using static OmniReport.Storage.Tests.StoreTestKit;

namespace OmniReport.Storage.Tests;

/// <summary>
/// The WAL synced beside the writer (SqliteStore.Durable.cs): an ingest group commits without the fsync, a syncer fsyncs
/// the WAL after it, and each batch is answered only then, while the writer stores the next group.
/// </summary>
public sealed class SqliteDurabilityTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 4, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly string _folder = Directory.CreateTempSubdirectory("omnireport-durable-").FullName;

    [Fact]
    public async Task A_batch_is_answered_only_after_the_wal_sync_that_follows_its_commit_and_the_writer_goes_on_meanwhile()
    {
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var syncsStarted = 0;
        var path = Path.Combine(_folder, "held.db");
        await using var store = new SqliteStore(path, new ManualTimeProvider(Now))
        {
            BeforeWalSync = async () =>
            {
                Interlocked.Increment(ref syncsStarted);
                await held.Task;
            },
        };
        await store.MigrateAsync();
        var account = await store.CreateAccountAsync("durable");
        var lines = SyntheticEvents.Generate(40, seed: 3);
        var half = lines.Count / 2;

        var first = store.IngestAsync(account.Id, Parse(lines.Take(half)));
        await WaitUntilAsync(() => Volatile.Read(ref syncsStarted) == 1, "the first batch's sync never began");
        Assert.Equal(half, EventIds(path)); // committed and visible: only its answer waits
        Assert.False(first.IsCompleted, "answered before its WAL sync finished");

        // The writer is free while that sync is held: the second batch is stored, and waits for a sync of its own.
        var second = store.IngestAsync(account.Id, Parse(lines.Skip(half)));
        await WaitUntilAsync(() => EventIds(path) == lines.Count, "the writer did not store the second batch while the first one's sync ran");
        Assert.False(first.IsCompleted);
        Assert.False(second.IsCompleted, "answered with no sync begun after its commit");

        held.SetResult();
        Assert.Equal(half, (await first).AcceptedCount);
        Assert.Equal(lines.Count - half, (await second).AcceptedCount);
        Assert.Equal(2, Volatile.Read(ref syncsStarted));
        Assert.Equal(2, store.WalSyncs);
    }

    [Fact]
    public async Task A_failed_wal_sync_is_the_answer_of_the_batches_that_waited_for_it()
    {
        await using var store = new SqliteStore(Path.Combine(_folder, "failing.db"), new ManualTimeProvider(Now))
        {
            BeforeWalSync = () => Task.FromException(new IOException("disk gone")),
        };
        await store.MigrateAsync();
        var account = await store.CreateAccountAsync("durable");

        var error = await Assert.ThrowsAsync<IOException>(() => store.IngestAsync(account.Id, Parse(SyntheticEvents.Generate(5, seed: 4))));
        Assert.Equal("disk gone", error.Message);
        Assert.Equal(0, store.WalSyncs);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string failure)
    {
        for (var i = 0; i < 400 && !condition(); i++)
        {
            await Task.Delay(25);
        }

        Assert.True(condition(), failure);
    }

    /// <summary>The ids committed, read on a connection of its own (not the store's).</summary>
    private static long EventIds(string path)
    {
        using var c = new SqliteConnection($"Data Source={path};Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT count(*) FROM event_ids";
        return (long)cmd.ExecuteScalar()!;
    }
}
