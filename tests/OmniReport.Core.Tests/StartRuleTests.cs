using OmniReport.TestSupport;

namespace OmniReport.Core.Tests;

/// <summary>SPEC §3.2: what starts an engagement, with which reason, and when.</summary>
public sealed class StartRuleTests
{
    private const string Reason = "engagement_start_reason";

    [Fact]
    public void Offer_accepted_starts_engagement_with_Routing_assignment_accepted()
    {
        var d = new EventLog().Created("09:00:00").EndUser("09:00:10").Offer("09:00:20", "7").Accept("09:00:30", "7").Status("09:05:00", "solved").Derive();
        var e = d.Engagement;
        Assert.Equal("Routing assignment accepted", e.Str(Reason));
        Assert.Equal("2026-03-02T09:00:30", e.Str("engagement_start_time"));
        Assert.Equal(7, e.Num("agent_id"));
        Assert.Equal(10, e.Num("offer_time_seconds"));
    }

    [Fact]
    public void Assignment_via_routing_starts_engagement_with_Routing_assignment_accepted()
    {
        var d = new EventLog().Created("09:00:00").EndUser("09:00:10").Assign("09:00:30", "7", "routing").Status("09:05:00", "solved").Derive();
        Assert.Equal("Routing assignment accepted", d.Engagement.Str(Reason));
        Assert.Null(d.Engagement.Num("offer_time_seconds"));
    }

    [Fact]
    public void Assignment_via_sole_agent_starts_engagement_with_Assigned()
    {
        var d = new EventLog().Created("09:00:00").EndUser("09:00:10").Assign("09:00:30", "7", "sole_agent").Status("09:05:00", "solved").Derive();
        Assert.Equal("Assigned", d.Engagement.Str(Reason));
    }

    [Theory]
    [InlineData("manual")]
    [InlineData(null)]
    public void Manual_assignment_starts_engagement_with_Manual_assignment(string? via)
    {
        var d = new EventLog().Created("09:00:00").EndUser("09:00:10").Assign("09:00:30", "7", via).Status("09:05:00", "solved").Derive();
        Assert.Equal("Manual assignment", d.Engagement.Str(Reason));
        Assert.Equal("2026-03-02T09:00:30", d.Engagement.Str("engagement_start_time"));
    }

    [Fact]
    public void Transfer_to_agent_starts_engagement_with_Transferred()
    {
        var d = new EventLog().Created("09:00:00").EndUser("09:00:10").TransferTo("09:00:30", "8").Status("09:05:00", "solved").Derive();
        Assert.Equal("Transferred", d.Engagement.Str(Reason));
        Assert.Equal(8, d.Engagement.Num("agent_id"));
    }

    [Theory]
    [InlineData("pending")]
    [InlineData("on_hold")]
    [InlineData("solved")]
    public void Reopening_starts_engagement_with_Reopened(string from)
    {
        var d = new EventLog().Created("09:00:00").EndUser("09:00:00").Assign("09:00:10", "7")
            .Status("09:01:00", from).Status("09:02:00", "open").Status("09:03:00", "solved").Derive();
        var list = d.ByStart;
        Assert.Equal(2, list.Count);
        Assert.Equal("Reopened", list[1].StartReason);
        Assert.Equal(EventLog.Ms("09:02:00"), list[1].StartMs);
        Assert.Equal(EventLog.Ms("09:03:00"), list[1].EndMs);
        Assert.Equal("OPEN", d.E(1).Str("ticket_status_start"));
    }

    [Fact]
    public void Reopening_on_email_starts_engagement_with_Reopened_without_messages()
    {
        var d = new EventLog().Created("09:00:00", "email").Assign("09:00:10", "7")
            .Status("09:01:00", "pending").Status("09:02:00", "open").Status("09:03:00", "solved").Derive();
        Assert.Equal(["Manual assignment", "Reopened"], d.ByStart.Select(e => e.StartReason));
    }

