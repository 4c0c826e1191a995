using OmniReport.TestSupport;

namespace OmniReport.Core.Tests;

/// <summary>SPEC §3.5: every engagement metric, its flooring and rounding.</summary>
public sealed class MetricTests
{
    /// <summary>Messaging, end-user message at 09:00:00, agent 7 assigned at 09:00:10 (a wait runs from the start).</summary>
    private static EventLog Started() => new EventLog().Created("09:00:00").EndUser("09:00:00").Assign("09:00:10", "7");

    [Fact]
    public void Waits_replies_and_counts_follow_the_messages_of_the_engagement()
    {
        var e = Started()
            .AgentMessage("09:00:20", "7")      // reply: 10 s (wait running from the start)
            .EndUser("09:01:00")                // starts a wait
            .EndUser("09:01:30")                // a wait is running already
            .BotMessage("09:01:40", "b1")       // bots neither end nor start a wait
            .AgentMessage("09:01:50", "8")      // nor do other agents
            .AgentMessage("09:02:00", "7")      // reply: 60 s
            .AgentMessage("09:02:10", "7")      // no wait running: a message, not a reply
            .AgentMessage("09:02:20", "7", isPublic: false) // an internal note counts for nothing
            .EndUser("09:02:30")                // a wait still open at the end is not counted
            .Status("09:03:00", "solved").Derive().Engagement;
        Assert.Equal(3, e.Num("agent_messages_count"));
        Assert.Equal(2, e.Num("agent_replies_count"));
        Assert.Equal(70, e.Num("total_requester_wait_time_seconds"));
        Assert.Equal(60, e.Num("longest_requester_wait_time_seconds"));
        Assert.Equal(35, e.Num("average_requester_wait_time_seconds"));
        Assert.Equal(3, e.Num("end_user_messages_count"));
        Assert.Equal(10, e.Num("assignment_to_first_reply_time_seconds"));
        Assert.Equal(170, e.Num("engagement_duration_seconds"));
    }

    [Fact]
    public void Without_replies_total_is_zero_and_longest_and_average_are_null()
    {
        var e = new EventLog().Created("09:00:00").EndUser("09:00:00").Assign("09:00:10", "7").Status("09:01:00", "solved").Derive().Engagement;
        Assert.Equal(0, e.Num("agent_replies_count"));
        Assert.Equal(0, e.Num("total_requester_wait_time_seconds"));
        Assert.Null(e.Num("longest_requester_wait_time_seconds"));
        Assert.Null(e.Num("average_requester_wait_time_seconds"));
        Assert.Null(e.Num("assignment_to_first_reply_time_seconds"));
        Assert.Equal(0, e.Num("agent_messages_count"));
    }

    [Fact]
    public void Wait_running_at_the_start_is_measured_from_the_start()
    {
        var e = new EventLog().Created("09:00:00").EndUser("09:00:00").Assign("09:02:00", "7").AgentMessage("09:02:30", "7").Status("09:03:00", "solved").Derive().Engagement;
        Assert.Equal(1, e.Num("agent_replies_count"));
        Assert.Equal(30, e.Num("longest_requester_wait_time_seconds"));
    }

    [Fact]
    public void No_wait_runs_at_the_start_when_a_human_agent_spoke_after_the_end_user()
    {
        var e = new EventLog().Created("09:00:00").EndUser("09:00:00").AgentMessage("09:00:05", "8").Assign("09:00:10", "7")
            .AgentMessage("09:00:20", "7").Status("09:01:00", "solved").Derive().Engagement;
        Assert.Equal(0, e.Num("agent_replies_count"));
        Assert.Equal(1, e.Num("agent_messages_count"));
        Assert.Equal(10, e.Num("assignment_to_first_reply_time_seconds"));
        Assert.Null(e.Num("longest_requester_wait_time_seconds"));
    }

    [Fact]
    public void Bot_message_after_the_end_user_leaves_the_wait_running_at_the_start()
    {
        var e = new EventLog().Created("09:00:00").EndUser("09:00:00").BotMessage("09:00:05", "b1").Assign("09:00:10", "7")
            .AgentMessage("09:00:20", "7").Status("09:01:00", "solved").Derive().Engagement;
        Assert.Equal(1, e.Num("agent_replies_count"));
        Assert.Equal(10, e.Num("total_requester_wait_time_seconds"));
    }

