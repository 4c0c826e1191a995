using OmniReport.Core.Aggregates;
using OmniReport.Core.Settings;
using OmniReport.Storage.Codec;
using OmniReport.Storage.Sql;
using OmniReport.TestSupport;
using static OmniReport.Storage.Tests.StoreTestKit;

namespace OmniReport.Storage.Tests;

/// <summary>The rollups (issue #11): always what a recomputation from the stored records gives.</summary>
public abstract partial class StoreContractTests
{
    /// <summary>
    /// Random streams with deletions, late and duplicate events in random batches, inactivity sweeps as time passes, a
    /// settings change, a rebuild with writes in the middle of it: after each step the stored rollups are exactly the
    /// cells computed afresh from the engagements and records the store serves.
    /// </summary>
    [StoreFact]
    public async Task Rollups_equal_a_recomputation_after_late_events_sweeps_deletions_settings_and_rebuild()
    {
        for (var seed = 1; seed <= 2; seed++)
        {
            var clock = new ManualTimeProvider(new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero));
            var store = await NewStoreAsync(clock);
            var account = await store.CreateAccountAsync("rollups");
            var rng = new Random(seed);
            var lines = SyntheticEvents.RandomStream(rng, 60, seed);
            var held = lines.Where(_ => rng.Next(6) == 0).ToList();
            var first = lines.Except(held).ToList();
            var batches = 0;
            for (var i = 0; i < first.Count; batches++)
            {
                var n = rng.Next(1, 40);
                await store.IngestAsync(account.Id, Parse(first.Skip(i).Take(n)));
                i += n;
                clock.Set(clock.GetUtcNow().AddMinutes(rng.Next(0, 120)));
                await store.SweepAsync();
                if (batches % 4 == 0)
                {
                    await AssertRollupsMatchRecordsAsync(store, account.Id, $"seed {seed}, batch {batches}");
                }
            }

            Assert.True(await AssertRollupsMatchRecordsAsync(store, account.Id, $"seed {seed}, in order") > 100);
            await store.IngestAsync(account.Id, Parse(held.OrderBy(_ => rng.Next())));
            await AssertRollupsMatchRecordsAsync(store, account.Id, $"seed {seed}, late events");

            await store.UpdateSettingsAsync(account.Id, AccountSettings.Default with { InactivityTimeoutMinutes = 3 });
            await AssertRollupsMatchRecordsAsync(store, account.Id, $"seed {seed}, settings change");

            // A rebuild with a write in its middle, to interactions on both sides of where it has got to.
            await store.UpdateSettingsAsync(account.Id, AccountSettings.Default);
            var step = await store.RebuildStepAsync(account.Id, 10);
            Assert.False(step.Finished);
            var aggregation = new Aggregation(MarchByAgent(AggregateKind.Engagements));
            Assert.Equal(AggregateSource.Records, await AggregateReads.FillAsync(store, account.Id, aggregation)); // rollups incomplete
            var more = SyntheticEvents.Generate(12, seed + 50, "late", agents: 4, spread: TimeSpan.FromDays(2));
            await store.IngestAsync(account.Id, Parse(more));
            await store.IngestAsync(account.Id, Parse(lines.Take(30).Select(l => l.Replace("\"id\":\"", "\"id\":\"again-", StringComparison.Ordinal))));
            await ProjectionRebuild.AccountAsync(store, account.Id);
            await AssertRollupsMatchRecordsAsync(store, account.Id, $"seed {seed}, rebuild with writes during it");
            Assert.Equal(AggregateSource.Rollups, await AggregateReads.FillAsync(store, account.Id, new Aggregation(MarchByAgent(AggregateKind.Engagements))));

            clock.Set(clock.GetUtcNow().AddDays(3));
            await store.SweepAsync();
            await AssertRollupsMatchRecordsAsync(store, account.Id, $"seed {seed}, last sweep");
        }
    }

    /// <summary>Every engagement of March 2026 by agent, per day in Lisbon: a request rollups can answer.</summary>
    private static AggregateRequest MarchByAgent(AggregateKind kind)
    {
        var body = """{"interval": {"from": "2026-03-01T00:00:00", "to": "2026-04-01T00:00:00"}, "timezone": "Europe/Lisbon", "granularity": "P1D", "group_by": ["agent_id"]}"""u8;
        Assert.True(AggregateRequest.TryParse(kind, body, out var request, out var problem), problem?.Description);
        return request!;
    }

    /// <summary>The account's stored rollup cells equal those computed from its stored engagements and records.</summary>
    internal static async Task<int> AssertRollupsMatchRecordsAsync(IStore store, long accountId, string phase)
    {
        var expected = new RollupDeltas();
        foreach (var kind in new[] { AggregateKind.Engagements, AggregateKind.Interactions })
        {
            await foreach (var fact in store.FactsByStartAsync(accountId, kind, -(1L << 50), 1L << 50))
            {
                expected.Add(kind, fact, 1);
            }
        }

        var want = expected.Sorted().Select(x => $"{x.Key} {Convert.ToBase64String(RollupCodec.Write(x.Delta))}").ToList();
        var got = (await ((SqlStore)store).RollupRowsAsync(accountId))
            .Select(r => (Key: new RollupKey(r.Kind, r.Dims, r.Tier, r.Start, r.Key), r.Data))
            .OrderBy(r => r.Key, Comparer<RollupKey>.Create(RollupKey.Compare))
            .Select(r => $"{r.Key} {Convert.ToBase64String(RollupCodec.Write(RollupCodec.Read(r.Key.Kind == 0 ? RollupShape.Engagements : RollupShape.Interactions, r.Data)))}")
            .ToList();
        var missing = want.Except(got).Take(3).ToList();
        var extra = got.Except(want).Take(3).ToList();
        Assert.True(missing.Count == 0 && extra.Count == 0 && want.Count == got.Count,
            $"{phase}: {want.Count} cells expected, {got.Count} stored; expected but not stored: {string.Join("; ", missing)}; stored but not expected: {string.Join("; ", extra)}");
        return want.Count;
    }
}
