using OmniReport.TestSupport;
using static OmniReport.Storage.Tests.StoreTestKit;

namespace OmniReport.Storage.Tests;

/// <summary>Every shared scenario ingested through the store in several arrival orders and batchings.</summary>
public abstract partial class StoreContractTests
{
    public static TheoryData<string> ScenarioNames => Scenarios.Names();

    [StoreTheory]
    [MemberData(nameof(ScenarioNames))]
    public Task Scenario_in_order_in_one_batch(string name) => CheckScenario(name, lines => [lines]);

    [StoreTheory]
    [MemberData(nameof(ScenarioNames))]
    public Task Scenario_reversed_in_one_batch(string name) => CheckScenario(name, lines => [lines.AsEnumerable().Reverse().ToList()]);

    [StoreTheory]
    [MemberData(nameof(ScenarioNames))]
    public Task Scenario_one_event_per_batch(string name) => CheckScenario(name, lines => lines.Select(l => new List<string> { l }).ToList());

    [StoreTheory]
    [MemberData(nameof(ScenarioNames))]
    public async Task Scenario_in_random_batches_with_duplicates(string name)
    {
        for (var seed = 0; seed < 4; seed++)
        {
            await CheckScenario(name, lines =>
            {
                var rng = new Random(seed);
                var order = lines.Concat(lines.Where(_ => rng.Next(3) == 0)).OrderBy(_ => rng.Next()).ToList();
                var batches = new List<List<string>>();
                for (var i = 0; i < order.Count;)
                {
                    var n = rng.Next(1, 5);
                    batches.Add(order.Skip(i).Take(n).ToList());
                    i += n;
                }

                return batches;
            });
        }
    }

    private async Task CheckScenario(string name, Func<List<string>, List<List<string>>> batching)
    {
        var s = Scenarios.ByName(name);
        var lines = s.EventsNdjson().Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
        var store = await NewStoreAsync(new ManualTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(ReportFiles.Ms(s.Now))));
        var account = await store.CreateAccountAsync("scenario");
        await store.UpdateSettingsAsync(account.Id, ReportFiles.Settings(s.Settings));
        foreach (var batch in batching(lines))
        {
            await store.IngestAsync(account.Id, Parse(batch));
        }

        var (engagements, interactions) = await ReportsAsync(store, account.Id);
        Assert.Null(Scenarios.FirstDifference(Entries(engagements), s.ExpectedEngagements));
        Assert.Null(Scenarios.FirstDifference(Entries(interactions), s.ExpectedInteractions));
    }
}
