using OmniReport.TestSupport;

namespace OmniReport.Core.Tests;

/// <summary>SPEC §3.3: what ends an engagement, with which reason and status, and the inactivity boundary (§3.1, §2).</summary>
public sealed class EndRuleTests
{
    private const string Reason = "engagement_end_reason";

    /// <summary>A messaging interaction with an open engagement of agent 7 from 09:01 (end-user message at 09:00).</summary>
    private static EventLog Open(string channel = "messaging") => new EventLog().Created("09:00:00", channel).EndUser("09:00:00").Assign("09:01:00", "7");

    [Fact]
    public void Inactivity_ends_engagement_at_last_end_user_message_plus_window()
    {
        var d = Open().AgentMessage("09:02:00", "7").Derive();
        var e = d.Engagement;
        Assert.Equal("Inactivity timeout", e.Str(Reason));
        Assert.Equal("2026-03-02T09:10:00", e.Str("engagement_end_time"));
        Assert.Equal(540, e.Num("engagement_duration_seconds"));
        Assert.Equal("NEW", e.Str("ticket_status_end"));
    }

    [Theory]
    [InlineData("messaging")]
    [InlineData("chat")]
    [InlineData("sms")]
    [InlineData("whatsapp")]
    [InlineData("social")]
    public void Every_conversational_channel_ends_by_inactivity(string channel)
    {
        var d = Open(channel).Derive();
        Assert.Equal("Inactivity timeout", d.Engagement.Str(Reason));
        Assert.Equal(EventLog.Ms("09:10:00"), d.ByStart.Single().EndMs);
    }

    [Theory]
    [InlineData("email")]
    [InlineData("voice")]
    public void Email_and_voice_never_end_by_inactivity(string channel)
    {
        var d = Open(channel).Status("13:00:00", "solved").Derive();
        Assert.Equal("Ticket status updated - Solved", d.Engagement.Str(Reason));
        Assert.Equal(EventLog.Ms("13:00:00"), d.ByStart.Single().EndMs);
    }

    [Fact]
    public void Inactivity_end_keeps_millisecond_precision_of_the_last_end_user_message()
    {
        var d = Open().EndUser("09:05:00.250").Derive();
        Assert.Equal(EventLog.Ms("09:15:00.250"), d.ByStart.Single().EndMs);
        Assert.Equal(840, d.Engagement.Num("engagement_duration_seconds"));
    }

    [Fact]
    public void End_user_message_exactly_at_last_plus_window_comes_after_the_inactivity_end()
    {
        var d = Open().EndUser("09:10:00").Status("09:12:00", "solved").Derive();
        var list = d.ByStart;
        Assert.Equal(2, list.Count);
        Assert.Equal("Inactivity timeout", list[0].EndReason);
        Assert.Equal(EventLog.Ms("09:10:00"), list[0].EndMs);
        Assert.Equal(0, list[0].EndUserMessagesCount);
        Assert.Equal(EventLog.Ms("09:10:00"), list[1].StartMs);
        Assert.Equal("Manual assignment", list[1].StartReason);
        Assert.Equal(1, list[1].EndUserMessagesCount);
        Assert.Equal("Ticket status updated - Solved", list[1].EndReason);
    }

    [Fact]
    public void End_user_message_one_ms_before_last_plus_window_keeps_the_engagement_open()
    {
        var d = Open().EndUser("09:09:59.999").Derive();
        var e = d.ByStart.Single();
        Assert.Equal("Inactivity timeout", e.EndReason);
        Assert.Equal(EventLog.Ms("09:19:59.999"), e.EndMs);
        Assert.Equal(1139, e.EngagementDurationSeconds);
        Assert.Equal("2026-03-02T09:19:59", d.Engagement.Str("engagement_end_time"));
    }

