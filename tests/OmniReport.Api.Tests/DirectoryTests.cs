using System.Net;
using System.Text.Json.Nodes;
using OmniReport.Storage;

namespace OmniReport.Api.Tests;

/// <summary>GET /api/v2/agents and GET /api/v2/groups: names for the ids engagements and aggregates carry.</summary>
public sealed class DirectoryTests : IAsyncLifetime
{
    private ApiServer _server = null!;

    public async Task InitializeAsync() => _server = await ApiServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Agents_and_groups_are_listed_with_names_ids_typed_as_in_engagement_objects()
    {
        var t = await _server.NewAccountAsync();
        await t.PostEventsAsync("""
            [{"id":"a1","type":"interaction.created","occurred_at":"2026-05-04T09:00:00Z","interaction_id":"1","channel":"email","group_id":"5","group_name":"Billing"},
             {"id":"a2","type":"offer.accepted","occurred_at":"2026-05-04T09:00:10Z","interaction_id":"1","agent_id":"1001","agent_name":"Ana Lima"},
             {"id":"a3","type":"interaction.ended","occurred_at":"2026-05-04T09:05:00Z","interaction_id":"1"},
             {"id":"b1","type":"interaction.created","occurred_at":"2026-05-04T09:00:00Z","interaction_id":"2","channel":"chat","group_id":"tier-2"},
             {"id":"b2","type":"message.created","occurred_at":"2026-05-04T09:00:05Z","interaction_id":"2","author_type":"bot","author_id":"bot-1","author_name":"Helper"}]
            """);

        var agents = (await t.GetJsonAsync("/api/v2/agents")).AsObject();
        Assert.Equal("""{"agents":[{"id":1001,"name":"Ana Lima"},{"id":"bot-1","name":"Helper"}],"count":2}""", agents.ToJsonString());
        var groups = (await t.GetJsonAsync("/api/v2/groups")).AsObject();
        Assert.Equal("""{"groups":[{"id":5,"name":"Billing","names":["Billing"]},{"id":"tier-2","name":"tier-2","names":["tier-2"]}],"count":2}""",
            groups.ToJsonString());

        // reports:read, like every read.
        var writer = await _server.NewAccountAsync(Scopes.EventsWrite);
        foreach (var path in new[] { "/api/v2/agents", "/api/v2/groups" })
        {
            using var forbidden = await writer.GetAsync(path);
            Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
            Assert.Equal("Forbidden", JsonNode.Parse(await forbidden.Content.ReadAsStringAsync())!["error"]!.GetValue<string>());
        }
    }
}
