using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using OmniReport.Storage;
using OmniReport.TestSupport;

namespace OmniReport.Api.Tests.Aggregates;

/// <summary>
/// The aggregates endpoints against <see cref="AggregateReference"/> on random event streams and random bodies: five
/// zones (UTC, Lisbon, New York, Kolkata, Lord Howe) over March–April 2026, which holds the DST changes of New York
/// (8 March), Lisbon (29 March) and Lord Howe (5 April, 30 minutes); every group-by field, filters, metrics. Checked
/// after a first load with a fifth of the events held back, again after those arrive late and shuffled, after a
/// settings change, and after a rebuild.
/// </summary>
internal static class AggregateProperty
{
    public static readonly string[] Zones = ["UTC", "Europe/Lisbon", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe"];

    private const string Now = "2026-06-01T00:00:00Z";

    public static async Task RunAsync(ApiServer server, int seed)
    {
        var t = await server.NewAccountAsync();
        var lines = SyntheticEvents.Generate(450, seed: seed, agents: 12, spread: TimeSpan.FromDays(40));
        var rng = new Random(seed);
        var late = lines.Where(_ => rng.Next(5) == 0).ToHashSet();
        await PostAsync(t, lines.Where(l => !late.Contains(l)).ToList());
        var sent = lines.Where(l => !late.Contains(l)).ToList();
        await CheckAsync(t, Derived.From(sent, null, Now), seed, "first load");

        var shuffled = late.OrderBy(_ => rng.Next()).ToList();
        await PostAsync(t, shuffled);
        await CheckAsync(t, Derived.From(lines, null, Now), seed + 1, "late, out-of-order events");

        const string Settings = """{"inactivity_timeout_minutes": 4, "business_hours": {"timezone": "Europe/Lisbon", "weekly": [{"day": "mon", "start": "09:00", "end": "17:00"}, {"day": "tue", "start": "09:00", "end": "17:00"}, {"day": "wed", "start": "09:00", "end": "17:00"}], "holidays": ["2026-03-18"]}}""";
        await t.PutSettingsAsync(Settings);
        var after = Derived.From(lines, Settings, Now);
        await CheckAsync(t, after, seed + 2, "settings change");

        await ProjectionRebuild.AccountAsync(server.Store, t.Account.Id);
        await CheckAsync(t, after, seed + 3, "rebuild");
    }

    private static async Task PostAsync(Tenant t, List<string> lines)
    {
        foreach (var chunk in lines.Chunk(3000))
        {
            await t.PostEventsAsync(SyntheticEvents.Ndjson(chunk), "application/x-ndjson");
        }
    }

    private static async Task CheckAsync(Tenant t, Derived derived, int seed, string phase)
    {
        var rng = new Random(seed);
        var n = 0;
        foreach (var zone in Zones)
        {
            foreach (var engagements in new[] { true, false })
            {
                var dims = engagements ? AggregateReference.EngagementDims : AggregateReference.InteractionDims;
                var rows = engagements ? derived.Engagements : derived.Interactions;
                for (var i = 0; i < 4; i++, n++)
                {
                    var body = RandomBody(rng, engagements, rows, zone, dims[n % dims.Length]);
                    var expected = AggregateReference.Answer(engagements, rows, body);
                    var actual = await PostAsync(t, engagements, body);
                    var diff = AggregateReference.Difference(expected, actual);
                    Assert.True(diff is null, $"{phase}, {(engagements ? "engagements" : "interactions")} {body.ToJsonString()}: {diff}");
                }
            }
        }
    }

    public static async Task<JsonNode> PostAsync(Tenant t, bool engagements, JsonObject body)
    {
        using var response = await t.SendAsync(HttpMethod.Post, $"/api/v2/{(engagements ? "engagements" : "interactions")}/aggregates",
            new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{body.ToJsonString()}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    private static JsonObject RandomBody(Random rng, bool engagements, JsonArray rows, string zone, string mustGroup)
    {
        string[] granularities = ["PT15M", "PT30M", "PT1H", "P1D", "P1W", "P1M", "total"];
        var g = granularities[rng.Next(granularities.Length)];
        var days = g switch { "PT15M" => 1 + rng.Next(2), "PT30M" or "PT1H" => 1 + rng.Next(4), _ => 5 + rng.Next(40) };
        // Starts around the DST changes (7–9 March, 28–30 March, 4–6 April) half of the time.
        DateTime[] near = [new(2026, 3, 7), new(2026, 3, 28), new(2026, 4, 4), new(2026, 3, 1)];
        var start = rng.Next(2) == 0 ? near[rng.Next(near.Length)] : new DateTime(2026, 3, 1).AddDays(rng.Next(35));
        start = start.AddMinutes(rng.Next(3) == 0 ? rng.Next(24 * 60) : 0);
        var end = start.AddDays(days).AddMinutes(rng.Next(3) == 0 ? rng.Next(24 * 60) : 0);
        string Text(DateTime local) => rng.Next(3) == 0
            ? new DateTimeOffset(local, TimeSpan.Zero).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
            : local.ToString(rng.Next(2) == 0 ? "yyyy-MM-dd'T'HH:mm:ss" : "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

        var dims = engagements ? AggregateReference.EngagementDims : AggregateReference.InteractionDims;
        var groupBy = new List<string> { mustGroup };
        groupBy.AddRange(dims.Where(d => d != mustGroup).OrderBy(_ => rng.Next()).Take(rng.Next(3)));
        if (g is "PT15M" or "PT30M" && groupBy.Count > 2)
        {
            groupBy.RemoveRange(2, groupBy.Count - 2);
        }

        var body = new JsonObject
        {
            ["interval"] = new JsonObject { ["from"] = Text(start), ["to"] = Text(end) },
            ["timezone"] = zone,
            ["granularity"] = g,
            ["group_by"] = new JsonArray([.. groupBy.Select(x => (JsonNode)x)]),
        };
        if (rng.Next(5) == 0)
        {
            body.Remove("granularity"); // default: total
        }

        if (rng.Next(2) == 0 && rows.Count > 0)
        {
            var field = dims[rng.Next(dims.Length)];
            var values = new JsonArray();
            for (var k = 0; k < 1 + rng.Next(3); k++)
            {
                var v = rows[rng.Next(rows.Count)]![field];
                // Enumerations are matched without regard to case (SPEC §7).
                values.Add(v is JsonValue s && s.GetValueKind() == System.Text.Json.JsonValueKind.String && field is "channel" or "ticket_status_end" or "interaction_type" or "interaction_status"
                    ? s.GetValue<string>().ToLowerInvariant()
                    : v?.DeepClone());
            }

            body["filter"] = new JsonObject { [field] = values };
        }

        if (rng.Next(2) == 0)
        {
            var all = engagements
                ? (string[])["engagements", .. AggregateReference.EngagementStats, "requester_wait_seconds"]
                : ["interactions", .. AggregateReference.InteractionStats, "service_level_percent", "abandon_percent"];
            body["metrics"] = new JsonArray([.. all.OrderBy(_ => rng.Next()).Take(1 + rng.Next(4)).Select(x => (JsonNode)x)]);
        }

        if (!engagements && rng.Next(2) == 0)
        {
            body["service_level_seconds"] = rng.Next(0, 400);
        }

        return body;
    }
}
