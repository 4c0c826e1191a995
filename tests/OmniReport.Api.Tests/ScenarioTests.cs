using System.Text.Json.Nodes;
using OmniReport.TestSupport;

namespace OmniReport.Api.Tests;

/// <summary>
/// Every shared scenario over HTTP: posted whole (array, {"events"} object, NDJSON), event by event, and shuffled
/// with duplicates, read back through the paged endpoint exactly as expected.
/// </summary>
public sealed class ScenarioTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    public static TheoryData<string> Names => Scenarios.Names();

    public enum Delivery
    {
        Array,
        EventsObject,
        Ndjson,
        OneByOne,
        ShuffledWithDuplicates,
        ShuffledNdjsonBatches,
    }

    public static TheoryData<string, Delivery> Cases()
    {
        var data = new TheoryData<string, Delivery>();
        foreach (var name in Scenarios.All().Select(s => s.Name))
        {
            foreach (var d in Enum.GetValues<Delivery>())
            {
                data.Add(name, d);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public Task Scenario_gives_the_expected_engagements_through_the_paged_endpoint(string name, Delivery delivery) =>
        RunAsync(fixture.Server, name, delivery);

    /// <summary>Posts the scenario's events to a new account of <paramref name="server"/> and checks what comes back.</summary>
    internal static async Task RunAsync(ApiServer server, string name, Delivery delivery)
    {
        var s = Scenarios.ByName(name);
        var tenant = await server.NewAccountAsync();
        if (s.Settings.Count > 0)
        {
            await tenant.PutSettingsAsync(s.Settings.ToJsonString());
        }

        server.Clock.Set(DateTimeOffset.Parse(s.Now, System.Globalization.CultureInfo.InvariantCulture));
        var events = s.Events.Select(e => e!.ToJsonString()).ToList();
        var distinct = events.Count;
        var accepted = 0;
        switch (delivery)
        {
            case Delivery.Array:
                accepted = Count(await tenant.PostEventsAsync("[" + string.Join(",", events) + "]"), "accepted");
                break;
            case Delivery.EventsObject:
                accepted = Count(await tenant.PostEventsAsync("{\"events\":[" + string.Join(",", events) + "]}"), "accepted");
                break;
            case Delivery.Ndjson:
                accepted = Count(await tenant.PostEventsAsync(s.EventsNdjson(), "application/x-ndjson"), "accepted");
                break;
            case Delivery.OneByOne:
                foreach (var e in events)
                {
                    accepted += Count(await tenant.PostEventsAsync("[" + e + "]"), "accepted");
                }

                break;
            case Delivery.ShuffledWithDuplicates:
            {
                var rng = new Random(name.Length);
                var order = events.Concat(events.Where(_ => rng.Next(3) == 0)).OrderBy(_ => rng.Next()).ToList();
                foreach (var e in order)
                {
                    var r = await tenant.PostEventsAsync("[" + e + "]");
                    accepted += Count(r, "accepted");
                }

                break;
            }

            case Delivery.ShuffledNdjsonBatches:
            {
                var rng = new Random(name.Length + 7);
                var order = events.Concat(events).OrderBy(_ => rng.Next()).ToList();
                for (var i = 0; i < order.Count; i += 3)
                {
                    var r = await tenant.PostEventsAsync(string.Join("\n", order.Skip(i).Take(3)) + "\n", "application/x-ndjson");
                    accepted += Count(r, "accepted");
                    Assert.Equal(0, Count(r, "rejected"));
                }

                break;
            }
        }

        Assert.Equal(distinct, accepted);
        await server.Store.SweepAsync();
        foreach (var pageSize in new[] { 1, 2, 100 })
        {
            var (rows, _) = await tenant.ReadAllPagesAsync($"/api/v2/engagements?page_size={pageSize}");
            Assert.Null(Scenarios.FirstDifference(rows, s.ExpectedEngagements));
        }

        foreach (var expected in s.ExpectedEngagements)
        {
            var id = expected!["engagement_id"]!.GetValue<string>();
            var one = await tenant.GetJsonAsync($"/api/v2/engagements/{id}");
            Assert.Null(Scenarios.FirstDifference(new JsonArray(one.DeepClone()), new JsonArray(expected.DeepClone())));
        }
    }

    private static int Count(JsonObject result, string field) => result[field]!.GetValue<int>();
}
