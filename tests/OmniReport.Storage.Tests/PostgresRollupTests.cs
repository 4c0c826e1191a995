using OmniReport.Storage.Sql;
using OmniReport.TestSupport;
using static OmniReport.Storage.Tests.StoreTestKit;

namespace OmniReport.Storage.Tests;

/// <summary>Rollups with several writers on one PostgreSQL database (issue #11).</summary>
public sealed partial class PostgresStoreTests
{
    /// <summary>
    /// Two stores (two processes as PostgreSQL sees them) post the same events at once, each in its own order and
    /// batches, so they race on the same rollup cells: the cells end as one writer's, and as a recomputation gives.
    /// </summary>
    [StoreFact]
    public async Task Two_writers_on_the_same_rollup_cells_end_like_one_writer()
    {
        var lines = SyntheticEvents.Generate(300, seed: 41, agents: 4, spread: TimeSpan.FromHours(6));
        var clock = new ManualTimeProvider(After);
        var single = await OpenAsync(await NewDatabaseAsync(), clock);
        var singleAccount = await single.CreateAccountAsync("acme");
        await single.IngestAsync(singleAccount.Id, Parse(lines));

        var db = await NewDatabaseAsync();
        var a = await OpenAsync(db, clock);
        var b = await OpenAsync(db, clock);
        var account = await a.CreateAccountAsync("acme");
        async Task Post(IStore store, int seed)
        {
            var rng = new Random(seed);
            var order = lines.OrderBy(_ => rng.Next()).ToList();
            for (var i = 0; i < order.Count;)
            {
                var n = rng.Next(1, 120);
                await store.IngestAsync(account.Id, Parse(order.Skip(i).Take(n)));
                i += n;
            }
        }

        await Task.WhenAll(Task.Run(() => Post(a, 1)), Task.Run(() => Post(b, 2)), Task.Run(() => Post(b, 3)));
        await AssertRollupsMatchRecordsAsync(a, account.Id, "two writers");
        static string Rows(List<(int Kind, int Dims, int Tier, long Start, string Key, byte[] Data)> rows) =>
            string.Join("\n", rows.Select(r => $"{r.Kind} {r.Dims} {r.Tier} {r.Start} {r.Key} {Convert.ToBase64String(r.Data)}").Order(StringComparer.Ordinal));
        Assert.Equal(Rows(await ((SqlStore)single).RollupRowsAsync(singleAccount.Id)), Rows(await ((SqlStore)a).RollupRowsAsync(account.Id)));
    }
}
