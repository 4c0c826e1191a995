using OmniReport.TestSupport;

namespace OmniReport.Core.Tests;

/// <summary>Rule interactions the SPEC settles but the single-rule tests do not reach.</summary>
public sealed class EdgeCaseTests
{
    /// <summary>Messaging, end-user message at 09:00, agent 7 assigned at 09:01: inactivity ends it at 09:10.</summary>
    private static EventLog Open() => new EventLog().Created("09:00:00").EndUser("09:00:00").Assign("09:01:00", "7");

    [Fact]
    public void After_inactivity_a_forbidding_status_holds_the_next_start_until_reopen()
    {
        var list = Open().Status("09:15:00", "pending").EndUser("09:20:00").Status("09:25:00", "open").Status("09:26:00", "solved").Derive().ByStart;
        Assert.Equal(2, list.Count);
        Assert.Equal(("Reopened", EventLog.Ms("09:25:00")), (list[1].StartReason, list[1].StartMs));
    }

    [Fact]
    public void After_inactivity_a_new_assignee_starts_with_their_own_reason()
    {
        var list = Open().Assign("09:15:00", "8", "sole_agent").EndUser("09:20:00").Status("09:21:00", "solved").Derive().ByStart;
        Assert.Equal(2, list.Count);
        Assert.Equal(("8", "Assigned", EventLog.Ms("09:20:00")), (list[1].AgentId, list[1].StartReason, list[1].StartMs));
    }

    [Fact]
    public void After_inactivity_an_unassignment_leaves_nothing_to_start()
    {
        var d = Open().Unassign("09:15:00").EndUser("09:20:00").Status("09:21:00", "solved").Derive();
        Assert.Single(d.Engagements);
    }

    [Fact]
    public void Reopened_reason_is_carried_after_inactivity()
    {
        var list = Open().Status("09:02:00", "on_hold").Status("09:03:00", "open").EndUser("09:30:00").Status("09:31:00", "solved").Derive().ByStart;
        Assert.Equal(["Manual assignment", "Reopened", "Reopened"], list.Select(e => e.StartReason));
        Assert.Equal(["Ticket status updated - Pending/On Hold", "Inactivity timeout", "Ticket status updated - Solved"], list.Select(e => e.EndReason));
    }

    [Fact]
    public void Inactivity_comes_before_an_interaction_ended_at_the_same_moment()
    {
        var e = Open().Ended("09:10:00").Derive().Engagement;
        Assert.Equal("Inactivity timeout", e.Str("engagement_end_reason"));
    }

    [Fact]
    public void Transfer_ends_the_engagement_whatever_its_from_agent_id()
    {
        var list = Open().TransferTo("09:02:00", "8", ("from_agent_id", "99")).Status("09:03:00", "solved").Derive().ByStart;
        Assert.Equal(("7", "Transferred"), (list[0].AgentId, list[0].EndReason));
        Assert.Equal(("8", "Transferred"), (list[1].AgentId, list[1].StartReason));
    }

    [Fact]
    public void Transfer_to_the_current_assignee_ends_and_restarts_the_engagement()
    {
        // decisions.md: a transfer away from the assignee, then the agent made assignee by the transfer.
        var list = Open().TransferTo("09:02:00", "7").Status("09:03:00", "solved").Derive().ByStart;
        Assert.Equal(2, list.Count);
        Assert.Equal(("Transferred", "Transferred"), (list[0].EndReason, list[1].StartReason));
    }

    [Fact]
    public void Transfer_while_pending_status_unassigns_without_an_engagement()
    {
        var d = new EventLog().Created("09:00:00", "email").Assign("09:00:10", "7").Status("09:01:00", "pending").TransferTo("09:02:00", "8")
            .Status("09:03:00", "open").Status("09:04:00", "solved").Derive();
        var list = d.ByStart;
        Assert.Equal(2, list.Count);
        Assert.Equal(("8", "Reopened"), (list[1].AgentId, list[1].StartReason));
    }

