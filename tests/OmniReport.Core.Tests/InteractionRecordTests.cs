using System.Text.Json.Nodes;
using OmniReport.TestSupport;

namespace OmniReport.Core.Tests;

/// <summary>SPEC §4: every field of the Customer Omnichannel Report.</summary>
public sealed class InteractionRecordTests
{
    private static JsonObject Requester(string? id = null, string? name = null, string? contact = null)
    {
        var o = new JsonObject();
        if (id is not null)
        {
            o["id"] = id;
        }

        if (name is not null)
        {
            o["name"] = name;
        }

        if (contact is not null)
        {
            o["contact"] = contact;
        }

        return o;
    }

    [Fact]
    public void Every_field_of_a_finished_interaction()
    {
        var d = new EventLog("100").Created("09:00:00", "chat", ("direction", "outbound"), ("requester", Requester("500", "Ana Lima", "ana@example.com")),
                ("group_id", "20"), ("group_name", "Support"), ("external_id", "X-1"))
            .EndUser("09:00:05").Offer("09:00:10", "7").Add("offer.accepted", "09:00:25", ("agent_id", "7"), ("agent_name", "Rita"))
            .AgentMessage("09:01:00", "7").Updated("09:02:00", ("disposition", "Resolved"), ("notes", "ok"), ("recording_url", "https://rec/1"))
            .Ended("09:03:00.900").Derive();
        var r = d.Interaction;
        var expected = new JsonObject
        {
            ["interaction_id"] = "100",
            ["waiting_time"] = 25,
            ["start_date-time"] = "2026-03-02 09:00:00",
            ["end_date-time"] = "2026-03-02 09:03:00",
            ["duration"] = 180,
            ["interaction_type"] = "CHAT",
            ["interaction_status"] = "FINISHED",
            ["interaction_direction"] = "OUTBOUND",
            ["agent_type"] = "USER",
            ["groups"] = "Support",
            ["agent_name"] = "Rita",
            ["agent_id"] = "7",
            ["external_id"] = "X-1",
            ["name"] = "Ana Lima",
            ["contact"] = "ana@example.com",
            ["contact_id"] = "500",
            ["disposition_name"] = "Resolved",
            ["transcription-recording"] = "https://rec/1",
            ["notes"] = "ok",
        };
        Assert.Null(Scenarios.FirstDifference(new JsonArray(r.DeepClone()), new JsonArray(expected)));
    }

    [Fact]
    public void Empty_interaction_has_empty_strings_and_nulls()
    {
        var r = new EventLog("100").Created("09:00:00").Derive().Interaction;
        Assert.Null(r["waiting_time"]);
        Assert.Null(r["end_date-time"]);
        Assert.Null(r["duration"]);
        Assert.Equal("OFFERED", r.Str("interaction_status"));
        Assert.Equal("INBOUND", r.Str("interaction_direction"));
        foreach (var f in new[] { "agent_type", "groups", "agent_name", "agent_id", "external_id", "name", "contact", "contact_id", "disposition_name", "transcription-recording", "notes" })
        {
            Assert.Equal("", r.Str(f));
        }
    }

    [Theory]
    [InlineData("messaging", "MESSAGING")]
    [InlineData("chat", "CHAT")]
    [InlineData("email", "EMAIL")]
    [InlineData("voice", "VOICE")]
    [InlineData("sms", "SMS")]
    [InlineData("whatsapp", "WHATSAPP")]
    [InlineData("social", "SOCIAL")]
    public void Interaction_type_is_the_channel_in_upper_case(string channel, string type) =>
        Assert.Equal(type, new EventLog().Created("09:00:00", channel).Derive().Interaction.Str("interaction_type"));

    [Fact]
    public void Waiting_time_is_until_the_first_human_assignee()
    {
        var r = new EventLog().Created("09:00:00").BotMessage("09:00:05", "b1").Assign("09:01:30.999", "7").Assign("09:05:00", "8").Status("09:10:00", "solved").Derive().Interaction;
        Assert.Equal(90, r.Num("waiting_time"));
    }