    [Fact]
    public void Internal_note_of_an_agent_after_the_end_user_leaves_the_wait_running_at_the_start()
    {
        var e = new EventLog().Created("09:00:00").EndUser("09:00:00").AgentMessage("09:00:05", "8", isPublic: false).Assign("09:00:10", "7")
            .AgentMessage("09:00:20", "7").Status("09:01:00", "solved").Derive().Engagement;
        Assert.Equal(1, e.Num("agent_replies_count"));
    }

    [Fact]
    public void No_wait_runs_at_the_start_without_any_end_user_message()
    {
        var e = new EventLog().Created("09:00:00", "email").Assign("09:00:10", "7").AgentMessage("09:00:20", "7").Status("09:01:00", "solved").Derive().Engagement;
        Assert.Equal(0, e.Num("agent_replies_count"));
        Assert.Equal(1, e.Num("agent_messages_count"));
    }

    [Fact]
    public void Pending_start_by_an_end_user_message_starts_a_wait_at_the_start()
    {
        var e = new EventLog().Created("09:00:00").Assign("09:00:00", "7").EndUser("09:20:00").AgentMessage("09:21:00", "7").Status("09:22:00", "solved").Derive().Engagement;
        Assert.Equal(60, e.Num("total_requester_wait_time_seconds"));
        Assert.Equal(60, e.Num("assignment_to_first_reply_time_seconds"));
    }

    [Fact]
    public void Average_wait_rounds_half_away_from_zero()
    {
        var e = Started().AgentMessage("09:00:11", "7").EndUser("09:00:20").AgentMessage("09:00:22", "7").Status("09:01:00", "solved").Derive().Engagement;
        Assert.Equal(2, e.Num("agent_replies_count"));
        Assert.Equal(3, e.Num("total_requester_wait_time_seconds"));
        Assert.Equal(2, e.Num("longest_requester_wait_time_seconds"));
        Assert.Equal(2, e.Num("average_requester_wait_time_seconds"));
    }

    [Fact]
    public void Average_wait_rounds_one_third_down()
    {
        var e = Started().AgentMessage("09:00:11", "7").EndUser("09:00:20").AgentMessage("09:00:21", "7").EndUser("09:00:30").AgentMessage("09:00:32", "7")
            .Status("09:01:00", "solved").Derive().Engagement;
        Assert.Equal(3, e.Num("agent_replies_count"));
        Assert.Equal(4, e.Num("total_requester_wait_time_seconds"));
        Assert.Equal(1, e.Num("average_requester_wait_time_seconds"));
    }

    [Fact]
    public void Each_wait_is_floored_before_it_is_summed()
    {
        var e = Started().AgentMessage("09:00:11.900", "7").EndUser("09:00:20").AgentMessage("09:00:21.900", "7").Status("09:01:00", "solved").Derive().Engagement;
        Assert.Equal(2, e.Num("total_requester_wait_time_seconds"));
        Assert.Equal(1, e.Num("longest_requester_wait_time_seconds"));
        Assert.Equal(1, e.Num("average_requester_wait_time_seconds"));
    }

    [Fact]
    public void Durations_are_floored_to_whole_seconds()
    {
        var e = new EventLog().Created("09:00:00").EndUser("09:00:00").Assign("09:00:10", "7").AgentMessage("09:00:11.999", "7")
            .Status("09:00:11.999", "solved").Derive().Engagement;
        Assert.Equal(1, e.Num("engagement_duration_seconds"));
        Assert.Equal(1, e.Num("assignment_to_first_reply_time_seconds"));
        Assert.Equal(1, e.Num("total_requester_wait_time_seconds"));
    }

    [Fact]
    public void Duration_of_1_999_seconds_floors_to_1_with_millisecond_start()
    {
        var e = new EventLog().Created("09:00:00", "email").Assign("09:00:10.001", "7").Status("09:00:12", "solved").Derive().Engagement;
        Assert.Equal(1, e.Num("engagement_duration_seconds"));
    }

