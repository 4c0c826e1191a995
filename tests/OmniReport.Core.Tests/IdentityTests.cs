using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OmniReport.TestSupport;

namespace OmniReport.Core.Tests;

/// <summary>SPEC §3.6 engagement ids, and §5.3 ids as JSON integers or strings.</summary>
public sealed class IdentityTests
{
    private static string Expected(string text) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32];

    [Fact]
    public void Engagement_id_is_sha256_of_interaction_agent_and_start_ms()
    {
        var e = new EventLog("100").Created("09:00:00", "email").Assign("09:01:00.123", "7").Status("09:02:00", "solved").Derive().Engagement;
        var ms = EventLog.Ms("09:01:00.123");
        Assert.Equal(1_772_442_060_123, ms);
        Assert.Equal(Expected($"100\n7\n{ms}"), e.Str("engagement_id"));
        Assert.Matches("^[0-9A-F]{32}$", e.Str("engagement_id"));
    }

    [Fact]
    public void Engagement_id_uses_the_ids_as_given_in_utf8()
    {
        var e = new EventLog("çà-ticket").Created("09:00:00", "email").Assign("09:01:00", "agent-é").Status("09:02:00", "solved").Derive().Engagement;
        Assert.Equal(Expected($"çà-ticket\nagent-é\n{EventLog.Ms("09:01:00")}"), e.Str("engagement_id"));
    }

    [Fact]
    public void Two_zero_length_engagements_at_one_instant_get_the_k_suffix()
    {
        var d = new EventLog("100").Created("09:00:00", "email").Assign("09:01:00", "7").Status("09:01:00", "pending")
            .Status("09:01:00", "open").Status("09:01:00", "solved").Derive();
        var ms = EventLog.Ms("09:01:00");
        Assert.Equal(2, d.Engagements.Count);
        var byReason = d.Account.Engagements.ToDictionary(e => e.StartReason, e => e.EngagementId);
        Assert.Equal(Expected($"100\n7\n{ms}"), byReason["Manual assignment"]);
        Assert.Equal(Expected($"100\n7\n{ms}\n1"), byReason["Reopened"]);
        Assert.All(d.Account.Engagements, e => Assert.Equal(0, e.EngagementDurationSeconds));
    }

    [Fact]
    public void Three_engagements_at_one_instant_get_suffixes_1_and_2()
    {
        var d = new EventLog("100").Created("09:00:00", "email").Assign("09:01:00", "7").Status("09:01:00", "pending")
            .Status("09:01:00", "open").Status("09:01:00", "on_hold").Status("09:01:00", "open").Status("09:01:00", "solved").Derive();
        var ms = EventLog.Ms("09:01:00");
        var ids = d.Account.Engagements.Select(e => e.EngagementId).Order(StringComparer.Ordinal);
        Assert.Equal(new[] { Expected($"100\n7\n{ms}"), Expected($"100\n7\n{ms}\n1"), Expected($"100\n7\n{ms}\n2") }.Order(StringComparer.Ordinal), ids);
    }

    [Fact]
    public void Transfer_to_self_at_the_starting_instant_gives_the_k_suffix()
    {
        var d = new EventLog("100").Created("09:00:00", "email").Assign("09:01:00", "7").TransferTo("09:01:00", "7").Status("09:02:00", "solved").Derive();
        var ms = EventLog.Ms("09:01:00");
        var byReason = d.Account.Engagements.ToDictionary(e => e.StartReason, e => e.EngagementId);
        Assert.Equal(Expected($"100\n7\n{ms}"), byReason["Manual assignment"]);
        Assert.Equal(Expected($"100\n7\n{ms}\n1"), byReason["Transferred"]);
    }

    [Fact]
    public void Engagements_of_different_agents_at_one_instant_have_no_suffix()
    {
        var d = new EventLog("100").Created("09:00:00", "email").Assign("09:01:00", "7").TransferTo("09:01:00", "8").Status("09:02:00", "solved").Derive();
        var ms = EventLog.Ms("09:01:00");
        var ids = d.Account.Engagements.ToDictionary(e => e.AgentId, e => e.EngagementId);
        Assert.Equal(Expected($"100\n7\n{ms}"), ids["7"]);
        Assert.Equal(Expected($"100\n8\n{ms}"), ids["8"]);
    }

    [Fact]
    public void Engagement_id_uses_the_utc_unix_ms_of_a_timestamp_with_offset()
    {
        var e = new EventLog("100").Created("2026-03-02T10:00:00+01:00", "email").Assign("2026-03-02T10:01:00.5+01:00", "7")
            .Status("2026-03-02T10:02:00+01:00", "solved").Derive().Engagement;
        Assert.Equal(Expected($"100\n7\n{EventLog.Ms("09:01:00.500")}"), e.Str("engagement_id"));
        Assert.Equal("2026-03-02T09:01:00", e.Str("engagement_start_time"));
    }

    public static TheoryData<string, JsonValueKind> CanonicalCases => new()
    {
        { "0", JsonValueKind.Number },
        { "42", JsonValueKind.Number },
        { "-5", JsonValueKind.Number },
        { "9007199254740991", JsonValueKind.Number },
        { "-9007199254740991", JsonValueKind.Number },
        { "9007199254740992", JsonValueKind.String },
        { "-9007199254740992", JsonValueKind.String },
        { "007", JsonValueKind.String },
        { "-0", JsonValueKind.String },
        { "+5", JsonValueKind.String },
        { "1e3", JsonValueKind.String },
        { "5.0", JsonValueKind.String },
        { " 5", JsonValueKind.String },
        { "abc", JsonValueKind.String },
        { "99999999999999999999999", JsonValueKind.String },
    };

    [Theory]
    [MemberData(nameof(CanonicalCases))]
    public void Ids_are_json_integers_only_when_canonical_up_to_2_53_minus_1(string id, JsonValueKind kind)
    {
        var d = new EventLog(id).Created("09:00:00", "email", ("group_id", id), ("requester", new JsonObject { ["id"] = id }))
            .Assign("09:01:00", id).Status("09:02:00", "solved").Derive();
        var e = d.Engagement;
        foreach (var field in new[] { "ticket_id", "agent_id", "group_id", "requester_id" })
        {
            var node = e[field]!;
            Assert.Equal(kind, node.GetValueKind());
            Assert.Equal(id, kind == JsonValueKind.Number ? node.GetValue<long>().ToString(System.Globalization.CultureInfo.InvariantCulture) : node.GetValue<string>());
        }

        // The interaction report keeps ids as strings.
        var r = d.Interaction;
        foreach (var field in new[] { "interaction_id", "agent_id", "contact_id" })
        {
            Assert.Equal(JsonValueKind.String, r[field]!.GetValueKind());
            Assert.Equal(id, r.Str(field));
        }
    }

    [Fact]
    public void Engagement_ids_are_unique_across_interactions_with_the_same_agent_and_start()
    {
        var d = new EventLog("1").Created("09:00:00", "email").Assign("09:01:00", "7").Status("09:02:00", "solved")
            .For("2").Created("09:00:00", "email").Assign("09:01:00", "7").Status("09:02:00", "solved").Derive();
        Assert.Equal(2, d.Account.Engagements.Select(e => e.EngagementId).Distinct().Count());
    }

    [Fact]
    public void Engagement_ids_are_stable_under_recomputation_in_any_arrival_order()
    {
        var log = new EventLog("100").Created("09:00:00", "email").Assign("09:01:00", "7").Status("09:01:00", "pending")
            .Status("09:01:00", "open").Status("09:01:00", "solved");
        var first = log.Derive().Engagements.ToJsonString();
        var reversed = log.Derive(order: [1, 2, 3, 4, 0]).Engagements.ToJsonString();
        Assert.Equal(first, reversed);
        Assert.Equal(first, log.Derive().Engagements.ToJsonString());
    }
}
