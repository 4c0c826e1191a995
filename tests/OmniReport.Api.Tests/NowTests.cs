using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using OmniReport.Storage;
using OmniReport.TestSupport;

namespace OmniReport.Api.Tests;

/// <summary>
/// The "now" endpoints (SPEC §9) over shared scenarios, posted up to a moment with the service clock set to it:
/// open engagements while they are open and gone once ended; waiting interactions longest first with their wait.
/// </summary>
public sealed class NowTests : IAsyncLifetime
{
    private ApiServer _server = null!;

    public async Task InitializeAsync() => _server = await ApiServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static DateTimeOffset At(string rfc3339) => DateTimeOffset.Parse(rfc3339, CultureInfo.InvariantCulture);

    /// <summary>Posts the scenario's events that occurred in (after, until] and sets the clock to <paramref name="until"/>.</summary>
    private async Task PostUntilAsync(Tenant t, string scenario, string until, string? after = null)
    {
        var to = At(until);
        var from = after is null ? DateTimeOffset.MinValue : At(after);
        var events = Scenarios.ByName(scenario).Events
            .Where(e => At(e!["occurred_at"]!.GetValue<string>()) is var x && x > from && x <= to)
            .Select(e => e!.DeepClone()).ToArray();
        _server.Clock.Set(to);
        if (events.Length > 0)
        {
            var result = await t.PostEventsAsync(new JsonArray(events).ToJsonString());
            Assert.Equal(events.Length, result["accepted"]!.GetValue<int>());
        }
    }