    [Fact]
    public void Status_change_exactly_at_the_inactivity_moment_comes_after_the_inactivity_end()
    {
        var d = Open().Status("09:10:00", "solved").Derive();
        Assert.Equal("Inactivity timeout", d.Engagement.Str(Reason));
        Assert.Equal("NEW", d.Engagement.Str("ticket_status_end"));
    }

    [Fact]
    public void Inactivity_end_is_applied_once_now_reaches_it()
    {
        var d = Open().Derive(now: EventLog.T("09:10:00"));
        Assert.Equal("Inactivity timeout", d.Engagement.Str(Reason));
        Assert.Equal("2026-03-02T09:10:00", d.Engagement.Str("engagement_end_time"));
    }

    [Fact]
    public void Inactivity_end_not_yet_reached_by_now_leaves_the_engagement_open_and_unlogged()
    {
        var d = Open().Derive(now: EventLog.T("09:09:59.999"));
        Assert.Empty(d.Engagements);
        Assert.Equal("ASSIGNED", d.Interaction.Str("interaction_status"));
    }

    [Theory]
    [InlineData("messaging_activity_routing")]
    [InlineData("inactive_conversations_count_toward_capacity")]
    public void Either_setting_switches_the_inactivity_end_off(string setting)
    {
        var settings = $$"""{"{{setting}}": true}""";
        Assert.Empty(Open().Derive(settings).Engagements);
        var d = Open().EndUser("11:00:00").Status("12:00:00", "solved").Derive(settings);
        var e = d.Engagement;
        Assert.Equal("Ticket status updated - Solved", e.Str(Reason));
        Assert.Equal(10_740, e.Num("engagement_duration_seconds"));
        Assert.Equal(1, e.Num("end_user_messages_count"));
    }

    [Fact]
    public void Settings_set_to_false_keep_the_inactivity_end()
    {
        var d = Open().Derive("""{"messaging_activity_routing": false, "inactive_conversations_count_toward_capacity": false}""");
        Assert.Equal("Inactivity timeout", d.Engagement.Str(Reason));
    }

    [Fact]
    public void Inactivity_timeout_minutes_sets_the_window()
    {
        var d = Open().EndUser("09:25:00").Derive("""{"inactivity_timeout_minutes": 30}""");
        var e = d.ByStart.Single();
        Assert.Equal(EventLog.Ms("09:55:00"), e.EndMs);
        Assert.Equal("Inactivity timeout", e.EndReason);
    }

    [Fact]
    public void A_shorter_window_makes_an_assignment_pending()
    {
        var d = new EventLog().Created("09:00:00").EndUser("09:00:00").Assign("09:01:00", "7").EndUser("09:03:00").Derive("""{"inactivity_timeout_minutes": 1}""");
        var e = d.ByStart.Single();
        Assert.Equal(EventLog.Ms("09:03:00"), e.StartMs);
        Assert.Equal(EventLog.Ms("09:04:00"), e.EndMs);
    }

    [Fact]
    public void Internal_end_user_note_does_not_keep_the_conversation_active()
    {
        var d = Open().EndUser("09:05:00", isPublic: false).Derive();
        Assert.Equal(EventLog.Ms("09:10:00"), d.ByStart.Single().EndMs);
    }

    [Fact]
    public void Agent_and_bot_messages_do_not_keep_the_conversation_active()
    {
        var d = Open().AgentMessage("09:05:00", "7").BotMessage("09:06:00", "b1").Derive();
        Assert.Equal(EventLog.Ms("09:10:00"), d.ByStart.Single().EndMs);
    }

    [Fact]
    public void Conversation_ended_ends_engagement_with_Agent_closed_conversation()
    {
        var d = Open().ConversationEnded("09:03:00").Derive();
        var e = d.Engagement;
        Assert.Equal("Agent closed conversation", e.Str(Reason));
        Assert.Equal("2026-03-02T09:03:00", e.Str("engagement_end_time"));
        Assert.Equal("NEW", e.Str("ticket_status_end"));
    }