    [Fact]
    public void Waiting_time_counts_an_assignment_that_leaves_the_engagement_pending()
    {
        var r = new EventLog().Created("09:00:00").Assign("09:02:00", "7").Derive(now: EventLog.T("09:30:00")).Interaction;
        Assert.Equal(120, r.Num("waiting_time"));
        Assert.Equal("ASSIGNED", r.Str("interaction_status"));
    }

    [Fact]
    public void Waiting_time_counts_a_transfer_to_an_agent()
    {
        var r = new EventLog().Created("09:00:00", "email").TransferTo("09:00:40", "7").Derive().Interaction;
        Assert.Equal(40, r.Num("waiting_time"));
    }

    [Fact]
    public void Waiting_time_without_any_assignee_is_the_duration_once_ended()
    {
        var r = new EventLog().Created("09:00:00", "voice").Offer("09:00:05", "7").Ended("09:02:00", "abandoned").Derive().Interaction;
        Assert.Equal(120, r.Num("waiting_time"));
        Assert.Equal(120, r.Num("duration"));
    }

    [Fact]
    public void Waiting_time_without_any_assignee_is_null_while_going()
    {
        var r = new EventLog().Created("09:00:00", "voice").Offer("09:00:05", "7").Derive().Interaction;
        Assert.Null(r["waiting_time"]);
    }

    [Fact]
    public void Waiting_time_without_any_assignee_is_the_duration_once_solved()
    {
        // decisions.md: the fallback applies whenever end_date-time is set.
        var r = new EventLog().Created("09:00:00", "email").Status("09:05:00", "solved").Derive().Interaction;
        Assert.Equal(300, r.Num("waiting_time"));
    }

    [Fact]
    public void End_is_the_first_interaction_ended()
    {
        var r = new EventLog().Created("09:00:00", "voice").Ended("09:01:00").Ended("09:02:00", "missed").Derive().Interaction;
        Assert.Equal("2026-03-02 09:01:00", r.Str("end_date-time"));
        Assert.Equal(60, r.Num("duration"));
    }

    [Fact]
    public void Interaction_ended_wins_over_a_later_solve()
    {
        var r = new EventLog().Created("09:00:00", "voice").Ended("09:01:00").Status("09:05:00", "solved").Derive().Interaction;
        Assert.Equal("2026-03-02 09:01:00", r.Str("end_date-time"));
    }

    [Fact]
    public void End_is_the_last_change_into_solved_after_a_reopen()
    {
        var r = new EventLog().Created("09:00:00", "email").Status("09:01:00", "solved").Status("09:02:00", "open").Status("09:03:00", "solved").Derive().Interaction;
        Assert.Equal("2026-03-02 09:03:00", r.Str("end_date-time"));
        Assert.Equal(180, r.Num("duration"));
    }

    [Fact]
    public void Repeating_solved_does_not_move_the_end()
    {
        var r = new EventLog().Created("09:00:00", "email").Status("09:01:00", "solved").Status("09:02:00", "solved").Derive().Interaction;
        Assert.Equal("2026-03-02 09:01:00", r.Str("end_date-time"));
    }

    [Fact]
    public void End_is_null_when_reopened()
    {
        var r = new EventLog().Created("09:00:00", "email").Status("09:01:00", "solved").Status("09:02:00", "open").Derive().Interaction;
        Assert.Null(r["end_date-time"]);
        Assert.Null(r["duration"]);
        Assert.Equal("OFFERED", r.Str("interaction_status"));
    }

    [Fact]
    public void End_is_the_change_into_closed()
    {
        var r = new EventLog().Created("09:00:00", "email").Status("09:01:00", "pending").Status("09:04:00", "closed").Derive().Interaction;
        Assert.Equal("2026-03-02 09:04:00", r.Str("end_date-time"));
        Assert.Equal("FINISHED", r.Str("interaction_status"));
    }

