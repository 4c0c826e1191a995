using System.Globalization;
using System.Text.Json.Nodes;
using OmniReport.Core.Derivation;
using OmniReport.Storage;
using OmniReport.TestSupport;

namespace OmniReport.Api.Tests.Connectors;

/// <summary>Vendor samples, and what the SPEC's rules make of them: expected engagements and interaction records.</summary>
internal static class ConnectorKit
{
    /// <summary>The time of the sequences' first vendor event.</summary>
    public static readonly DateTimeOffset T0 = new(2026, 5, 4, 9, 0, 0, TimeSpan.Zero);

    public static string DataPath(params string[] parts) =>
        Path.Combine([Scenarios.RepositoryRoot, "tests", "data", "connectors", .. parts]);

    /// <summary>T0 + seconds as Unix milliseconds.</summary>
    public static long Ms(double seconds) => T0.ToUnixTimeMilliseconds() + (long)(seconds * 1000);

    /// <summary>T0 + seconds as RFC 3339 with milliseconds, as Amazon Connect writes its timestamps.</summary>
    public static string Iso(double seconds) =>
        DateTimeOffset.FromUnixTimeMilliseconds(Ms(seconds)).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>The logged engagements of one interaction, in API order, without their ids (checked to be well formed).</summary>
    public static async Task<JsonArray> EngagementsAsync(Tenant tenant, string interactionId)
    {
        var page = await tenant.GetJsonAsync($"/api/v2/engagements?page_size=100&ticket_id={Uri.EscapeDataString(interactionId)}");
        var rows = page["agent_engagement_data"]!.AsArray();
        foreach (var row in rows)
        {
            var id = row!["engagement_id"]!.GetValue<string>();
            Assert.Matches("^[0-9A-F]{32}$", id);
            row.AsObject().Remove("engagement_id");
        }

        return rows;
    }

    /// <summary>The interaction record with its agent name, or null when the interaction has none.</summary>
    public static async Task<InteractionRow?> RecordAsync(Tenant tenant, string interactionId)
    {
        await foreach (var row in tenant.Server.Store.InteractionsByStartAsync(tenant.Account.Id, long.MinValue / 2, long.MaxValue / 2))
        {
            if (row.Record.InteractionId == interactionId)
            {
                return row;
            }
        }

        return null;
    }

    /// <summary>
    /// An engagement object as §5.3 writes it, for a leg without messages (voice, or a chat that carries none):
    /// message counts 0, no reply, no wait.
    /// </summary>
    public static JsonObject Engagement(string ticket, string agent, string? group, long? offerSeconds, string channel,
        string startReason, double start, double end, string endReason, string? requester = null) => new()
    {
        ["ticket_id"] = ticket,
        ["agent_id"] = agent,
        ["group_id"] = group,
        ["requester_id"] = requester,
        ["offer_time_seconds"] = offerSeconds,
        ["assignment_to_first_reply_time_seconds"] = null,
        ["agent_messages_count"] = 0,
        ["agent_replies_count"] = 0,
        ["total_requester_wait_time_seconds"] = 0,
        ["longest_requester_wait_time_seconds"] = null,
        ["channel"] = channel,
        ["engagement_start_reason"] = startReason,
        ["engagement_start_time"] = Text(start),
        ["engagement_end_time"] = Text(end),
        ["ticket_status_start"] = "NEW",
        ["ticket_status_end"] = "NEW",
        ["engagement_end_reason"] = endReason,
        ["average_requester_wait_time_seconds"] = null,
        ["end_user_messages_count"] = 0,
        ["engagement_duration_seconds"] = (long)Math.Floor(end - start),
    };

    /// <summary>Asserts the engagements equal the expected ones, field by field, in order.</summary>
    public static void Equal(IReadOnlyList<JsonObject> expected, JsonArray actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            var e = expected[i];
            var a = actual[i]!.AsObject();
            Assert.Equal(e.Select(p => p.Key), a.Select(p => p.Key));
            foreach (var (name, value) in e)
            {
                Assert.True(JsonNode.DeepEquals(value, a[name]), $"engagement {i}, {name}: expected {value?.ToJsonString() ?? "null"}, got {a[name]?.ToJsonString() ?? "null"}");
            }
        }
    }

    private static string Text(double seconds) =>
        DateTimeOffset.FromUnixTimeMilliseconds(Ms(seconds)).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
}
