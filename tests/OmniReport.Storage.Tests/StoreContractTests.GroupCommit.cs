using OmniReport.Core.Settings;
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
}