    [Fact]
    public void Created_as_solved_ends_at_creation()
    {
        // decisions.md: interaction.created with status solved counts as the change into solved.
        var r = new EventLog().Created("09:00:00", "email", ("status", "solved")).Derive().Interaction;
        Assert.Equal("2026-03-02 09:00:00", r.Str("end_date-time"));
        Assert.Equal(0, r.Num("duration"));
    }

    [Fact]
    public void Duration_is_floored()
    {
        var r = new EventLog().Created("09:00:00.600").Ended("09:00:02.500").Derive().Interaction;
        Assert.Equal(1, r.Num("duration"));
    }

    [Theory]
    [InlineData("missed", "MISSED")]
    [InlineData("abandoned", "ABANDONED")]
    [InlineData("voicemail", "VOICEMAIL")]
    [InlineData("completed", "FINISHED")]
    [InlineData(null, "FINISHED")]
    public void Status_of_an_answered_call_follows_the_outcome(string? outcome, string status)
    {
        var r = new EventLog().Created("09:00:00", "voice").Offer("09:00:01", "7").Accept("09:00:05", "7").Ended("09:01:00", outcome).Derive().Interaction;
        Assert.Equal(status, r.Str("interaction_status"));
    }

    [Theory]
    [InlineData("missed", "MISSED")]
    [InlineData("abandoned", "ABANDONED")]
    [InlineData("voicemail", "VOICEMAIL")]
    [InlineData("completed", "MISSED")]
    [InlineData(null, "MISSED")]
    public void Completed_voice_call_no_human_answered_is_MISSED(string? outcome, string status)
    {
        var r = new EventLog().Created("09:00:00", "voice").Offer("09:00:01", "7").Add("offer.expired", "09:00:20", ("agent_id", "7"))
            .BotMessage("09:00:30", "ivr").Ended("09:01:00", outcome).Derive().Interaction;
        Assert.Equal(status, r.Str("interaction_status"));
    }

    [Fact]
    public void Completed_non_voice_interaction_without_agent_is_FINISHED()
    {
        var r = new EventLog().Created("09:00:00", "chat").EndUser("09:00:01").BotMessage("09:00:02", "b1").Ended("09:01:00").Derive().Interaction;
        Assert.Equal("FINISHED", r.Str("interaction_status"));
    }

    [Fact]
    public void Solved_or_closed_interaction_is_FINISHED()
    {
        Assert.Equal("FINISHED", new EventLog().Created("09:00:00", "email").Status("09:01:00", "solved").Derive().Interaction.Str("interaction_status"));
        Assert.Equal("FINISHED", new EventLog().Created("09:00:00", "email").Assign("09:00:30", "7").Status("09:01:00", "closed").Derive().Interaction.Str("interaction_status"));
    }

    [Fact]
    public void Going_interaction_with_a_human_assignee_is_ASSIGNED_else_OFFERED()
    {
        Assert.Equal("ASSIGNED", new EventLog().Created("09:00:00", "email").Assign("09:00:30", "7").Status("09:01:00", "pending").Derive().Interaction.Str("interaction_status"));
        Assert.Equal("OFFERED", new EventLog().Created("09:00:00", "email").Offer("09:00:30", "7").Derive().Interaction.Str("interaction_status"));
        Assert.Equal("OFFERED", new EventLog().Created("09:00:00", "email").Assign("09:00:30", "7").Unassign("09:01:00").Derive().Interaction.Str("interaction_status"));
    }

    [Fact]
    public void Agent_type_is_USER_when_a_human_was_ever_assignee()
    {
        var r = new EventLog().Created("09:00:00").BotMessage("09:00:01", "b1", "Bot").Assign("09:00:30", "7").Unassign("09:01:00").BotMessage("09:02:00", "b1").Derive().Interaction;
        Assert.Equal("USER", r.Str("agent_type"));
        Assert.Equal("7", r.Str("agent_id"));
    }