    [Fact]
    public void Status_change_to_open_from_new_is_not_a_trigger()
    {
        // Email is always active: pending ends the first engagement; pending → new → open starts nothing.
        var d = new EventLog().Created("09:00:00", "email").Assign("09:00:10", "7")
            .Status("09:01:00", "pending").Status("09:02:00", "new").Status("09:03:00", "open").Status("09:04:00", "solved").Derive();
        Assert.Equal("Manual assignment", d.Engagement.Str(Reason));
        Assert.Equal("2026-03-02T09:01:00", d.Engagement.Str("engagement_end_time"));
    }

    [Fact]
    public void Open_from_new_does_not_replace_the_reason_of_a_pending_engagement()
    {
        var d = new EventLog().Created("09:00:00").Assign("09:01:00", "7").Status("09:02:00", "open").EndUser("09:03:00").Status("09:05:00", "solved").Derive();
        Assert.Equal("Manual assignment", d.Engagement.Str(Reason));
        Assert.Equal("2026-03-02T09:03:00", d.Engagement.Str("engagement_start_time"));
    }

    [Fact]
    public void Assignment_while_inactive_starts_at_the_next_end_user_message()
    {
        var d = new EventLog().Created("09:00:00").Assign("09:00:00", "7", "sole_agent").EndUser("09:20:00").Status("09:25:00", "solved").Derive();
        var e = d.Engagement;
        Assert.Equal("Assigned", e.Str(Reason));
        Assert.Equal("2026-03-02T09:20:00", e.Str("engagement_start_time"));
        Assert.Equal(1, e.Num("end_user_messages_count"));
        Assert.Equal(300, e.Num("engagement_duration_seconds"));
    }

    [Fact]
    public void Assignment_after_the_window_has_passed_is_pending()
    {
        var d = new EventLog().Created("09:00:00").EndUser("09:00:00").Assign("09:10:00", "7").EndUser("09:30:00").Status("09:31:00", "solved").Derive();
        Assert.Equal("2026-03-02T09:30:00", d.Engagement.Str("engagement_start_time"));
    }

    [Fact]
    public void Assignment_one_ms_inside_the_window_starts_at_once()
    {
        var d = new EventLog().Created("09:00:00").EndUser("09:00:00").Assign("09:09:59.999", "7").Status("09:09:59.999", "solved").Derive();
        Assert.Equal(EventLog.Ms("09:09:59.999"), d.ByStart.Single().StartMs);
    }

    [Fact]
    public void Later_trigger_replaces_the_reason_of_a_pending_engagement()
    {
        var d = new EventLog().Created("09:00:00").Assign("09:01:00", "7", "sole_agent").Offer("09:01:30", "7").Accept("09:02:00", "7")
            .EndUser("09:05:00").Status("09:06:00", "solved").Derive();
        var e = d.Engagement;
        Assert.Equal("Routing assignment accepted", e.Str(Reason));
        Assert.Equal("2026-03-02T09:05:00", e.Str("engagement_start_time"));
        Assert.Equal(30, e.Num("offer_time_seconds"));
    }

    [Fact]
    public void Reopen_while_pending_replaces_the_reason_of_a_pending_engagement()
    {
        var d = new EventLog().Created("09:00:00").Status("09:00:30", "pending").Assign("09:01:00", "7", "sole_agent")
            .Status("09:02:00", "open").EndUser("09:05:00").Status("09:06:00", "solved").Derive();
        Assert.Equal("Reopened", d.Engagement.Str(Reason));
        Assert.Equal("2026-03-02T09:05:00", d.Engagement.Str("engagement_start_time"));
    }

    [Fact]
    public void Change_of_assignee_cancels_a_pending_engagement()
    {
        var d = new EventLog().Created("09:00:00").Assign("09:01:00", "7", "sole_agent").Assign("09:02:00", "8").EndUser("09:05:00").Status("09:06:00", "solved").Derive();
        var e = d.Engagement;
        Assert.Equal(8, e.Num("agent_id"));
        Assert.Equal("Manual assignment", e.Str(Reason));
        Assert.Equal("2026-03-02T09:05:00", e.Str("engagement_start_time"));
    }

    [Fact]
    public void Unassignment_cancels_a_pending_engagement()
    {
        var d = new EventLog().Created("09:00:00").Assign("09:01:00", "7").Unassign("09:02:00").EndUser("09:05:00").Status("09:06:00", "solved").Derive();
        Assert.Empty(d.Engagements);
    }