    [Fact]
    public async Task An_engagement_is_open_while_it_is_open_and_gone_once_it_has_ended()
    {
        var t = await _server.NewAccountAsync();
        await PostUntilAsync(t, "messaging-basic", "2026-03-02T09:00:03Z");
        Assert.Equal(0, (await t.GetJsonAsync("/api/v2/engagements/open"))["count"]!.GetValue<int>());

        await PostUntilAsync(t, "messaging-basic", "2026-03-02T09:01:30Z", "2026-03-02T09:00:03Z");
        var open = (await t.GetJsonAsync("/api/v2/engagements/open")).AsObject();
        Assert.Equal(1, open["count"]!.GetValue<int>());
        var e = open["open_engagements"]![0]!.AsObject();
        Assert.Equal(
            ["engagement_id", "ticket_id", "agent_id", "group_id", "requester_id", "offer_time_seconds",
             "assignment_to_first_reply_time_seconds", "agent_messages_count", "agent_replies_count",
             "total_requester_wait_time_seconds", "longest_requester_wait_time_seconds", "channel",
             "engagement_start_reason", "engagement_start_time", "engagement_end_time", "ticket_status_start",
             "ticket_status_end", "engagement_end_reason", "average_requester_wait_time_seconds",
             "end_user_messages_count", "engagement_duration_seconds", "agent_name", "open_seconds"],
            e.Select(p => p.Key));
        Assert.Equal(1001, e["ticket_id"]!.GetValue<long>());
        Assert.Equal(9001, e["agent_id"]!.GetValue<long>());
        Assert.Equal(77, e["group_id"]!.GetValue<long>());
        Assert.Equal(501, e["requester_id"]!.GetValue<long>());
        Assert.Equal(3, e["offer_time_seconds"]!.GetValue<long>());
        Assert.Equal(60, e["assignment_to_first_reply_time_seconds"]!.GetValue<long>());
        Assert.Equal(1, e["agent_messages_count"]!.GetValue<int>());
        Assert.Equal("MESSAGING", e["channel"]!.GetValue<string>());
        Assert.Equal("Routing assignment accepted", e["engagement_start_reason"]!.GetValue<string>());
        Assert.Equal("2026-03-02T09:00:08", e["engagement_start_time"]!.GetValue<string>());
        foreach (var end in new[] { "engagement_end_time", "ticket_status_end", "engagement_end_reason", "engagement_duration_seconds" })
        {
            Assert.Null(e[end]);
        }

        Assert.Equal("Rui Costa", e["agent_name"]!.GetValue<string>());
        Assert.Equal(82, e["open_seconds"]!.GetValue<long>());
        Assert.Equal(0, (await t.GetJsonAsync("/api/v2/interactions/waiting"))["count"]!.GetValue<int>());

        // The clock alone moves open_seconds.
        _server.Clock.Set(At("2026-03-02T09:02:00.999Z"));
        Assert.Equal(112, (await t.GetJsonAsync("/api/v2/engagements/open"))["open_engagements"]![0]!["open_seconds"]!.GetValue<long>());

        // Solved: gone from the open list, and logged under the id it was shown with.
        await PostUntilAsync(t, "messaging-basic", "2026-03-02T09:03:00Z", "2026-03-02T09:01:30Z");
        open = (await t.GetJsonAsync("/api/v2/engagements/open")).AsObject();
        Assert.Equal(0, open["count"]!.GetValue<int>());
        Assert.Empty(open["open_engagements"]!.AsArray());
        var logged = (await t.GetJsonAsync("/api/v2/engagements"))["agent_engagement_data"]!.AsArray();
        Assert.Equal(e["engagement_id"]!.GetValue<string>(), Assert.Single(logged)!["engagement_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_engagement_past_its_inactivity_end_is_no_longer_open_even_before_the_sweep()
    {
        var t = await _server.NewAccountAsync();
        await PostUntilAsync(t, "messaging-basic", "2026-03-02T09:01:30Z");
        Assert.Equal(1, (await t.GetJsonAsync("/api/v2/engagements/open"))["count"]!.GetValue<int>());

        // Last end-user message 09:00:00, window 10 minutes: open until 09:10:00 (excluded).
        _server.Clock.Set(At("2026-03-02T09:09:59.999Z"));
        Assert.Equal(1, (await t.GetJsonAsync("/api/v2/engagements/open"))["count"]!.GetValue<int>());
        _server.Clock.Set(At("2026-03-02T09:10:00Z"));
        Assert.Equal(0, (await t.GetJsonAsync("/api/v2/engagements/open"))["count"]!.GetValue<int>());
    }

    [Fact]
    public async Task Waiting_interactions_come_longest_wait_first_with_their_waiting_seconds()
    {
        var t = await _server.NewAccountAsync();
        // 1001 created 2026-03-02T09:00:00, not yet accepted; 1004 transferred to group 20 "Tier 2" at 14:01:40.
        await PostUntilAsync(t, "messaging-basic", "2026-03-02T09:00:03Z");
        var w = (await t.GetJsonAsync("/api/v2/interactions/waiting")).AsObject();
        Assert.Equal(1, w["count"]!.GetValue<int>());
        Assert.Equal(3, w["waiting_interactions"]![0]!["waiting_seconds"]!.GetValue<long>());

        await PostUntilAsync(t, "transfers", "2026-03-03T14:01:50Z");
        w = (await t.GetJsonAsync("/api/v2/interactions/waiting")).AsObject();
        Assert.Equal(2, w["count"]!.GetValue<int>());
        var rows = w["waiting_interactions"]!.AsArray();
        Assert.Equal(
            """{"interaction_id":"1001","interaction_type":"MESSAGING","groups":"Support","start_date-time":"2026-03-02 09:00:00","waiting_seconds":104510}""",
            rows[0]!.ToJsonString());
        Assert.Equal(
            """{"interaction_id":"1004","interaction_type":"CHAT","groups":"Tier 2","start_date-time":"2026-03-03 14:00:00","waiting_seconds":110}""",
            rows[1]!.ToJsonString());

        // Filters and limit: count is the total of what matches, limit only cuts the list.
        var limited = (await t.GetJsonAsync("/api/v2/interactions/waiting?limit=1")).AsObject();
        Assert.Equal(2, limited["count"]!.GetValue<int>());
        Assert.Equal("1001", Assert.Single(limited["waiting_interactions"]!.AsArray())!["interaction_id"]!.GetValue<string>());
        Assert.Equal(["1004"], await IdsAsync(t, "/api/v2/interactions/waiting?channel=CHAT"));
        Assert.Equal(["1004"], await IdsAsync(t, "/api/v2/interactions/waiting?group_id=20")); // the id, though groups shows the name
        Assert.Equal(["1001"], await IdsAsync(t, "/api/v2/interactions/waiting?group_id=77"));
        Assert.Empty(await IdsAsync(t, "/api/v2/interactions/waiting?group_id=Tier%202"));

        // Picked up by Sofia at 14:02:26: no longer waiting; her engagement is open.
        await PostUntilAsync(t, "transfers", "2026-03-03T14:02:30Z", "2026-03-03T14:01:50Z");
        Assert.Equal(["1001"], await IdsAsync(t, "/api/v2/interactions/waiting"));
        var open = (await t.GetJsonAsync("/api/v2/engagements/open?channel=chat&group_id=20"))["open_engagements"]!.AsArray();
        Assert.Equal("Sofia", Assert.Single(open)!["agent_name"]!.GetValue<string>());
        Assert.Equal(4, open[0]!["open_seconds"]!.GetValue<long>());
        Assert.Empty((await t.GetJsonAsync("/api/v2/engagements/open?group_id=10"))["open_engagements"]!.AsArray());
    }

    [Fact]
    public async Task Ended_and_solved_interactions_do_not_wait()
    {
        var t = await _server.NewAccountAsync();
        await PostUntilAsync(t, "voice-calls", "2026-03-02T11:03:30Z");
        Assert.Equal(["c-3"], await IdsAsync(t, "/api/v2/interactions/waiting"));
        Assert.Equal(10, (await t.GetJsonAsync("/api/v2/interactions/waiting"))["waiting_interactions"]![0]!["waiting_seconds"]!.GetValue<long>());
        await PostUntilAsync(t, "voice-calls", "2026-03-02T11:03:35Z", "2026-03-02T11:03:30Z");
        Assert.Empty(await IdsAsync(t, "/api/v2/interactions/waiting"));
    }

    [Theory]
    [InlineData("/api/v2/engagements/open?limit=0", "limit")]
    [InlineData("/api/v2/engagements/open?limit=1001", "limit")]
    [InlineData("/api/v2/interactions/waiting?limit=ten", "limit")]
    [InlineData("/api/v2/interactions/waiting?channel=fax", "channel")]
    [InlineData("/api/v2/interactions/waiting?group_id=1&group_id=2", "group_id")]
    public async Task A_bad_parameter_is_a_400_naming_it(string path, string field)
    {
        var t = await _server.NewAccountAsync();
        using var response = await t.GetAsync(path);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("InvalidValue", body["error"]!.GetValue<string>());
        Assert.StartsWith(field + ":", body["description"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_now_endpoints_need_a_token_with_reports_read()
    {
        var writer = await _server.NewAccountAsync(Scopes.EventsWrite);
        foreach (var path in new[] { "/api/v2/engagements/open", "/api/v2/interactions/waiting" })
        {
            using var none = await _server.Client.GetAsync(path);
            Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
            using var forbidden = await writer.GetAsync(path);
            Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        }
    }

    private static async Task<string[]> IdsAsync(Tenant t, string path) =>
        [.. (await t.GetJsonAsync(path))["waiting_interactions"]!.AsArray().Select(x => x!["interaction_id"]!.GetValue<string>())];
}