    [Fact]
    public void Agent_type_is_VIRTUAL_AGENT_when_only_a_bot_wrote()
    {
        var r = new EventLog().Created("09:00:00").BotMessage("09:00:01", "b1", "Helper").BotMessage("09:00:02", "b2", "Other").Derive().Interaction;
        Assert.Equal("VIRTUAL_AGENT", r.Str("agent_type"));
        Assert.Equal("b2", r.Str("agent_id"));
        Assert.Equal("Other", r.Str("agent_name"));
    }

    [Fact]
    public void Agent_type_is_empty_without_agent_or_bot()
    {
        var r = new EventLog().Created("09:00:00").EndUser("09:00:01").Offer("09:00:02", "7").AgentMessage("09:00:03", "8").BotMessage("09:00:04", "b1", isPublic: false).Derive().Interaction;
        Assert.Equal("", r.Str("agent_type"));
        Assert.Equal("", r.Str("agent_id"));
        Assert.Equal("", r.Str("agent_name"));
    }

    [Fact]
    public void Agent_is_the_last_human_assignee()
    {
        var r = new EventLog().Created("09:00:00", "email").Assign("09:00:10", "7").TransferTo("09:00:20", "8").TransferToGroup("09:00:30", "30")
            .AgentMessage("09:00:40", "9").Derive().Interaction;
        Assert.Equal("8", r.Str("agent_id"));
    }

    [Fact]
    public void Agent_name_is_the_latest_name_account_wide()
    {
        var d = new EventLog("1").Created("09:00:00", "email").Add("assignment.changed", "09:00:10", ("agent_id", "7"), ("agent_name", "Old"))
            .For("2").Created("09:00:00", "email").Add("message.created", "10:00:00", ("author_type", "agent"), ("author_id", "7"), ("author_name", "New"))
            .For("3").Created("09:00:00", "email").Add("offer.created", "09:30:00", ("agent_id", "7"), ("agent_name", "Middle"))
            .Add("offer.accepted", "11:00:00", ("agent_id", "7")).Derive();
        var records = d.Interactions.Select(r => r!.AsObject()).ToDictionary(r => r.Str("interaction_id")!);
        Assert.Equal(("7", "New"), (records["1"].Str("agent_id"), records["1"].Str("agent_name")));
        Assert.Equal(("7", "New"), (records["3"].Str("agent_id"), records["3"].Str("agent_name")));
        Assert.Equal("", records["2"].Str("agent_name")); // agent 7 only wrote there; never assignee
    }

    [Fact]
    public void Agent_name_ties_are_broken_by_arrival()
    {
        var d = new EventLog("1").Created("09:00:00", "email").Add("assignment.changed", "09:00:10", ("agent_id", "7"), ("agent_name", "First"))
            .Add("offer.created", "09:00:10", ("agent_id", "7"), ("agent_name", "Second")).Derive();
        Assert.Equal("Second", d.Interaction.Str("agent_name"));
        var reversed = new EventLog("1").Created("09:00:00", "email").Add("offer.created", "09:00:10", ("agent_id", "7"), ("agent_name", "Second"))
            .Add("assignment.changed", "09:00:10", ("agent_id", "7"), ("agent_name", "First")).Derive();
        Assert.Equal("First", reversed.Interaction.Str("agent_name"));
    }

    [Fact]
    public void Agent_name_from_a_transfer_names_the_receiving_agent()
    {
        var r = new EventLog().Created("09:00:00", "email").Assign("09:00:10", "7").TransferTo("09:00:20", "8", ("agent_name", "Bea")).Derive().Interaction;
        Assert.Equal("8", r.Str("agent_id"));
        Assert.Equal("Bea", r.Str("agent_name"));
    }

    [Fact]
    public void Groups_is_the_last_group_name_else_id()
    {
        Assert.Equal("Support", new EventLog().Created("09:00:00", "email", ("group_id", "20"), ("group_name", "Support")).Derive().Interaction.Str("groups"));
        Assert.Equal("20", new EventLog().Created("09:00:00", "email", ("group_id", "20")).Derive().Interaction.Str("groups"));
        Assert.Equal("Tier 2", new EventLog().Created("09:00:00", "email", ("group_id", "20"), ("group_name", "Support"))
            .Assign("09:01:00", "7", "manual", ("group_id", "30"), ("group_name", "Tier 2")).Derive().Interaction.Str("groups"));
    }