    [Fact]
    public void Assignment_naming_the_current_assignee_with_a_new_group_keeps_the_engagement()
    {
        var e = Open().Assign("09:02:00", "7", "manual", ("group_id", "50")).Status("09:03:00", "solved").Derive().Engagement;
        Assert.Equal("2026-03-02T09:01:00", e.Str("engagement_start_time"));
        Assert.Null(e["group_id"]);
    }

    [Fact]
    public void Internal_note_of_the_agent_does_not_end_a_wait()
    {
        var e = Open().AgentMessage("09:01:10", "7", isPublic: false).AgentMessage("09:01:40", "7").Status("09:02:00", "solved").Derive().Engagement;
        Assert.Equal(40, e.Num("total_requester_wait_time_seconds"));
        Assert.Equal(40, e.Num("assignment_to_first_reply_time_seconds"));
        Assert.Equal(1, e.Num("agent_messages_count"));
    }

    [Fact]
    public void Reopened_start_by_status_counts_the_following_messages()
    {
        var list = new EventLog().Created("09:00:00", "email").Assign("09:00:10", "7").Status("09:01:00", "pending").EndUser("09:02:00")
            .Status("09:03:00", "open").AgentMessage("09:03:20", "7").EndUser("09:04:00").Status("09:05:00", "solved").Derive().ByStart;
        var e = list[1];
        Assert.Equal(1, e.EndUserMessagesCount);
        Assert.Equal(1, e.AgentRepliesCount);
        Assert.Equal(20, e.TotalRequesterWaitTimeSeconds);
    }

    [Fact]
    public void Voice_call_answered_by_assignment_or_transfer_is_FINISHED()
    {
        Assert.Equal("FINISHED", new EventLog().Created("09:00:00", "voice").Assign("09:00:10", "7", "routing").Ended("09:01:00").Derive().Interaction.Str("interaction_status"));
        Assert.Equal("FINISHED", new EventLog().Created("09:00:00", "voice").TransferTo("09:00:10", "7").Ended("09:01:00").Derive().Interaction.Str("interaction_status"));
    }

    [Fact]
    public void Voice_call_unassigned_before_the_end_was_still_answered()
    {
        var r = new EventLog().Created("09:00:00", "voice").Accept("09:00:10", "7").Unassign("09:00:50").Ended("09:01:00").Derive().Interaction;
        Assert.Equal("FINISHED", r.Str("interaction_status"));
        Assert.Equal("7", r.Str("agent_id"));
    }

    [Fact]
    public void Interaction_ended_time_wins_over_an_earlier_solve()
    {
        var r = new EventLog().Created("09:00:00", "email").Status("09:01:00", "solved").Ended("09:05:00").Derive().Interaction;
        Assert.Equal("2026-03-02 09:05:00", r.Str("end_date-time"));
    }

    [Fact]
    public void Solved_then_closed_keeps_the_time_of_the_change_into_solved()
    {
        // Scenario report-fields: solved at 12:08:20, closed at 12:10:00, end 12:08:20.
        var r = new EventLog().Created("09:00:00", "email").Status("09:01:00", "solved").Status("09:05:00", "closed").Derive().Interaction;
        Assert.Equal("2026-03-02 09:01:00", r.Str("end_date-time"));
    }

    [Fact]
    public void Ended_interaction_status_wins_over_solved()
    {
        var r = new EventLog().Created("09:00:00", "voice").Status("09:00:30", "solved").Ended("09:01:00", "voicemail").Derive().Interaction;
        Assert.Equal("VOICEMAIL", r.Str("interaction_status"));
    }

    [Fact]
    public void Internal_note_names_no_agent()
    {
        var r = new EventLog().Created("09:00:00", "email").Assign("09:00:10", "7").Add("offer.created", "09:00:05", ("agent_id", "7"), ("agent_name", "Rita"))
            .Add("message.created", "09:00:20", ("author_type", "agent"), ("author_id", "7"), ("author_name", "Secret"), ("public", false)).Derive().Interaction;
        Assert.Equal("Rita", r.Str("agent_name"));
    }

