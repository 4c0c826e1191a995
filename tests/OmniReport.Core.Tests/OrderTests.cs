using System.Text.Json.Nodes;
using OmniReport.Core.Derivation;
using OmniReport.Core.Events;
using OmniReport.Core.Settings;
using OmniReport.TestSupport;

namespace OmniReport.Core.Tests;

/// <summary>SPEC §1 "Order": processing order, late events, and the first interaction.created.</summary>
public sealed class OrderTests
{
    private static EventLog Conversation() => new EventLog("100").Created("09:00:00", "messaging", ("requester", new JsonObject { ["id"] = "500", ["name"] = "Ana" }))
        .EndUser("09:00:00").Offer("09:00:05", "7").Accept("09:00:10", "7").AgentMessage("09:00:40", "7").EndUser("09:01:00")
        .AgentMessage("09:02:00", "7").TransferTo("09:03:00", "8").AgentMessage("09:03:30", "8").Status("09:04:00", "solved");

    private static string Report(Derived d) => d.Engagements.ToJsonString() + "\n" + d.Interactions.ToJsonString();

    [Fact]
    public void Interaction_created_arriving_after_its_other_events_gives_the_same_records()
    {
        var log = Conversation();
        var n = log.Events.Count;
        var inOrder = log.Derive();
        var createdLast = log.Derive(order: Enumerable.Range(1, n - 1).Append(0));
        Assert.Equal(2, inOrder.Engagements.Count);
        Assert.Equal(Report(inOrder), Report(createdLast));
    }

    [Fact]
    public void Events_are_processed_by_occurred_at_whatever_their_arrival()
    {
        var log = Conversation();
        var n = log.Events.Count;
        Assert.Equal(Report(log.Derive()), Report(log.Derive(order: Enumerable.Range(0, n).Reverse())));
    }

    [Fact]
    public void Events_of_an_interaction_without_created_are_kept_and_count_once_it_arrives()
    {
        var lines = Conversation().Lines;
        var parser = new EventParser();
        var account = new AccountDerivation();
        for (var i = 1; i < lines.Count; i++)
        {
            Assert.True(parser.TryParse(lines[i], i, out var ev, out _));
            account.Add(ev!);
        }

        var now = EventLog.Ms(EventLog.Later);
        var before = account.Run(AccountSettings.Default, now);
        Assert.Empty(before.Engagements);
        Assert.Empty(before.Interactions);
        Assert.Equal("", before.Names.NameOf("7") ?? "");

        Assert.True(parser.TryParse(lines[0], 0, out var created, out _));
        account.Add(created!);
        var after = account.Run(AccountSettings.Default, now);
        Assert.Equal(2, after.Engagements.Count);
        Assert.Single(after.Interactions);
    }

    [Fact]
    public void Events_before_the_created_time_are_processed_after_it()
    {
        // The end-user message at 08:59 counts: the conversation is active at 09:01, and a wait runs at the start.
        var e = new EventLog().Created("09:00:00").EndUser("08:59:00").Assign("09:01:00", "7").AgentMessage("09:01:30", "7").Status("09:02:00", "solved").Derive().Engagement;
        Assert.Equal("2026-03-02T09:01:00", e.Str("engagement_start_time"));
        Assert.Equal(1, e.Num("agent_replies_count"));
        Assert.Equal(30, e.Num("total_requester_wait_time_seconds"));
    }

    [Fact]
    public void Later_interaction_created_counts_for_nothing()
    {
        var r = new EventLog().Created("09:00:00", "chat", ("requester", new JsonObject { ["id"] = "500", ["name"] = "Ana" }), ("group_id", "20"), ("external_id", "A"))
            .Created("09:05:00", "voice", ("direction", "outbound"), ("requester", new JsonObject { ["id"] = "600", ["name"] = "Bo" }), ("group_id", "30"), ("external_id", "B"), ("status", "solved"))
            .Derive().Interaction;
        Assert.Equal(("CHAT", "INBOUND", "2026-03-02 09:00:00"), (r.Str("interaction_type"), r.Str("interaction_direction"), r.Str("start_date-time")));
        Assert.Equal(("Ana", "500", "20", "A"), (r.Str("name"), r.Str("contact_id"), r.Str("groups"), r.Str("external_id")));
        Assert.Null(r["end_date-time"]);
    }

    [Fact]
    public void The_earliest_interaction_created_is_the_first_whatever_its_arrival()
    {
        // decisions.md: the first interaction.created is the earliest by (occurred_at, arrival).
        var log = new EventLog().Created("09:05:00", "voice").Created("09:00:00", "chat");
        var r = log.Derive().Interaction;
        Assert.Equal(("CHAT", "2026-03-02 09:00:00"), (r.Str("interaction_type"), r.Str("start_date-time")));
        Assert.Equal(Report(log.Derive()), Report(log.Derive(order: [1, 0])));
    }

    [Fact]
    public void Ties_are_broken_by_arrival()
    {
        var a = new EventLog().Created("09:00:00", "email").Assign("09:01:00", "7").Assign("09:01:00", "8").Status("09:02:00", "solved").Derive();
        Assert.Equal("8", a.Interaction.Str("agent_id"));
        var b = new EventLog().Created("09:00:00", "email").Assign("09:01:00", "7").Assign("09:01:00", "8").Status("09:02:00", "solved").Derive(order: [0, 2, 1, 3]);
        Assert.Equal("7", b.Interaction.Str("agent_id"));
    }

    [Fact]
    public void Duplicates_arriving_late_change_nothing()
    {
        var log = Conversation();
        var n = log.Events.Count;
        Assert.Equal(Report(log.Derive()), Report(log.Derive(order: Enumerable.Range(0, n).Concat(Enumerable.Range(0, n)))));
    }
}