    [Fact]
    public void Transfer_to_agent_ends_engagement_with_Transferred_and_starts_the_other_agents()
    {
        var d = Open().TransferTo("09:03:00", "8").Status("09:05:00", "solved").Derive();
        var list = d.ByStart;
        Assert.Equal(2, list.Count);
        Assert.Equal(("7", "Transferred", EventLog.Ms("09:03:00")), (list[0].AgentId, list[0].EndReason, list[0].EndMs));
        Assert.Equal(("8", "Transferred", EventLog.Ms("09:03:00")), (list[1].AgentId, list[1].StartReason, list[1].StartMs));
    }

    [Fact]
    public void Transfer_to_group_ends_engagement_with_Transferred()
    {
        var d = Open().TransferToGroup("09:03:00", "30", "Tier 2").Status("09:05:00", "solved").Derive();
        var e = d.Engagement;
        Assert.Equal("Transferred", e.Str(Reason));
        Assert.Equal("2026-03-02T09:03:00", e.Str("engagement_end_time"));
        var r = d.Interaction;
        Assert.Equal("Tier 2", r.Str("groups"));
        Assert.Equal("7", r.Str("agent_id"));
    }

    [Fact]
    public void Transfer_to_group_unassigns_so_the_interaction_is_offered()
    {
        var d = Open().TransferToGroup("09:03:00", "30").Derive(now: EventLog.T("09:04:00"));
        Assert.Equal("OFFERED", d.Interaction.Str("interaction_status"));
        Assert.Equal("30", d.Interaction.Str("groups"));
    }

    [Fact]
    public void Transfer_to_agent_and_group_gives_the_new_engagement_the_new_group()
    {
        var d = new EventLog().Created("09:00:00", "messaging", ("group_id", "20")).EndUser("09:00:00").Assign("09:01:00", "7")
            .TransferTo("09:03:00", "8", ("to_group_id", "30")).Status("09:05:00", "solved").Derive();
        var list = d.ByStart;
        Assert.Equal("20", list[0].GroupId);
        Assert.Equal("30", list[1].GroupId);
    }

    [Fact]
    public void Assignment_after_transfer_to_group_starts_in_the_new_group()
    {
        var d = Open().TransferToGroup("09:03:00", "30").Assign("09:04:00", "8").Status("09:05:00", "solved").Derive();
        var list = d.ByStart;
        Assert.Equal(2, list.Count);
        Assert.Equal(("8", "30", "Manual assignment"), (list[1].AgentId, list[1].GroupId, list[1].StartReason));
    }

    [Theory]
    [InlineData("pending", "PENDING")]
    [InlineData("on_hold", "ON_HOLD")]
    public void Pending_or_on_hold_ends_engagement_with_Pending_On_Hold(string status, string wire)
    {
        var e = Open().Status("09:03:00", status).Derive().Engagement;
        Assert.Equal("Ticket status updated - Pending/On Hold", e.Str(Reason));
        Assert.Equal(wire, e.Str("ticket_status_end"));
        Assert.Equal("2026-03-02T09:03:00", e.Str("engagement_end_time"));
    }

    [Theory]
    [InlineData("solved", "SOLVED")]
    [InlineData("closed", "CLOSED")]
    public void Solved_or_closed_ends_engagement_with_Solved(string status, string wire)
    {
        var e = Open().Status("09:03:00", status).Derive().Engagement;
        Assert.Equal("Ticket status updated - Solved", e.Str(Reason));
        Assert.Equal(wire, e.Str("ticket_status_end"));
    }

    [Fact]
    public void Status_change_to_open_or_new_does_not_end_an_engagement()
    {
        var e = Open().Status("09:02:00", "open").Status("09:03:00", "new").Status("09:04:00", "solved").Derive().Engagement;
        Assert.Equal("Ticket status updated - Solved", e.Str(Reason));
        Assert.Equal(180, e.Num("engagement_duration_seconds"));
    }