    [Fact]
    public void Bot_internal_note_does_not_make_a_virtual_agent()
    {
        var r = new EventLog().Created("09:00:00").BotMessage("09:00:01", "b1", "Bot", isPublic: false).Derive().Interaction;
        Assert.Equal(("", ""), (r.Str("agent_type"), r.Str("agent_id")));
    }

    [Fact]
    public void Conversation_ended_without_an_engagement_changes_nothing_for_later_triggers()
    {
        var d = new EventLog().Created("09:00:00").EndUser("09:00:00").ConversationEnded("09:00:30").Assign("09:01:00", "7").Status("09:02:00", "solved").Derive();
        Assert.Equal("Manual assignment", d.Engagement.Str("engagement_start_reason"));
    }

    [Fact]
    public void Engagement_ended_by_inactivity_reports_the_status_at_that_moment()
    {
        var e = Open().Status("09:05:00", "open").Derive().Engagement;
        Assert.Equal(("NEW", "OPEN"), (e.Str("ticket_status_start"), e.Str("ticket_status_end")));
    }

    [Fact]
    public void Inactivity_counts_from_end_user_messages_before_the_start()
    {
        var e = new EventLog().Created("09:00:00").EndUser("09:00:00").Assign("09:09:00", "7").Derive().Engagement;
        Assert.Equal(60, e.Num("engagement_duration_seconds"));
    }

    [Theory]
    [InlineData("messaging_activity_routing")]
    [InlineData("inactive_conversations_count_toward_capacity")]
    public void With_inactivity_ends_off_an_assignment_while_inactive_is_still_pending(string setting)
    {
        // §2 switches off only the inactivity end; §3.1 activity and the pending start of §3.2 remain.
        var e = new EventLog().Created("09:00:00").Assign("09:01:00", "7").EndUser("09:20:00").Status("09:21:00", "solved").Derive($$"""{"{{setting}}": true}""").Engagement;
        Assert.Equal("2026-03-02T09:20:00", e.Str("engagement_start_time"));
    }

    [Fact]
    public void Ticket_status_start_of_a_pending_start_is_the_status_at_the_message()
    {
        var e = new EventLog().Created("09:00:00").Assign("09:01:00", "7").Status("09:02:00", "open").EndUser("09:03:00").Status("09:04:00", "solved").Derive().Engagement;
        Assert.Equal("OPEN", e.Str("ticket_status_start"));
    }

    [Fact]
    public void A_duplicate_id_is_ignored_even_for_another_interaction()
    {
        var log = new EventLog("1").Created("09:00:00", "email");
        var lines = log.Lines.Append(log.Lines[0].Replace("\"interaction_id\":\"1\"", "\"interaction_id\":\"2\"", StringComparison.Ordinal)).ToList();
        var d = Derived.From(lines);
        Assert.Equal("1", d.Interaction.Str("interaction_id"));
    }

    [Fact]
    public void Pending_assignee_is_the_records_agent()
    {
        var r = new EventLog().Created("09:00:00").Assign("09:01:00", "7").Derive().Interaction;
        Assert.Equal(("USER", "7", "ASSIGNED"), (r.Str("agent_type"), r.Str("agent_id"), r.Str("interaction_status")));
    }

    [Fact]
    public void Assignee_while_the_status_forbids_a_start_is_still_a_human_assignee()
    {
        var r = new EventLog().Created("09:00:00", "email").Status("09:00:30", "on_hold").Assign("09:01:00", "7").Derive().Interaction;
        Assert.Equal(("USER", "7", 60L), (r.Str("agent_type"), r.Str("agent_id"), r.Num("waiting_time")));
    }

    [Fact]
    public void Group_name_without_group_id_renames_the_current_group()
    {
        // decisions.md
        var r = new EventLog().Created("09:00:00", "email", ("group_id", "20"), ("group_name", "Support")).Updated("09:01:00", ("group_name", "Care")).Derive().Interaction;
        Assert.Equal("Care", r.Str("groups"));
    }

    [Fact]
    public void Empty_group_name_counts_as_no_name()
    {
        // decisions.md
        var r = new EventLog().Created("09:00:00", "email", ("group_id", "20"), ("group_name", "")).Derive().Interaction;
        Assert.Equal("20", r.Str("groups"));
    }

