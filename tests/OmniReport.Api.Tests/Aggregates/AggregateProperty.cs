using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using OmniReport.Core.Aggregates;
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
        await CheckAsync(server, t, Derived.From(sent, null, Now), seed, "first load");

        var shuffled = late.OrderBy(_ => rng.Next()).ToList();
        await PostAsync(t, shuffled);
        await CheckAsync(server, t, Derived.From(lines, null, Now), seed + 1, "late, out-of-order events");

        const string Settings = """{"inactivity_timeout_minutes": 4, "business_hours": {"timezone": "Europe/Lisbon", "weekly": [{"day": "mon", "start": "09:00", "end": "17:00"}, {"day": "tue", "start": "09:00", "end": "17:00"}, {"day": "wed", "start": "09:00", "end": "17:00"}], "holidays": ["2026-03-18"]}}""";
        await t.PutSettingsAsync(Settings);
        var after = Derived.From(lines, Settings, Now);
        await CheckAsync(server, t, after, seed + 2, "settings change");

        await ProjectionRebuild.AccountAsync(server.Store, t.Account.Id);
        await CheckAsync(server, t, after, seed + 3, "rebuild");
    }

    private static async Task PostAsync(Tenant t, List<string> lines)
    {
        foreach (var chunk in lines.Chunk(3000))
        {
            await t.PostEventsAsync(SyntheticEvents.Ndjson(chunk), "application/x-ndjson");
        }
    }

    private static async Task CheckAsync(ApiServer server, Tenant t, Derived derived, int seed, string phase)
    {
        var rng = new Random(seed);
        var n = 0;
        var sources = new Dictionary<AggregateSource, int>();
        foreach (var zone in Zones)
        {
            foreach (var engagements in new[] { true, false })
            {
                var dims = engagements ? AggregateReference.EngagementDims : AggregateReference.InteractionDims;
                var rows = engagements ? derived.Engagements : derived.Interactions;
                for (var i = 0; i < 4; i++, n++)
                {
                    // Every other body is one the rollups can answer (one field, ends on the quarter-hour grid).
                    var body = RandomBody(rng, engagements, rows, zone, dims[n % dims.Length], rollups: i % 2 == 0);
                    var expected = AggregateReference.Answer(engagements, rows, body);
                    var actual = await PostAsync(t, engagements, body);
                    var diff = AggregateReference.Difference(expected, actual);
                    Assert.True(diff is null, $"{phase}, {(engagements ? "engagements" : "interactions")} {body.ToJsonString()}: {diff}");
                    var source = await SourceAsync(server, t, engagements, body);
                    sources[source] = sources.GetValueOrDefault(source) + 1;
                }
            }
        }

        // Both paths were checked against the reference.
        Assert.True(sources.GetValueOrDefault(AggregateSource.Rollups) >= 5, $"{phase}: {sources.GetValueOrDefault(AggregateSource.Rollups)} answers from rollups");
        Assert.True(sources.GetValueOrDefault(AggregateSource.Records) >= 5, $"{phase}: {sources.GetValueOrDefault(AggregateSource.Records)} answers from records");
    }

    /// <summary>Where the service takes the answer to <paramref name="body"/> from.</summary>
    private static async Task<AggregateSource> SourceAsync(ApiServer server, Tenant t, bool engagements, JsonObject body)
    {
        var kind = engagements ? AggregateKind.Engagements : AggregateKind.Interactions;
        Assert.True(AggregateRequest.TryParse(kind, Encoding.UTF8.GetBytes(body.ToJsonString()), out var request, out var problem), problem?.Description);
        return await AggregateReads.FillAsync(server.Store, t.Account.Id, new Aggregation(request!));
    }

    public static async Task<JsonNode> PostAsync(Tenant t, bool engagements, JsonObject body)
    {
        using var response = await t.SendAsync(HttpMethod.Post, $"/api/v2/{(engagements ? "engagements" : "interactions")}/aggregates",
            new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{body.ToJsonString()}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    private static JsonObject RandomBody(Random rng, bool engagements, JsonArray rows, string zone, string mustGroup, bool rollups)
    {
        string[] granularities = ["PT15M", "PT30M", "PT1H", "P1D", "P1W", "P1M", "total"];
        var g = granularities[rng.Next(granularities.Length)];
        var days = g switch { "PT15M" => 1 + rng.Next(2), "PT30M" or "PT1H" => 1 + rng.Next(4), _ => 5 + rng.Next(40) };
        // Starts around the DST changes (7–9 March, 28–30 March, 4–6 April) half of the time.
        DateTime[] near = [new(2026, 3, 7), new(2026, 3, 28), new(2026, 4, 4), new(2026, 3, 1)];
        var start = rng.Next(2) == 0 ? near[rng.Next(near.Length)] : new DateTime(2026, 3, 1).AddDays(rng.Next(35));
        int Minutes() => rng.Next(3) != 0 ? 0 : rollups ? (rng.Next(2) == 0 ? 60 : 15) * rng.Next(24) : rng.Next(24 * 60);
        start = start.AddMinutes(Minutes());
        var end = start.AddDays(days).AddMinutes(Minutes());
        string Text(DateTime local) => rng.Next(3) == 0
            ? new DateTimeOffset(local, TimeSpan.Zero).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
            : local.ToString(rng.Next(2) == 0 ? "yyyy-MM-dd'T'HH:mm:ss" : "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

        var dims = engagements ? AggregateReference.EngagementDims : AggregateReference.InteractionDims;
        var groupBy = new List<string> { mustGroup };
        groupBy.AddRange(dims.Where(d => d != mustGroup).OrderBy(_ => rng.Next()).Take(rng.Next(3)));
        if (rollups)
        {
            // One field: grouped by it, or not grouped (then perhaps filtered by it).
            groupBy = rng.Next(4) == 0 ? [] : [mustGroup];
        }

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
            var field = rollups ? mustGroup : dims[rng.Next(dims.Length)];
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