    [Fact]
    public void Conversation_ended_cancels_a_pending_engagement()
    {
        var d = new EventLog().Created("09:00:00").Assign("09:01:00", "7").ConversationEnded("09:02:00").EndUser("09:05:00").Status("09:06:00", "solved").Derive();
        Assert.Empty(d.Engagements);
    }

    [Fact]
    public void Interaction_ended_cancels_a_pending_engagement()
    {
        var d = new EventLog().Created("09:00:00").Assign("09:01:00", "7").Ended("09:02:00").EndUser("09:05:00").Status("09:06:00", "solved").Derive();
        Assert.Empty(d.Engagements);
    }

    [Fact]
    public void No_engagement_starts_after_interaction_ended()
    {
        var d = new EventLog().Created("09:00:00", "voice").Ended("09:01:00").Assign("09:02:00", "7").Accept("09:03:00", "8").TransferTo("09:04:00", "9").Derive();
        Assert.Empty(d.Engagements);
    }

    [Fact]
    public void Inactivity_end_carries_the_start_reason_to_the_next_end_user_message()
    {
        var d = new EventLog().Created("09:00:00").EndUser("09:00:00").TransferTo("09:01:00", "7").EndUser("09:02:00")
            .EndUser("09:30:00").Status("09:31:00", "solved").Derive();
        var list = d.ByStart;
        Assert.Equal(2, list.Count);
        Assert.Equal("Inactivity timeout", list[0].EndReason);
        Assert.Equal(EventLog.Ms("09:12:00"), list[0].EndMs);
        Assert.Equal("Transferred", list[1].StartReason);
        Assert.Equal(EventLog.Ms("09:30:00"), list[1].StartMs);
        Assert.Equal(1, list[1].EndUserMessagesCount);
    }

    [Fact]
    public void Engagement_after_inactivity_keeps_routing_reason_but_has_no_offer_time()
    {
        // decisions.md: the trigger of the new engagement is the end-user message, not the offer.accepted.
        var d = new EventLog().Created("09:00:00").EndUser("09:00:00").Offer("09:00:30", "7").Accept("09:01:00", "7")
            .EndUser("09:30:00").Status("09:31:00", "solved").Derive();
        var list = d.ByStart;
        Assert.Equal(2, list.Count);
        Assert.Equal(30, list[0].OfferTimeSeconds);
        Assert.Equal("Routing assignment accepted", list[1].StartReason);
        Assert.Null(list[1].OfferTimeSeconds);
    }

    [Fact]
    public void Naming_the_current_assignee_again_starts_a_new_engagement_when_none_is_open()
    {
        var d = new EventLog().Created("09:00:00").EndUser("09:00:00").Assign("09:01:00", "7").ConversationEnded("09:02:00")
            .Assign("09:03:00", "7", "routing").Status("09:04:00", "solved").Derive();
        var list = d.ByStart;
        Assert.Equal(["Manual assignment", "Routing assignment accepted"], list.Select(e => e.StartReason));
        Assert.Equal(["Agent closed conversation", "Ticket status updated - Solved"], list.Select(e => e.EndReason));
        Assert.Equal(EventLog.Ms("09:03:00"), list[1].StartMs);
    }

    [Fact]
    public void Naming_the_current_assignee_while_open_changes_nothing()
    {
        var d = new EventLog().Created("09:00:00").EndUser("09:00:00").Assign("09:01:00", "7").Offer("09:01:30", "7").Accept("09:02:00", "7")
            .Status("09:04:00", "solved").Derive();
        var e = d.Engagement;
        Assert.Equal("Manual assignment", e.Str(Reason));
        Assert.Equal("2026-03-02T09:01:00", e.Str("engagement_start_time"));
    }

    [Theory]
    [InlineData("pending")]
    [InlineData("on_hold")]
    [InlineData("solved")]
    [InlineData("closed")]
    public void Trigger_while_the_status_forbids_a_start_does_nothing(string status)
    {
        var d = new EventLog().Created("09:00:00", "email").Status("09:00:30", status).Assign("09:01:00", "7").Accept("09:02:00", "8").Derive();
        Assert.Empty(d.Engagements);
    }