    [Fact]
    public void Group_id_without_name_forgets_the_previous_name()
    {
        var r = new EventLog().Created("09:00:00", "email", ("group_id", "20"), ("group_name", "Support")).Updated("09:01:00", ("group_id", "30")).Derive().Interaction;
        Assert.Equal("30", r.Str("groups"));
    }

    [Fact]
    public void External_id_disposition_and_notes_are_the_latest()
    {
        var r = new EventLog().Created("09:00:00", "email", ("external_id", "A")).Updated("09:01:00", ("external_id", "B"), ("disposition", "D1"), ("notes", "N1"))
            .Updated("09:02:00", ("disposition", "D2")).Updated("09:03:00", ("notes", "N2")).Derive().Interaction;
        Assert.Equal(("B", "D2", "N2"), (r.Str("external_id"), r.Str("disposition_name"), r.Str("notes")));
    }

    [Fact]
    public void Latest_attribute_is_by_occurred_at_not_arrival()
    {
        var log = new EventLog().Created("09:00:00", "email").Updated("09:05:00", ("notes", "late")).Updated("09:01:00", ("notes", "early"));
        Assert.Equal("late", log.Derive().Interaction.Str("notes"));
    }

    [Fact]
    public void Requester_fields_given_by_interaction_updated_replace_the_known_ones()
    {
        var r = new EventLog().Created("09:00:00", "email", ("requester", Requester("500", "Ana", "ana@example.com")))
            .Updated("09:01:00", ("requester", Requester(name: "Ana Lima"))).Derive().Interaction;
        Assert.Equal(("Ana Lima", "ana@example.com", "500"), (r.Str("name"), r.Str("contact"), r.Str("contact_id")));
        var r2 = new EventLog().Created("09:00:00", "email", ("requester", Requester("500", "Ana", "ana@example.com")))
            .Updated("09:01:00", ("requester", Requester("600", "", "+351210000000"))).Derive().Interaction;
        Assert.Equal(("", "+351210000000", "600"), (r2.Str("name"), r2.Str("contact"), r2.Str("contact_id")));
    }

    [Fact]
    public void Recording_url_wins_over_transcript_url()
    {
        var r = new EventLog().Created("09:00:00", "voice").Updated("09:01:00", ("recording_url", "https://rec/1")).Updated("09:02:00", ("transcript_url", "https://tr/1")).Derive().Interaction;
        Assert.Equal("https://rec/1", r.Str("transcription-recording"));
        var t = new EventLog().Created("09:00:00", "voice").Updated("09:01:00", ("transcript_url", "https://tr/1")).Updated("09:02:00", ("transcript_url", "https://tr/2")).Derive().Interaction;
        Assert.Equal("https://tr/2", t.Str("transcription-recording"));
    }

    [Fact]
    public void Deleted_interaction_has_no_record()
    {
        var d = new EventLog("1").Created("09:00:00", "email").Status("09:01:00", "deleted").For("2").Created("09:00:00", "email").Derive();
        Assert.Equal("2", d.Interaction.Str("interaction_id"));
    }

    [Fact]
    public void Interaction_without_created_has_no_record_and_no_engagements()
    {
        var d = new EventLog().EndUser("09:00:00").Assign("09:00:10", "7").Status("09:01:00", "solved").Derive();
        Assert.Empty(d.Interactions);
        Assert.Empty(d.Engagements);
    }

    [Fact]
    public void Records_are_ordered_by_start_then_interaction_id()
    {
        var d = new EventLog("b").Created("09:00:00", "email").For("a").Created("09:00:00", "email").For("0").Created("09:00:01", "email").Derive();
        Assert.Equal(["a", "b", "0"], d.Interactions.Select(r => r!.AsObject().Str("interaction_id")));
    }
}