    [Theory]
    [InlineData("manual", "Manual assignment")]
    [InlineData("routing", "Routing assignment accepted")]
    [InlineData("sole_agent", "Assigned")]
    public void Assignment_to_another_agent_ends_engagement_with_Manual_reassignment(string via, string startReason)
    {
        var list = Open().Assign("09:03:00", "8", via).Status("09:05:00", "solved").Derive().ByStart;
        Assert.Equal(2, list.Count);
        Assert.Equal(("7", "Manual reassignment", EventLog.Ms("09:03:00")), (list[0].AgentId, list[0].EndReason, list[0].EndMs));
        Assert.Equal(("8", startReason, EventLog.Ms("09:03:00")), (list[1].AgentId, list[1].StartReason, list[1].StartMs));
    }

    [Fact]
    public void Offer_accepted_by_another_agent_ends_engagement_with_Manual_reassignment()
    {
        var list = Open().Offer("09:02:00", "8").Accept("09:03:00", "8").Status("09:05:00", "solved").Derive().ByStart;
        Assert.Equal(2, list.Count);
        Assert.Equal(("7", "Manual reassignment"), (list[0].AgentId, list[0].EndReason));
        Assert.Equal(("8", "Routing assignment accepted", 60L), (list[1].AgentId, list[1].StartReason, list[1].OfferTimeSeconds));
    }

    [Fact]
    public void Reassignment_ends_the_old_engagement_before_starting_the_new_one()
    {
        // The end-user message before the reassignment (same instant, arrived first) belongs to A; the
        // reassigning event starts B's engagement, and B's reply ends the wait running at its start.
        var d = Open().AgentMessage("09:02:00", "7").EndUser("09:03:00").Assign("09:03:00", "8").AgentMessage("09:03:05", "8").Status("09:05:00", "solved").Derive();
        var list = d.ByStart;
        Assert.Equal(list[0].EndMs, list[1].StartMs);
        Assert.Equal(1, list[0].EndUserMessagesCount);
        Assert.Equal(0, list[1].EndUserMessagesCount);
        Assert.Equal(1, list[1].AgentRepliesCount);
        Assert.Equal(5, list[1].TotalRequesterWaitTimeSeconds);
    }

    [Fact]
    public void Interaction_ended_ends_engagement_with_Interaction_ended()
    {
        var e = Open("voice").Ended("09:03:00").Derive().Engagement;
        Assert.Equal("Interaction ended", e.Str(Reason));
        Assert.Equal("2026-03-02T09:03:00", e.Str("engagement_end_time"));
    }

    [Fact]
    public void Unassignment_ends_engagement_with_Removed()
    {
        var e = Open().Status("09:02:00", "open").Unassign("09:03:00").Derive().Engagement;
        Assert.Equal("Removed", e.Str(Reason));
        Assert.Equal("OPEN", e.Str("ticket_status_end"));
    }

    [Fact]
    public void Deletion_ends_engagement_with_Removed_and_drops_the_interaction_record()
    {
        var d = Open().Status("09:03:00", "deleted").Derive();
        Assert.Equal("Removed", d.Engagement.Str(Reason));
        Assert.Equal("DELETED", d.Engagement.Str("ticket_status_end"));
        Assert.Empty(d.Interactions);
    }

    [Fact]
    public void Offer_declined_or_expired_does_not_end_an_engagement()
    {
        var e = Open().Add("offer.declined", "09:02:00", ("agent_id", "7")).Add("offer.expired", "09:03:00", ("agent_id", "7"))
            .Status("09:04:00", "solved").Derive().Engagement;
        Assert.Equal("Ticket status updated - Solved", e.Str(Reason));
    }

    [Fact]
    public void Interaction_updated_does_not_end_an_engagement()
    {
        var e = Open().Updated("09:02:00", ("notes", "x"), ("group_id", "40")).Status("09:04:00", "solved").Derive().Engagement;
        Assert.Equal("Ticket status updated - Solved", e.Str(Reason));
    }
}
