using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace OmniReport.Api.Tests.Aggregates;

/// <summary>SPEC §7: every bad body is 422 InvalidValue naming the field; buckets in zones with DST and odd offsets; CSV.</summary>
public sealed class AggregateBodyTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private const string Interval = "\"interval\":{\"from\":\"2026-03-01T00:00:00\",\"to\":\"2026-03-02T00:00:00\"}";

    public static TheoryData<string, string, string> BadBodies() => new()
    {
        { "engagements", "[1]", "body" },
        { "engagements", "{\"interval\":", "body" },
        { "engagements", "{}", "interval" },
        { "engagements", "{\"interval\":\"2026\"}", "interval" },
        { "engagements", "{\"interval\":{\"to\":\"2026-03-02T00:00:00\"}}", "interval.from" },
        { "engagements", "{\"interval\":{\"from\":\"2026-03-01T00:00:00\"}}", "interval.to" },
        { "engagements", "{\"interval\":{\"from\":\"yesterday\",\"to\":\"2026-03-02T00:00:00\"}}", "interval.from" },
        { "engagements", "{\"interval\":{\"from\":20260301,\"to\":\"2026-03-02T00:00:00\"}}", "interval.from" },
        { "engagements", "{\"interval\":{\"from\":\"2026-03-01T00:00:00\",\"to\":\"2026-03-01T00:00:00\"}}", "interval.to" },
        { "engagements", "{\"interval\":{\"from\":\"2026-03-02T00:00:00\",\"to\":\"2026-03-01T00:00:00\"}}", "interval.to" },
        { "engagements", "{\"interval\":{\"from\":\"2025-01-01T00:00:00\",\"to\":\"2026-01-03T00:00:00\"}}", "interval" },
        { "engagements", "{\"interval\":{\"from\":\"2026-03-01T00:00:00\",\"to\":\"2026-03-02T00:00:00\",\"tz\":\"UTC\"}}", "interval.tz" },
        { "engagements", "{" + Interval + ",\"timezone\":\"Mars/Olympus\"}", "timezone" },
        { "engagements", "{" + Interval + ",\"timezone\":1}", "timezone" },
        { "engagements", "{" + Interval + ",\"granularity\":\"PT5M\"}", "granularity" },
        { "engagements", "{" + Interval + ",\"granularity\":\"p1d\"}", "granularity" },
        { "engagements", "{" + Interval + ",\"granularity\":[\"P1D\"]}", "granularity" },
        { "engagements", "{" + Interval + ",\"group_by\":\"agent_id\"}", "group_by" },
        { "engagements", "{" + Interval + ",\"group_by\":[\"interaction_type\"]}", "group_by" },
        { "interactions", "{" + Interval + ",\"group_by\":[\"channel\"]}", "group_by" },
        { "engagements", "{" + Interval + ",\"group_by\":[\"agent_id\",\"agent_id\"]}", "group_by" },
        { "engagements", "{" + Interval + ",\"group_by\":[\"agent_id\",\"group_id\",\"channel\",\"ticket_status_start\",\"ticket_status_end\"]}", "group_by" },
        { "engagements", "{" + Interval + ",\"group_by\":[7]}", "group_by" },
        { "engagements", "{" + Interval + ",\"filter\":[\"chat\"]}", "filter" },
        { "engagements", "{" + Interval + ",\"filter\":{\"colour\":[\"red\"]}}", "filter.colour" },
        { "engagements", "{" + Interval + ",\"filter\":{\"channel\":\"chat\"}}", "filter.channel" },
        { "engagements", "{" + Interval + ",\"filter\":{\"channel\":[]}}", "filter.channel" },
        { "engagements", "{" + Interval + ",\"filter\":{\"channel\":[\"fax\"]}}", "filter.channel" },
        { "engagements", "{" + Interval + ",\"filter\":{\"agent_id\":[true]}}", "filter.agent_id" },
        { "engagements", "{" + Interval + ",\"filter\":{\"engagement_end_reason\":[\"transferred\"]}}", "filter.engagement_end_reason" },
        { "interactions", "{" + Interval + ",\"filter\":{\"interaction_status\":[\"LOST\"]}}", "filter.interaction_status" },
        { "interactions", "{" + Interval + ",\"filter\":{\"groups\":[null]}}", "filter.groups" },
        { "engagements", "{" + Interval + ",\"metrics\":\"engagements\"}", "metrics" },
        { "engagements", "{" + Interval + ",\"metrics\":[]}", "metrics" },
        { "engagements", "{" + Interval + ",\"metrics\":[\"interactions\"]}", "metrics" },
        { "interactions", "{" + Interval + ",\"metrics\":[\"requester_wait_seconds\"]}", "metrics" },
        { "engagements", "{" + Interval + ",\"metrics\":[\"engagements\",\"engagements\"]}", "metrics" },
        { "interactions", "{" + Interval + ",\"service_level_seconds\":-1}", "service_level_seconds" },
        { "interactions", "{" + Interval + ",\"service_level_seconds\":2.5}", "service_level_seconds" },
        { "interactions", "{" + Interval + ",\"service_level_seconds\":\"20\"}", "service_level_seconds" },
        { "engagements", "{" + Interval + ",\"sort\":\"asc\"}", "sort" },
        { "engagements", "{" + Interval + ",\"timezone\":\"UTC\",\"timezone\":\"UTC\"}", "timezone" },
        // 3 days of quarter hours (288 buckets) × 400 agents is more than 100,000 buckets × groups.
        { "engagements", "{\"interval\":{\"from\":\"2026-03-01T00:00:00Z\",\"to\":\"2026-03-04T00:00:00Z\"},\"granularity\":\"PT15M\",\"group_by\":[\"agent_id\"]}", "group_by" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task A_bad_body_is_422_InvalidValue_naming_the_field(string kind, string body, string field)
    {
        var t = await fixture.Server.NewAccountAsync();
        if (body.Contains("PT15M", StringComparison.Ordinal))
        {
            await t.PostEventsAsync(Sample.Array(Enumerable.Range(0, 400).SelectMany(i => Sample.OneEngagement($"many-{i}", agent: $"{i}"))));
        }

        using var response = await t.SendAsync(HttpMethod.Post, $"/api/v2/{kind}/aggregates", new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.UnprocessableEntity, $"{body}: {(int)response.StatusCode} {text}");
        var json = JsonNode.Parse(text)!;
        Assert.Equal("InvalidValue", json["error"]!.GetValue<string>());
        Assert.True(json["details"]![field] is JsonArray, $"{body}: {text}");
    }

    [Fact]
    public async Task Reading_aggregates_needs_reports_read()
    {
        var t = await fixture.Server.NewAccountAsync(Storage.Scopes.EventsWrite);
        using var response = await t.SendAsync(HttpMethod.Post, "/api/v2/engagements/aggregates", new StringContent("{" + Interval + "}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    public static TheoryData<string, string, string, string, int, string, string> DstDays() => new()
    {
        // zone, granularity, from, to (local), buckets, first start, last start
        { "Europe/Lisbon", "PT1H", "2026-03-29T00:00:00", "2026-03-30T00:00:00", 23, "2026-03-29T00:00:00+00:00", "2026-03-29T23:00:00+01:00" },
        { "Europe/Lisbon", "PT1H", "2026-10-25T00:00:00", "2026-10-26T00:00:00", 25, "2026-10-25T00:00:00+01:00", "2026-10-25T23:00:00+00:00" },
        { "Europe/Lisbon", "P1D", "2026-03-28T00:00:00", "2026-03-31T00:00:00", 3, "2026-03-28T00:00:00+00:00", "2026-03-30T00:00:00+01:00" },
        { "America/New_York", "PT15M", "2026-03-08T00:00:00", "2026-03-09T00:00:00", 92, "2026-03-08T00:00:00-05:00", "2026-03-08T23:45:00-04:00" },
        { "America/New_York", "PT30M", "2026-11-01T00:00:00", "2026-11-02T00:00:00", 50, "2026-11-01T00:00:00-04:00", "2026-11-01T23:30:00-05:00" },
        { "Asia/Kolkata", "P1D", "2026-03-01T00:00:00", "2026-03-03T00:00:00", 2, "2026-03-01T00:00:00+05:30", "2026-03-02T00:00:00+05:30" },
        { "Asia/Kolkata", "PT1H", "2026-03-01T00:00:00Z", "2026-03-01T03:00:00Z", 4, "2026-03-01T05:30:00+05:30", "2026-03-01T08:00:00+05:30" },
        // Lord Howe: +11:00 → +10:30 at 02:00 on 5 April 2026; the repeated half hour 01:30–02:00 is a bucket of its own.
        { "Australia/Lord_Howe", "PT1H", "2026-04-05T00:00:00", "2026-04-06T00:00:00", 25, "2026-04-05T00:00:00+11:00", "2026-04-05T23:00:00+10:30" },
        { "Australia/Lord_Howe", "PT30M", "2026-04-05T00:00:00", "2026-04-06T00:00:00", 49, "2026-04-05T00:00:00+11:00", "2026-04-05T23:30:00+10:30" },
        { "Australia/Lord_Howe", "PT1H", "2026-10-04T00:00:00", "2026-10-05T00:00:00", 24, "2026-10-04T00:00:00+10:30", "2026-10-04T23:00:00+11:00" },
        { "UTC", "P1W", "2026-03-04T12:00:00Z", "2026-03-20T00:00:00Z", 3, "2026-03-04T12:00:00+00:00", "2026-03-16T00:00:00+00:00" },
        { "Europe/Lisbon", "P1M", "2026-01-15T00:00:00", "2026-04-02T00:00:00", 4, "2026-01-15T00:00:00+00:00", "2026-04-01T00:00:00+01:00" },
    };

    [Theory]
    [MemberData(nameof(DstDays))]
    public async Task Buckets_are_aligned_in_the_zone_and_cut_to_the_interval(string zone, string g, string from, string to, int count, string first, string last)
    {
        var t = await fixture.Server.NewAccountAsync();
        var body = new JsonObject
        {
            ["interval"] = new JsonObject { ["from"] = from, ["to"] = to },
            ["timezone"] = zone,
            ["granularity"] = g,
            ["metrics"] = new JsonArray("interactions"),
        };
        var answer = await AggregateProperty.PostAsync(t, false, body);
        var buckets = answer["results"]![0]!["buckets"]!.AsArray();
        Assert.Equal(count, buckets.Count);
        Assert.Equal(first, buckets[0]!["start"]!.GetValue<string>());
        Assert.Equal(last, buckets[^1]!["start"]!.GetValue<string>());
        Assert.Equal(answer["interval"]!["to"]!.GetValue<string>(), buckets[^1]!["end"]!.GetValue<string>());
        Assert.Equal(0, buckets[0]!["interactions"]!.GetValue<int>());
        Assert.Empty(answer["results"]![0]!["group"]!.AsObject());
    }

    [Fact]
    public async Task The_spec_example_answers_typed_group_values_statistics_and_csv_rows()
    {
        var t = await fixture.Server.NewAccountAsync();
        await t.PostEventsAsync(Sample.Array(Sample.OneEngagement("csv-1", agent: "1001").Concat(Sample.OneEngagement("csv-2", agent: "a,b"))));
        const string Body = """
            {"interval": {"from": "2026-01-01T00:00:00", "to": "2026-12-01T00:00:00"}, "timezone": "Europe/Lisbon", "granularity": "P1M",
             "group_by": ["agent_id", "channel"], "filter": {"channel": ["Chat", "email", "messaging"]},
             "metrics": ["engagements", "engagement_duration_seconds", "requester_wait_seconds"], "service_level_seconds": 20}
            """;
        var json = await AggregateProperty.PostAsync(t, true, JsonNode.Parse(Body)!.AsObject());
        var results = json["results"]!.AsArray();
        Assert.Equal(2, results.Count);
        // Ordered by the values as text: "1001" < "a,b"; an id that is a canonical integer is a JSON integer.
        Assert.Equal(1001, results[0]!["group"]!["agent_id"]!.GetValue<long>());
        Assert.Equal("a,b", results[1]!["group"]!["agent_id"]!.GetValue<string>());
        Assert.Equal("2026-01-01T00:00:00+00:00", json["interval"]!["from"]!.GetValue<string>());
        Assert.Equal("2026-12-01T00:00:00+00:00", json["interval"]!["to"]!.GetValue<string>());
        var buckets = results[0]!["buckets"]!.AsArray();
        Assert.Equal(11, buckets.Count);
        Assert.Equal(1, buckets.Sum(b => b!["engagements"]!.GetValue<int>()));
        var stat = buckets.Single(b => b!["engagements"]!.GetValue<int>() == 1)!["engagement_duration_seconds"]!;
        Assert.Equal(1, stat["count"]!.GetValue<long>());
        Assert.Equal(stat["sum"]!.GetValue<long>(), stat["p95"]!.GetValue<long>());
        Assert.Null(buckets[0]!["engagement_duration_seconds"]!["avg"]);

        using var request = new StringContent(Body, Encoding.UTF8, "application/json");
        using var message = new HttpRequestMessage(HttpMethod.Post, "/api/v2/engagements/aggregates") { Content = request };
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", t.Token);
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        using var response = await fixture.Server.Client.SendAsync(message);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        var lines = (await response.Content.ReadAsStringAsync()).Split("\r\n");
        Assert.Equal("agent_id,channel,start,end,engagements,engagement_duration_seconds.count,engagement_duration_seconds.sum,engagement_duration_seconds.avg,"
            + "engagement_duration_seconds.min,engagement_duration_seconds.max,engagement_duration_seconds.p50,engagement_duration_seconds.p90,"
            + "engagement_duration_seconds.p95,requester_wait_seconds", lines[0]);
        Assert.Equal(1 + 22 + 1, lines.Length); // header, 2 groups × 11 months, and the empty text after the last CRLF
        Assert.StartsWith("1001,", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("\"a,b\",", lines[12], StringComparison.Ordinal);
        Assert.EndsWith(",0,0,0,,,,,,,", lines[1], StringComparison.Ordinal);
    }
}