    [Fact]
    public void Engagements_are_reported_by_start_second_then_engagement_id()
    {
        var d = new EventLog("1").Created("09:00:00", "email").Assign("09:01:00.900", "7").Status("09:02:00", "solved")
            .For("2").Created("09:00:00", "email").Assign("09:01:00.100", "8").Status("09:02:00", "solved")
            .For("3").Created("09:00:00", "email").Assign("09:00:59.999", "9").Status("09:02:00", "solved").Derive();
        var ids = d.Engagements.Select(e => e!.AsObject()).ToList();
        Assert.Equal(9, ids[0].Num("agent_id"));
        Assert.True(string.CompareOrdinal(ids[1].Str("engagement_id"), ids[2].Str("engagement_id")) < 0);
    }

    [Fact]
    public void Offer_accepted_by_the_assignee_after_inactivity_replaces_the_carried_reason()
    {
        var list = Open().Offer("09:14:00", "7").Accept("09:15:00", "7").EndUser("09:20:00").Status("09:21:00", "solved").Derive().ByStart;
        Assert.Equal(2, list.Count);
        Assert.Equal(("Routing assignment accepted", EventLog.Ms("09:20:00"), 60L), (list[1].StartReason, list[1].StartMs, list[1].OfferTimeSeconds));
    }

    [Fact]
    public void Engagement_restarted_after_inactivity_has_a_wait_running_from_its_start()
    {
        var list = Open().AgentMessage("09:01:30", "7").EndUser("09:30:00").AgentMessage("09:30:45", "7").Status("09:31:00", "solved").Derive().ByStart;
        Assert.Equal((1, 45L), (list[1].AgentRepliesCount, list[1].TotalRequesterWaitTimeSeconds));
        Assert.Equal(45, list[1].AssignmentToFirstReplyTimeSeconds);
    }

    [Fact]
    public void Empty_requester_and_group_ids_are_written_as_empty_strings()
    {
        var e = new EventLog().Created("09:00:00", "email", ("group_id", ""), ("requester", new System.Text.Json.Nodes.JsonObject { ["id"] = "" }))
            .Assign("09:01:00", "7").Status("09:02:00", "solved").Derive().Engagement;
        Assert.Equal("", e.Str("requester_id"));
        Assert.Equal("", e.Str("group_id"));
    }

    [Fact]
    public void Events_that_name_an_agent_informationally_also_carry_its_name()
    {
        var r = new EventLog().Created("09:00:00").EndUser("09:00:00").Add("assignment.changed", "09:01:00", ("agent_id", "7"), ("agent_name", "Ann"))
            .Add("offer.declined", "09:02:00", ("agent_id", "7"), ("agent_name", "Anna")).Derive().Interaction;
        Assert.Equal("Anna", r.Str("agent_name"));
        var r2 = new EventLog().Created("09:00:00").EndUser("09:00:00").Add("assignment.changed", "09:01:00", ("agent_id", "7"), ("agent_name", "Ann"))
            .Add("conversation.ended", "09:02:00", ("agent_id", "7"), ("agent_name", "Annie")).Derive().Interaction;
        Assert.Equal("Annie", r2.Str("agent_name"));
    }

    [Fact]
    public void Reassignment_while_inactive_with_inactivity_ends_off_makes_the_new_engagement_pending()
    {
        var list = Open().Offer("09:29:00", "8").Accept("09:30:00", "8").EndUser("09:40:00").Status("09:41:00", "solved")
            .Derive("""{"messaging_activity_routing": true}""").ByStart;
        Assert.Equal(2, list.Count);
        Assert.Equal(("7", "Manual reassignment", EventLog.Ms("09:30:00")), (list[0].AgentId, list[0].EndReason, list[0].EndMs));
        Assert.Equal(("8", "Routing assignment accepted", EventLog.Ms("09:40:00"), 60L), (list[1].AgentId, list[1].StartReason, list[1].StartMs, list[1].OfferTimeSeconds));
    }
}
