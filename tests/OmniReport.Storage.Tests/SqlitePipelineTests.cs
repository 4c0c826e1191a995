using OmniReport.Core.Derivation;
using OmniReport.Core.Settings;
using OmniReport.Storage.Sqlite;
using OmniReport.TestSupport;
using static OmniReport.Storage.Tests.StoreTestKit;

namespace OmniReport.Storage.Tests;

/// <summary>
/// SQLite's batches planned ahead of its writer (<c>SqliteStore.Pipeline.cs</c>): whatever was planned on an older
/// snapshot, the store ends exactly where storing the batches one at a time, in the same order, ends.
/// </summary>
public sealed class SqlitePipelineTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 5, 0, 0, 0, TimeSpan.Zero);

    private readonly string _folder = Directory.CreateTempSubdirectory("omnireport-pipeline-").FullName;
    private readonly List<IStore> _opened = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var s in _opened)
        {
            await s.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>
    /// Random streams (late events, deletions, duplicates) in small batches whose interactions run on across many
    /// batches, with batches for an account that does not exist among them and batches that repeat events of the one before, handed in all at once (each call planned
    /// against a snapshot that has none of the batches queued before it) and one at a time: every batch's answer, the
    /// change log (sequences, kinds, keys, times), the records, engagements, agent names and rollup cells are the same.
    /// Both plans taken (planned from the rows the batches ahead of them plan to write) and plans not used (the
    /// duplicates were not predicted: the sequences of every batch behind move) are met on the way.
    /// </summary>
    [Fact]
    public async Task Batches_handed_in_while_others_are_stored_end_exactly_as_one_at_a_time()
    {
        var counts = new SqliteStore.PipelineCounts();
        for (var seed = 1; seed <= 4; seed++)
        {
            var rng = new Random(seed);
            var lines = SyntheticEvents.RandomStream(rng, 80, seed);
            lines.AddRange(lines.Where(_ => rng.Next(10) == 0).ToList()); // repeated later, in other batches
            var batches = new List<(bool Bad, List<string> Lines)>();
            for (var i = 0; i < lines.Count;)
            {
                var n = rng.Next(1, 40);
                var batch = lines.Skip(i).Take(n).ToList();
                if (i > 0 && rng.Next(4) == 0)
                {
                    // A few events of the batch before sent again: planned as new, found duplicates by the writer, so this
                    // batch and those planned behind it (their sequences move) are planned by the writer.
                    batch.InsertRange(0, lines.Skip(i - rng.Next(1, 4)).Take(2));
                }

                batches.Add((rng.Next(25) == 0, batch));
                i += n;
            }

            var (oneStore, one) = await OpenAsync();
            var oneResults = new List<string>();
            foreach (var (bad, batch) in batches)
            {
                oneResults.Add(await AnswerAsync(oneStore.IngestAsync(bad ? one + 1000 : one, Parse(batch))));
            }

            var (allStore, all) = await OpenAsync();
            Assert.True(allStore.IngestsInCallOrder);
            var handedIn = batches.Select(b => allStore.IngestAsync(b.Bad ? all + 1000 : all, Parse(b.Lines))).ToList();
            var allResults = new List<string>();
            foreach (var task in handedIn)
            {
                allResults.Add(await AnswerAsync(task));
            }

            Assert.Equal(oneResults, allResults);
            Assert.Equal(await LogAsync(oneStore, one), await LogAsync(allStore, all));
            Assert.Equal(await ReportsAsync(oneStore, one), await ReportsAsync(allStore, all));
            var rollups = await StoreContractTests.RollupTextsAsync(oneStore, one);
            Assert.NotEmpty(rollups);
            Assert.Equal(rollups, await StoreContractTests.RollupTextsAsync(allStore, all));

            var p = ((SqliteStore)allStore).Pipeline;
            counts.Taken += p.Taken;
            counts.Discarded += p.Discarded;
        }

        Assert.True(counts.Taken > 0, "no plan made ahead was taken");
        Assert.True(counts.Discarded > 0, "every plan made ahead was taken");
    }

    /// <summary>
    /// Batches handed in all at once while the inactivity sweep and a settings change run among them: plans made before
    /// either are not used, and the store stays consistent — the change log applied in order gives what it serves, the
    /// rollups are what the records give, and a rebuild from the events changes nothing.
    /// </summary>
    [Fact]
    public async Task A_sweep_or_settings_change_among_batches_handed_in_leaves_the_projection_consistent()
    {
        var clock = new ManualTimeProvider(T0);
        var (store, account) = await OpenAsync(clock);
        var rng = new Random(7);
        var lines = SyntheticEvents.RandomStream(rng, 120, 7);
        var tasks = new List<Task>();
        var i = 0;
        var k = 0;
        while (i < lines.Count)
        {
            var n = rng.Next(5, 40);
            tasks.Add(store.IngestAsync(account, Parse(lines.Skip(i).Take(n))));
            i += n;
            if (++k % 6 == 0)
            {
                clock.Set(clock.GetUtcNow().AddMinutes(rng.Next(0, 300)));
                tasks.Add(store.SweepAsync());
            }

            if (k == 9)
            {
                tasks.Add(store.UpdateSettingsAsync(account, AccountSettings.Default with { InactivityTimeoutMinutes = 4 }));
            }
        }

        await Task.WhenAll(tasks);
        await store.SweepAsync(); // as of the last time set, as the rebuild below
        var log = await store.ReadChangesAsync(account, 0, int.MaxValue);
        Assert.Equal(Enumerable.Range(1, log.Count).Select(x => (long)x), log.Select(c => c.Sequence));
        var served = await store.EngagementsByStartAsync(account, long.MinValue, long.MaxValue).ToListAsync();
        var (engagements, _) = ChangeLogReplay.Apply(log);
        Assert.NotEmpty(served);
        Assert.Equal(served, engagements.Values.OrderBy(e => e, Comparer<Engagement>.Create(Engagement.Compare)).ToList());
        Assert.True(await StoreContractTests.AssertRollupsMatchRecordsAsync(store, account, "sweeps among batches") > 50);

        var reports = await ReportsAsync(store, account);
        var before = log.Count;
        await ProjectionRebuild.AccountAsync(store, account);
        Assert.Equal(reports, await ReportsAsync(store, account));
        Assert.Equal(before, (await store.ReadChangesAsync(account, 0, int.MaxValue)).Count);
        Assert.True(((SqliteStore)store).Pipeline.Discarded > 0, "no plan was made before a sweep or settings change");
    }

    /// <summary>
    /// A batch planned ahead, then, before the writer takes it, another process on the same file (a second store) sweeps
    /// the interactions it touches: the writer plans those again from the rows it sees and takes the rest as planned;
    /// the store ends exactly where ingesting, sweeping and ingesting one after the other ends.
    /// </summary>
    [Fact]
    public async Task Interactions_another_process_changed_after_the_plan_are_planned_again()
    {
        var rng = new Random(5);
        var lines = SyntheticEvents.RandomStream(rng, 60, 5);
        var first = lines.Take(lines.Count * 2 / 3).ToList();
        var rest = lines.Skip(first.Count).Except(first).ToList(); // no event sent again: the plan's guess of the new ones holds
        var start = new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);
        var later = new DateTimeOffset(2026, 3, 3, 12, 0, 0, TimeSpan.Zero);

        var oneClock = new ManualTimeProvider(start);
        var (one, oneAccount) = await OpenAsync(oneClock);
        await one.IngestAsync(oneAccount, Parse(first));
        oneClock.Set(later);
        var swept = (await one.SweepAsync()).Changes.Count;
        await one.IngestAsync(oneAccount, Parse(rest));
        Assert.True(swept > 0, "the sweep found nothing due");

        var clock = new ManualTimeProvider(start);
        var (store, account) = await OpenAsync(clock);
        var other = await StoreFactory.OpenAsync(((SqliteStore)store).Path, clock);
        _opened.Add(other);
        await store.IngestAsync(account, Parse(first));
        clock.Set(later);
        var writer = (SemaphoreSlim)typeof(SqliteStore).GetField("_write", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(store)!;
        await writer.WaitAsync(); // the writer busy: the batch is planned, and waits
        var planned = store.IngestAsync(account, Parse(rest));
        Assert.Equal(swept, (await other.SweepAsync()).Changes.Count);
        writer.Release();
        await planned;

        var p = ((SqliteStore)store).Pipeline;
        Assert.True(p.Taken >= 2 && p.Replanned > 0 && p.Discarded == 0, $"{p.Taken} taken, {p.Replanned} planned again, {p.Discarded} not used");
        Assert.Equal(await LogAsync(one, oneAccount), await LogAsync(store, account));
        Assert.Equal(await ReportsAsync(one, oneAccount), await ReportsAsync(store, account));
        Assert.Equal(await StoreContractTests.RollupTextsAsync(one, oneAccount), await StoreContractTests.RollupTextsAsync(store, account));
    }

    private async Task<(IStore Store, long Account)> OpenAsync(TimeProvider? time = null)
    {
        var store = await StoreFactory.OpenAsync(Path.Combine(_folder, $"p{_opened.Count}.db"), time ?? new ManualTimeProvider(T0));
        _opened.Add(store);
        return (store, (await store.CreateAccountAsync("pipeline")).Id);
    }

    /// <summary>A batch's answer as text: what was accepted and what it logged, or the error.</summary>
    private static async Task<string> AnswerAsync(Task<IngestResult> task)
    {
        try
        {
            var r = await task;
            return string.Concat(r.Accepted.Select(a => a ? '1' : '0')) + " "
                + string.Join(",", r.Changes.Select(c => $"{c.Sequence}:{c.Kind}:{c.Key}:{c.AtMs}:{c.Engagement?.EngagementId}:{c.Record?.InteractionId}"));
        }
        catch (KeyNotFoundException ex)
        {
            return ex.Message;
        }
    }

    private static async Task<List<string>> LogAsync(IStore store, long account) =>
        [.. (await store.ReadChangesAsync(account, 0, int.MaxValue)).Select(c => $"{c.Sequence}:{c.Kind}:{c.Key}:{c.AtMs}")];
}