    [Fact]
    public void First_reply_counts_only_public_messages_of_the_engaged_agent()
    {
        var e = new EventLog().Created("09:00:00", "email").Assign("09:00:10", "7").AgentMessage("09:00:20", "8").AgentMessage("09:00:25", "7", isPublic: false)
            .AgentMessage("09:00:40.999", "7").AgentMessage("09:00:50", "7").Status("09:01:00", "solved").Derive().Engagement;
        Assert.Equal(30, e.Num("assignment_to_first_reply_time_seconds"));
        Assert.Equal(2, e.Num("agent_messages_count"));
    }

    [Fact]
    public void Messages_before_the_start_and_after_the_end_are_not_counted()
    {
        var e = new EventLog().Created("09:00:00", "email").EndUser("09:00:01").AgentMessage("09:00:02", "7").Assign("09:00:10", "7")
            .EndUser("09:00:20").Status("09:01:00", "pending").EndUser("09:01:10").AgentMessage("09:01:20", "7").Derive().Engagement;
        Assert.Equal(0, e.Num("agent_messages_count"));
        Assert.Equal(1, e.Num("end_user_messages_count"));
        Assert.Null(e.Num("assignment_to_first_reply_time_seconds"));
    }

    [Fact]
    public void End_user_message_at_the_ending_instant_counts_only_when_processed_before_the_end()
    {
        var before = Started().EndUser("09:01:00").Status("09:01:00", "solved").Derive().Engagement;
        var after = Started().Status("09:01:00", "solved").EndUser("09:01:00").Derive().Engagement;
        Assert.Equal(1, before.Num("end_user_messages_count"));
        Assert.Equal(0, after.Num("end_user_messages_count"));
    }

    [Fact]
    public void Agent_message_at_the_starting_instant_counts_only_when_processed_after_the_start()
    {
        var before = new EventLog().Created("09:00:00", "email").AgentMessage("09:00:10", "7").Assign("09:00:10", "7").Status("09:01:00", "solved").Derive().Engagement;
        var after = new EventLog().Created("09:00:00", "email").Assign("09:00:10", "7").AgentMessage("09:00:10", "7").Status("09:01:00", "solved").Derive().Engagement;
        Assert.Equal(0, before.Num("agent_messages_count"));
        Assert.Equal(1, after.Num("agent_messages_count"));
        Assert.Equal(0, after.Num("assignment_to_first_reply_time_seconds"));
    }

    [Fact]
    public void Offer_time_is_from_the_latest_offer_of_the_agent_before_the_accept()
    {
        var e = new EventLog().Created("09:00:00", "voice").Offer("09:00:10", "7").Add("offer.declined", "09:00:20", ("agent_id", "7"))
            .Offer("09:00:40", "7").Offer("09:00:50", "8").Accept("09:01:00", "7").Offer("09:01:05", "7").Ended("09:02:00").Derive().Engagement;
        Assert.Equal(20, e.Num("offer_time_seconds"));
    }

    [Fact]
    public void Offer_time_is_floored()
    {
        var e = new EventLog().Created("09:00:00", "voice").Offer("09:00:00.500", "7").Accept("09:00:02.499", "7").Ended("09:02:00").Derive().Engagement;
        Assert.Equal(1, e.Num("offer_time_seconds"));
    }

    [Fact]
    public void Offer_time_is_null_when_the_agent_had_no_offer()
    {
        var e = new EventLog().Created("09:00:00", "voice").Offer("09:00:10", "8").Accept("09:01:00", "7").Ended("09:02:00").Derive().Engagement;
        Assert.Null(e.Num("offer_time_seconds"));
        Assert.Equal("Routing assignment accepted", e.Str("engagement_start_reason"));
    }

    [Theory]
    [InlineData("routing")]
    [InlineData("sole_agent")]
    [InlineData("manual")]
    [InlineData("transfer")]
    public void Offer_time_is_null_for_triggers_other_than_offer_accepted(string how)
    {
        var log = new EventLog().Created("09:00:00", "voice").Offer("09:00:10", "7");
        log = how == "transfer" ? log.TransferTo("09:01:00", "7") : log.Assign("09:01:00", "7", how);
        Assert.Null(log.Ended("09:02:00").Derive().Engagement.Num("offer_time_seconds"));
    }