    [Fact]
    public void Trigger_on_a_deleted_interaction_does_nothing()
    {
        var d = new EventLog().Created("09:00:00", "email").Status("09:00:30", "deleted").Assign("09:01:00", "7").Status("09:02:00", "open").Derive();
        Assert.Empty(d.Engagements); // open from deleted is not a Reopened trigger

    }

    [Fact]
    public void Assignment_while_pending_then_reopen_starts_with_Reopened()
    {
        var d = new EventLog().Created("09:00:00", "email").Status("09:00:30", "pending").Assign("09:01:00", "7").Status("09:02:00", "open").Status("09:03:00", "solved").Derive();
        Assert.Equal("Reopened", d.Engagement.Str(Reason));
        Assert.Equal("2026-03-02T09:02:00", d.Engagement.Str("engagement_start_time"));
    }

    [Fact]
    public void Once_closed_only_deleted_takes_effect()
    {
        var d = new EventLog().Created("09:00:00", "email").Assign("09:01:00", "7").Status("09:02:00", "closed")
            .Status("09:03:00", "open").Status("09:04:00", "pending").Status("09:05:00", "solved").Derive();
        var e = d.Engagement;
        Assert.Equal("Ticket status updated - Solved", e.Str("engagement_end_reason"));
        Assert.Equal("CLOSED", e.Str("ticket_status_end"));
        var r = d.Interaction;
        Assert.Equal("2026-03-02 09:02:00", r.Str("end_date-time"));
        Assert.Equal("FINISHED", r.Str("interaction_status"));
    }

    [Fact]
    public void Once_closed_status_changes_after_deleted_still_take_no_effect()
    {
        var d = new EventLog().Created("09:00:00", "email").Assign("09:01:00", "7").Status("09:02:00", "closed").Status("09:03:00", "deleted")
            .Status("09:04:00", "on_hold").Status("09:05:00", "open").Status("09:06:00", "solved").Derive();
        Assert.Single(d.Engagements);
        Assert.Empty(d.Interactions);
    }

    [Fact]
    public void Closed_then_deleted_removes_the_interaction_record()
    {
        var d = new EventLog().Created("09:00:00", "email").Assign("09:01:00", "7").Status("09:02:00", "closed").Status("09:03:00", "deleted").Derive();
        Assert.Empty(d.Interactions);
        Assert.Equal("Ticket status updated - Solved", d.Engagement.Str("engagement_end_reason"));
    }

    [Fact]
    public void Email_and_voice_start_at_once_without_any_message()
    {
        foreach (var channel in new[] { "email", "voice" })
        {
            var d = new EventLog().Created("09:00:00", channel).Assign("09:01:00", "7").Status("09:31:00", "solved").Derive();
            Assert.Equal("2026-03-02T09:01:00", d.Engagement.Str("engagement_start_time"));
            Assert.Equal(1800, d.Engagement.Num("engagement_duration_seconds"));
        }
    }

    [Fact]
    public void Pending_engagement_waits_for_a_status_that_allows_it()
    {
        // decisions.md: a status that forbids a start only holds a pending engagement back.
        var d = new EventLog().Created("09:00:00").Assign("09:01:00", "7").Status("09:02:00", "on_hold").EndUser("09:03:00")
            .Status("09:04:00", "new").EndUser("09:05:00").Status("09:06:00", "solved").Derive();
        var e = d.Engagement;
        Assert.Equal("Manual assignment", e.Str(Reason));
        Assert.Equal("2026-03-02T09:05:00", e.Str("engagement_start_time"));
    }

    [Fact]
    public void Internal_end_user_note_does_not_start_a_pending_engagement()
    {
        var d = new EventLog().Created("09:00:00").Assign("09:01:00", "7").EndUser("09:02:00", isPublic: false).EndUser("09:03:00").Status("09:04:00", "solved").Derive();
        Assert.Equal("2026-03-02T09:03:00", d.Engagement.Str("engagement_start_time"));
    }
}
