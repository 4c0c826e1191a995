using OmniReport.Core.Settings;
using OmniReport.Storage.Sql;
using OmniReport.TestSupport;
using static OmniReport.Storage.Tests.StoreTestKit;

namespace OmniReport.Storage.Tests;

/// <summary>Batches ingested at the same moment (SQLite stores those that queue for its writer in one transaction).</summary>
public abstract partial class StoreContractTests
{
    /// <summary>
    /// Forty batches at once, one of them twice and one for an account that does not exist: that one alone fails, every
    /// event is accepted exactly once, each caller gets its own batch's result and changes, the change log has no gap,
    /// and the records are what deriving the events gives.
    /// </summary>
    [StoreFact]
    public async Task Batches_ingested_at_once_are_each_stored_once_and_a_failing_one_fails_alone()
    {
        var now = new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero);
        var store = await NewStoreAsync(new ManualTimeProvider(now));
        var account = await store.CreateAccountAsync("group");
        var lines = SyntheticEvents.Generate(120, seed: 5);
        var batches = lines.Chunk(lines.Count / 40 + 1).ToList();
        var bad = Task.Run(() => store.IngestAsync(account.Id + 1000, Parse(batches[1])));
        var again = Task.Run(() => store.IngestAsync(account.Id, Parse(batches[0])));
        var all = await Task.WhenAll(batches.Select(b => Task.Run(() => store.IngestAsync(account.Id, Parse(b)))));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => bad);
        var results = all.Append(await again).ToList();

        Assert.Equal(lines.Count, results.Sum(r => r.AcceptedCount));
        Assert.Equal(batches.Select(b => b.Length).Append(batches[0].Length), results.Select(r => r.Accepted.Count));
        var log = await store.ReadChangesAsync(account.Id, 0, int.MaxValue);
        Assert.Equal(Enumerable.Range(1, log.Count).Select(k => (long)k), log.Select(c => c.Sequence));
        Assert.Equal(log.Select(c => (c.Sequence, c.Kind, c.Key)), results.SelectMany(r => r.Changes).OrderBy(c => c.Sequence).Select(c => (c.Sequence, c.Kind, c.Key)));
        Assert.Equal(Reference(lines, AccountSettings.Default, now.ToUnixTimeMilliseconds()), await ReportsAsync(store, account.Id));
    }

    /// <summary>
    /// Batches of two accounts at once, in two waves (the second of late and repeated events, which change records
    /// the first stored), with batches for an account that does not exist among them: SQLite stores those that queue
    /// together in one transaction and writes the group's rollup cells once, before its commit, from the batches that
    /// were stored. The rollups are then exactly what the stored records give, and the records and rollups what a
    /// rebuild from the events writes.
    /// </summary>
    [StoreFact]
    public async Task Rollups_of_batches_ingested_at_once_equal_a_recomputation_when_one_batch_fails()
    {
        var store = await NewStoreAsync(new ManualTimeProvider(new DateTimeOffset(2026, 3, 5, 0, 0, 0, TimeSpan.Zero)));
        var accounts = new[] { await store.CreateAccountAsync("north"), await store.CreateAccountAsync("south") };
        var rng = new Random(11);
        var waves = new List<(long Account, string[] Batch)>[] { [], [] };
        foreach (var (account, k) in accounts.Select((a, k) => (a, k)))
        {
            // North's batches are large (groups of a few large batches), south's small (groups of many).
            var lines = SyntheticEvents.RandomStream(rng, k == 0 ? 160 : 50, seed: 20 + k);
            var late = lines.Where(_ => rng.Next(5) == 0).ToList();
            var repeated = lines.Where(_ => rng.Next(8) == 0);
            waves[0].AddRange(lines.Except(late).Chunk(k == 0 ? 700 : rng.Next(8, 30)).Select(b => (account.Id, b)));
            waves[1].AddRange(late.Concat(repeated).OrderBy(_ => rng.Next()).Chunk(k == 0 ? 1000 : rng.Next(5, 20)).Select(b => (account.Id, b)));
        }

        foreach (var wave in waves)
        {
            var bad = wave.Take(3).Select(b => Task.Run(() => store.IngestAsync(accounts[1].Id + 1000, Parse(b.Batch)))).ToList();
            await Task.WhenAll(wave.Select(b => Task.Run(() => store.IngestAsync(b.Account, Parse(b.Batch)))));
            foreach (var task in bad)
            {
                await Assert.ThrowsAsync<KeyNotFoundException>(() => task);
            }

            foreach (var account in accounts)
            {
                Assert.True(await AssertRollupsMatchRecordsAsync(store, account.Id, $"{account.Name}, wave {Array.IndexOf(waves, wave)}") > 50);
            }
        }

        foreach (var account in accounts)
        {
            var (reports, rollups) = (await ReportsAsync(store, account.Id), await RollupTextsAsync(store, account.Id));
            await ProjectionRebuild.AccountAsync(store, account.Id);
            Assert.Equal(reports, await ReportsAsync(store, account.Id));
            var rebuilt = await RollupTextsAsync(store, account.Id);
            Assert.Equal(rollups.Except(rebuilt).Take(3), rebuilt.Except(rollups).Take(3));
            Assert.Equal(rollups, rebuilt);
        }
    }

    /// <summary>An account's rollup rows as text, in key order.</summary>
    internal static async Task<List<string>> RollupTextsAsync(IStore store, long accountId) =>
        [.. (await ((SqlStore)store).RollupRowsAsync(accountId))
            .Select(r => (Key: new RollupKey(r.Kind, r.Dims, r.Tier, r.Start, r.Key), r.Data))
            .OrderBy(r => r.Key, Comparer<RollupKey>.Create(RollupKey.Compare))
            .Select(r => $"{r.Key} {Convert.ToBase64String(r.Data)}")];
}