    [Fact]
    public void Offer_time_of_a_reopened_engagement_is_null()
    {
        var list = new EventLog().Created("09:00:00", "email").Offer("09:00:10", "7").Accept("09:00:30", "7").Status("09:01:00", "pending")
            .Status("09:02:00", "open").Status("09:03:00", "solved").Derive().ByStart;
        Assert.Equal(20, list[0].OfferTimeSeconds);
        Assert.Null(list[1].OfferTimeSeconds);
    }

    [Fact]
    public void Ticket_status_start_and_end_are_the_status_right_after_the_events()
    {
        var d = new EventLog().Created("09:00:00", "email", ("status", "open")).Assign("09:00:10", "7").Status("09:01:00", "on_hold")
            .Status("09:02:00", "open").Unassign("09:03:00").Derive();
        var list = d.ByStart;
        Assert.Equal(2, list.Count);
        Assert.Equal(("OPEN", "ON_HOLD"), (d.E(0).Str("ticket_status_start"), d.E(0).Str("ticket_status_end")));
        Assert.Equal(("OPEN", "OPEN"), (d.E(1).Str("ticket_status_start"), d.E(1).Str("ticket_status_end")));
    }

    [Fact]
    public void Group_id_is_the_group_at_the_start()
    {
        var d = new EventLog().Created("09:00:00", "email", ("group_id", "20")).Assign("09:00:10", "7").Updated("09:00:30", ("group_id", "30"))
            .Status("09:01:00", "pending").Status("09:02:00", "open").Status("09:03:00", "solved").Derive();
        var list = d.ByStart;
        Assert.Equal(["20", "30"], list.Select(e => e.GroupId));
        Assert.Equal(20, d.E(0).Num("group_id"));
    }

    [Fact]
    public void Group_given_by_the_starting_assignment_is_the_group_at_the_start()
    {
        var e = new EventLog().Created("09:00:00", "email", ("group_id", "20")).Assign("09:00:10", "7", "manual", ("group_id", "40")).Status("09:01:00", "solved").Derive().Engagement;
        Assert.Equal(40, e.Num("group_id"));
    }

    [Fact]
    public void Group_id_is_null_without_a_group()
    {
        var e = new EventLog().Created("09:00:00", "email").Assign("09:00:10", "7").Status("09:01:00", "solved").Derive().Engagement;
        Assert.Null(e["group_id"]);
        Assert.True(e.ContainsKey("group_id"));
    }

    [Fact]
    public void Requester_id_is_the_requesters_id()
    {
        var e = new EventLog().Created("09:00:00", "email", ("requester", new System.Text.Json.Nodes.JsonObject { ["id"] = "500", ["name"] = "Ana" }))
            .Assign("09:00:10", "7").Status("09:01:00", "solved").Derive().Engagement;
        Assert.Equal(500, e.Num("requester_id"));
    }

    [Fact]
    public void Requester_id_is_null_without_a_requester()
    {
        var e = new EventLog().Created("09:00:00", "email").Assign("09:00:10", "7").Status("09:01:00", "solved").Derive().Engagement;
        Assert.Null(e["requester_id"]);
    }

    [Fact]
    public void Requester_id_follows_the_whole_history()
    {
        // decisions.md: only group_id is qualified "at the start"; requester_id is as the history leaves it.
        var e = new EventLog().Created("09:00:00", "email", ("requester", new System.Text.Json.Nodes.JsonObject { ["id"] = "500" }))
            .Assign("09:00:10", "7").Status("09:01:00", "solved").Updated("09:02:00", ("requester", new System.Text.Json.Nodes.JsonObject { ["id"] = "600" })).Derive().Engagement;
        Assert.Equal(600, e.Num("requester_id"));
    }

    [Fact]
    public void Channel_is_written_in_upper_case()
    {
        var e = new EventLog().Created("09:00:00", "whatsapp").EndUser("09:00:00").Assign("09:00:10", "7").Status("09:01:00", "solved").Derive().Engagement;
        Assert.Equal("WHATSAPP", e.Str("channel"));
    }
}
