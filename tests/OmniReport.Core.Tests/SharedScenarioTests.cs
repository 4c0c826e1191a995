using OmniReport.Core.Reports;
using OmniReport.TestSupport;

namespace OmniReport.Core.Tests;

/// <summary>Every shared scenario through the in-memory derivation, in file order and in other arrival orders.</summary>
public sealed class SharedScenarioTests
{
    public static TheoryData<string> Names => Scenarios.Names();

    [Theory]
    [MemberData(nameof(Names))]
    public void Scenario_gives_expected_engagements_and_interactions(string name) => Check(Scenarios.ByName(name), order: null);

    [Theory]
    [MemberData(nameof(Names))]
    public void Scenario_gives_the_same_records_when_events_arrive_reversed(string name)
    {
        var s = Scenarios.ByName(name);
        Check(s, order: Enumerable.Range(0, s.Events.Count).Reverse().ToArray());
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Scenario_gives_the_same_records_when_shuffled_with_duplicates(string name)
    {
        var s = Scenarios.ByName(name);
        for (var seed = 0; seed < 20; seed++)
        {
            var rng = new Random(seed);
            var order = Enumerable.Range(0, s.Events.Count).Concat(Enumerable.Range(0, s.Events.Count).Where(_ => rng.Next(3) == 0))
                .OrderBy(_ => rng.Next()).ToArray();
            Check(s, order);
        }
    }

    private static void Check(Scenario s, int[]? order)
    {
        var lines = s.EventsNdjson().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var arrival = order is null ? lines : order.Select(i => lines[i]);
        var derived = ReportFiles.Load(arrival).Run(ReportFiles.Settings(s.Settings), ReportFiles.Ms(s.Now));
        var engagements = ReportFiles.Entries(ReportFiles.Write(derived, ReportType.Engagements, ReportFormat.Json));
        var interactions = ReportFiles.Entries(ReportFiles.Write(derived, ReportType.Interactions, ReportFormat.Json));
        Assert.Null(Scenarios.FirstDifference(engagements, s.ExpectedEngagements));
        Assert.Null(Scenarios.FirstDifference(interactions, s.ExpectedInteractions));
    }
}
