using OmniReport.Core.Settings;
using OmniReport.TestSupport;
using static OmniReport.Storage.Tests.StoreTestKit;

namespace OmniReport.Storage.Tests;

/// <summary>Several writers on one PostgreSQL database, as several service processes would be.</summary>
public sealed partial class PostgresStoreTests
{
    private static readonly DateTimeOffset After = new(2026, 4, 1, 0, 0, 0, TimeSpan.Zero);

    [StoreFact]
    public async Task Two_writers_posting_the_same_interactions_at_once_end_like_one_writer()
    {
        var lines = SyntheticEvents.Generate(400, seed: 99, agents: 10);
        var clock = new ManualTimeProvider(After);

        var single = await OpenAsync(await NewDatabaseAsync(), clock);
        var singleAccount = await single.CreateAccountAsync("acme");
        await single.IngestAsync(singleAccount.Id, Parse(lines));

        // Two stores, two connection pools: two processes as far as PostgreSQL can tell. Each posts every
        // event in its own order and batching, so they race on the same interactions, ids and agent names.
        var db = await NewDatabaseAsync();
        var a = await OpenAsync(db, clock);
        var b = await OpenAsync(db, clock);
        var account = await a.CreateAccountAsync("acme");
        async Task<long> Post(IStore store, int seed)
        {
            var rng = new Random(seed);
            var order = lines.OrderBy(_ => rng.Next()).ToList();
            long accepted = 0;
            for (var i = 0; i < order.Count;)
            {
                var n = rng.Next(1, 200);
                accepted += (await store.IngestAsync(account.Id, Parse(order.Skip(i).Take(n)))).AcceptedCount;
                i += n;
            }

            return accepted;
        }

        var both = await Task.WhenAll(Task.Run(() => Post(a, 1)), Task.Run(() => Post(b, 2)));
        Assert.Equal(lines.Count, both.Sum()); // every event accepted exactly once

        var expected = await ReportsAsync(single, singleAccount.Id);
        Assert.Equal(expected, await ReportsAsync(a, account.Id));
        Assert.Equal(Reference(lines, AccountSettings.Default, After.ToUnixTimeMilliseconds()), expected);
    }

    [StoreFact]
    public async Task Two_writers_creating_the_same_new_interaction_at_the_same_moment_store_it_once()
    {
        // Each round both writers post events of one brand-new interaction at once, half of its events each
        // (no id in common): both find no row and both insert it, so one of them loses the race and must
        // store its events on the winner's row.
        var lines = SyntheticEvents.Generate(40, seed: 7, agents: 5);
        var clock = new ManualTimeProvider(After);
        var db = await NewDatabaseAsync();
        var a = await OpenAsync(db, clock);
        var b = await OpenAsync(db, clock);
        var account = await a.CreateAccountAsync("acme");
        long accepted = 0, duplicates = 0;
        foreach (var group in lines.GroupBy(l => Parse([l])[0].InteractionId))
        {
            var events = group.ToList();
            var halves = new[] { events.Where((_, i) => i % 2 == 0).ToList(), events.Where((_, i) => i % 2 == 1).ToList() };
            using var start = new Barrier(2);
            var results = await Task.WhenAll(
                Task.Run(async () => { start.SignalAndWait(); return await a.IngestAsync(account.Id, Parse(halves[0])); }),
                Task.Run(async () => { start.SignalAndWait(); return await b.IngestAsync(account.Id, Parse(halves[1])); }));
            accepted += results.Sum(r => r.AcceptedCount);
            duplicates += results.Sum(r => r.DuplicateCount);
        }

        Assert.Equal(lines.Count, accepted);
        Assert.Equal(0, duplicates);
        Assert.Equal(Reference(lines, AccountSettings.Default, After.ToUnixTimeMilliseconds()), await ReportsAsync(a, account.Id));
    }

    [StoreFact]
    public async Task Two_import_processes_into_one_database_end_like_one()
    {
        var lines = SyntheticEvents.Generate(1500, seed: 5);
        var db = await NewDatabaseAsync();
        var store = await OpenAsync(db, TimeProvider.System);
        var account = await store.CreateAccountAsync("acme");
        var forward = Path.Combine(Path.GetTempPath(), $"omnireport-fwd-{Guid.NewGuid():N}.ndjson");
        var backward = Path.Combine(Path.GetTempPath(), $"omnireport-bwd-{Guid.NewGuid():N}.ndjson");
        await File.WriteAllTextAsync(forward, SyntheticEvents.Ndjson(lines));
        await File.WriteAllTextAsync(backward, SyntheticEvents.Ndjson(lines.AsEnumerable().Reverse()));
        try
        {
            using var p1 = StartCli("import", forward, "--account", "acme", "--db", db, "--batch-size", "700");
            using var p2 = StartCli("import", backward, "--account", "acme", "--db", db, "--batch-size", "500");
            var outputs = await Task.WhenAll(p1.StandardOutput.ReadToEndAsync(), p2.StandardOutput.ReadToEndAsync(),
                p1.StandardError.ReadToEndAsync(), p2.StandardError.ReadToEndAsync());
            await p1.WaitForExitAsync();
            await p2.WaitForExitAsync();
            Assert.True(p1.ExitCode == 0 && p2.ExitCode == 0, string.Join("\n", outputs));
            var now = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();
            Assert.Equal(Reference(lines, AccountSettings.Default, now), await ReportsAsync(store, account.Id));
        }
        finally
        {
            File.Delete(forward);
            File.Delete(backward);
        }
    }
}
