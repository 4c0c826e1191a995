using System.Text.Json.Nodes;
using OmniReport.Core.Derivation;
using OmniReport.Core.Events;
using OmniReport.TestSupport;

namespace OmniReport.Core.Tests;

/// <summary>SPEC §1: every field rule of every event type, and what a rejection names.</summary>
public sealed class ValidationTests
{
    private const string Remove = "<remove>";

    /// <summary>A valid event of each type, by a short name.</summary>
    private static JsonObject Base(string kind)
    {
        var e = new JsonObject
        {
            ["id"] = "e-1",
            ["type"] = kind switch
            {
                "created" => "interaction.created",
                "message" => "message.created",
                "assignment" => "assignment.changed",
                "transfer" => "transfer.created",
                "status" => "status.changed",
                "conversation" => "conversation.ended",
                "ended" => "interaction.ended",
                "updated" => "interaction.updated",
                _ => kind,
            },
            ["occurred_at"] = "2026-03-02T09:00:00Z",
            ["interaction_id"] = "100",
        };
        switch (kind)
        {
            case "created":
                e["channel"] = "email";
                break;
            case "message":
                e["author_type"] = "agent";
                e["author_id"] = "7";
                break;
            case "offer.created" or "offer.accepted" or "offer.declined" or "offer.expired" or "assignment":
                e["agent_id"] = "7";
                break;
            case "transfer":
                e["to_agent_id"] = "8";
                break;
            case "status":
                e["status"] = "open";
                break;
            default:
                break;
        }

        return e;
    }

    private static string With(string kind, string field, string value)
    {
        var e = Base(kind);
        if (value == Remove)
        {
            e.Remove(field);
        }
        else
        {
            e[field] = JsonNode.Parse(value);
        }

        return e.ToJsonString();
    }

    private static EventError Rejected(string json, long index = 3)
    {
        var ok = new EventParser().TryParse(json, index, out var ev, out var error);
        Assert.False(ok, $"accepted: {json}");
        Assert.Null(ev);
        Assert.NotNull(error);
        Assert.Equal(index, error.Index);
        return error;
    }

    private static Event Accepted(string json)
    {
        var ok = new EventParser().TryParse(json, 0, out var ev, out var error);
        Assert.True(ok, $"rejected: {error}");
        return ev!;
    }

    public static TheoryData<string, string, string, string> BadFields => new()
    {
        // The envelope.
        { "created", "id", Remove, "id" },
        { "created", "id", "null", "id" },
        { "created", "id", "\"\"", "id" },
        { "created", "id", $"\"{new string('a', 129)}\"", "id" },
        { "created", "id", "\"a\\u0001b\"", "id" },
        { "created", "id", "\"a\\nb\"", "id" },
        { "created", "id", "5", "id" },
        { "created", "id", "\"a\\u007fb\"", "id" },
        { "created", "id", "\"a\\u0085b\"", "id" },
        { "created", "id", "\"a\\tb\"", "id" },
        { "created", "type", Remove, "type" },
        { "created", "type", "\"foo.bar\"", "type" },
        { "created", "type", "\"Interaction.Created\"", "type" },
        { "created", "type", "5", "type" },
        { "created", "occurred_at", Remove, "occurred_at" },
        { "created", "occurred_at", "\"2026-03-02T09:00:00\"", "occurred_at" },
        { "created", "occurred_at", "\"2026-03-02T09:00:00.123\"", "occurred_at" },
        { "created", "occurred_at", "\"2026-03-02\"", "occurred_at" },
        { "created", "occurred_at", "\"yesterday\"", "occurred_at" },
        { "created", "occurred_at", "\"2026-13-02T09:00:00Z\"", "occurred_at" },
        { "created", "occurred_at", "\"2026-02-30T09:00:00Z\"", "occurred_at" },
        { "created", "occurred_at", "\"2026-03-02T25:00:00Z\"", "occurred_at" },
        { "created", "occurred_at", "\"2026-03-02T09:00:60Z\"", "occurred_at" },
        { "created", "occurred_at", "\"2026-03-02T09:00:00+0100\"", "occurred_at" },
        { "created", "occurred_at", "1772442000", "occurred_at" },
        { "created", "occurred_at", "\"2026-03-02T09:00:00.Z\"", "occurred_at" },
        { "created", "occurred_at", "\"2026-03-02T09:00:00,123Z\"", "occurred_at" },
        { "created", "occurred_at", "\"2026-03-02T9:00:00Z\"", "occurred_at" },
        { "created", "occurred_at", "\" 2026-03-02T09:00:00Z\"", "occurred_at" },
        { "created", "occurred_at", "\"2026-03-02T09:00:00Z \"", "occurred_at" },
        { "created", "occurred_at", "\"2026-02-29T09:00:00Z\"", "occurred_at" },
        { "created", "occurred_at", "\"2026-03-02T09:00:00+02:60\"", "occurred_at" },
        { "created", "occurred_at", "\"2026-03-02T09:00:00+01\"", "occurred_at" },
        { "created", "occurred_at", "\"\"", "occurred_at" },
        { "created", "occurred_at", "null", "occurred_at" },
        { "created", "interaction_id", Remove, "interaction_id" },
        { "created", "interaction_id", "null", "interaction_id" },
        { "created", "interaction_id", "\"\"", "interaction_id" },
        { "created", "interaction_id", $"\"{new string('1', 129)}\"", "interaction_id" },
        { "created", "interaction_id", "100", "interaction_id" },

        // interaction.created
        { "created", "channel", Remove, "channel" },
        { "created", "channel", "\"fax\"", "channel" },
        { "created", "channel", "\"EMAIL\"", "channel" },
        { "created", "channel", "5", "channel" },
        { "created", "direction", "\"sideways\"", "direction" },
        { "created", "direction", "true", "direction" },
        { "created", "status", "\"archived\"", "status" },
        { "created", "status", "5", "status" },
        { "created", "requester", "\"ana\"", "requester" },
        { "created", "requester", "[]", "requester" },
        { "created", "requester", "{\"id\": 500}", "requester.id" },
        { "created", "requester", "{\"name\": 5}", "requester.name" },
        { "created", "requester", "{\"contact\": false}", "requester.contact" },
        { "created", "group_id", "20", "group_id" },
        { "created", "group_name", "5", "group_name" },
        { "created", "external_id", "9", "external_id" },

        // message.created
        { "message", "author_type", Remove, "author_type" },
        { "message", "author_type", "\"customer\"", "author_type" },
        { "message", "author_type", "1", "author_type" },
        { "message", "author_id", Remove, "author_id" },
        { "message", "author_id", "null", "author_id" },
        { "message", "author_id", "7", "author_id" },
        { "message", "author_id", "\"\"", "author_id" },
        { "message", "public", "\"yes\"", "public" },
        { "message", "public", "1", "public" },
        { "message", "author_name", "5", "author_name" },

        // offers
        { "offer.created", "agent_id", Remove, "agent_id" },
        { "offer.created", "agent_id", "null", "agent_id" },
        { "offer.created", "agent_id", "7", "agent_id" },
        { "offer.created", "agent_id", "\"\"", "agent_id" },
        { "offer.created", "agent_name", "5", "agent_name" },
        { "offer.accepted", "agent_id", Remove, "agent_id" },
        { "offer.accepted", "agent_id", "7", "agent_id" },
        { "offer.accepted", "agent_name", "[]", "agent_name" },
        { "offer.declined", "agent_id", Remove, "agent_id" },
        { "offer.declined", "agent_id", "7", "agent_id" },
        { "offer.expired", "agent_id", Remove, "agent_id" },
        { "offer.expired", "agent_id", "7", "agent_id" },

        // assignment.changed
        { "assignment", "agent_id", Remove, "agent_id" },
        { "assignment", "agent_id", "7", "agent_id" },
        { "assignment", "agent_id", "\"\"", "agent_id" },
        { "assignment", "via", "\"auto\"", "via" },
        { "assignment", "via", "\"Routing\"", "via" },
        { "assignment", "via", "1", "via" },
        { "assignment", "group_id", "20", "group_id" },
        { "assignment", "group_name", "false", "group_name" },
        { "assignment", "agent_name", "5", "agent_name" },

        // transfer.created
        { "transfer", "to_agent_id", "8", "to_agent_id" },
        { "transfer", "to_agent_id", "\"\"", "to_agent_id" },
        { "transfer", "to_group_id", "30", "to_group_id" },
        { "transfer", "to_group_name", "5", "to_group_name" },
        { "transfer", "from_agent_id", "7", "from_agent_id" },
        { "transfer", "agent_name", "5", "agent_name" },

        // status.changed
        { "status", "status", Remove, "status" },
        { "status", "status", "null", "status" },
        { "status", "status", "\"reopened\"", "status" },
        { "status", "status", "\"Open\"", "status" },
        { "status", "status", "5", "status" },

        // conversation.ended
        { "conversation", "agent_id", "7", "agent_id" },

        // interaction.ended
        { "ended", "outcome", "\"hung_up\"", "outcome" },
        { "ended", "outcome", "1", "outcome" },

        // interaction.updated
        { "updated", "external_id", "5", "external_id" },
        { "updated", "disposition", "5", "disposition" },
        { "updated", "notes", "{}", "notes" },
        { "updated", "recording_url", "5", "recording_url" },
        { "updated", "transcript_url", "true", "transcript_url" },
        { "updated", "requester", "5", "requester" },
        { "updated", "requester", "{\"contact\": 5}", "requester.contact" },
        { "updated", "requester", "{\"id\": 600}", "requester.id" },
        { "updated", "group_id", "5", "group_id" },
        { "updated", "group_name", "5", "group_name" },
    };

    [Theory]
    [MemberData(nameof(BadFields))]
    public void Bad_field_is_rejected_naming_the_field_the_index_and_the_id(string kind, string field, string value, string expectedField)
    {
        var error = Rejected(With(kind, field, value));
        Assert.Equal(expectedField, error.Field);
        if (field != "id")
        {
            Assert.Equal("e-1", error.Id);
        }

        Assert.False(string.IsNullOrWhiteSpace(error.Description));
    }

    [Fact]
    public void Transfer_without_any_target_is_rejected_naming_a_to_field()
    {
        var e = Base("transfer");
        e.Remove("to_agent_id");
        e["from_agent_id"] = "7";
        var error = Rejected(e.ToJsonString());
        Assert.StartsWith("to_", error.Field, StringComparison.Ordinal);
        Assert.Equal("e-1", error.Id);
    }

    [Fact]
    public void Error_names_the_index_given_by_the_batch()
    {
        Assert.Equal(41, Rejected(With("created", "channel", "\"fax\""), index: 41).Index);
    }

    [Theory]
    [InlineData("[1, 2]")]
    [InlineData("\"event\"")]
    [InlineData("42")]
    [InlineData("null")]
    [InlineData("not json")]
    [InlineData("{\"id\": \"e-1\"")]
    [InlineData("")]
    public void Input_that_is_not_an_event_object_is_rejected_without_throwing(string json) => Rejected(json);

    [Fact]
    public void Unknown_type_is_an_error()
    {
        Assert.Equal("type", Rejected(With("created", "type", "\"ticket.created\"")).Field);
    }

    [Fact]
    public void Unknown_fields_are_ignored()
    {
        var e = Base("created");
        e["foo"] = new JsonObject { ["bar"] = new JsonArray(1, 2) };
        e["agent_id"] = 12; // not a field of interaction.created: ignored whatever its type
        e["author_type"] = "alien";
        var ev = Accepted(e.ToJsonString());
        Assert.Equal(EventType.InteractionCreated, ev.Type);
    }

    [Theory]
    [InlineData("created")]
    [InlineData("message")]
    [InlineData("offer.created")]
    [InlineData("offer.accepted")]
    [InlineData("offer.declined")]
    [InlineData("offer.expired")]
    [InlineData("assignment")]
    [InlineData("transfer")]
    [InlineData("status")]
    [InlineData("conversation")]
    [InlineData("ended")]
    [InlineData("updated")]
    public void Minimal_event_of_each_type_is_accepted(string kind) => Accepted(Base(kind).ToJsonString());

    [Fact]
    public void Defaults_are_inbound_new_manual_public_and_completed()
    {
        var created = Accepted(Base("created").ToJsonString());
        Assert.Equal((Direction.Inbound, TicketStatus.New), (created.Direction, created.Status));
        Assert.Equal(AssignmentVia.Manual, Accepted(Base("assignment").ToJsonString()).Via);
        Assert.True(Accepted(Base("message").ToJsonString()).IsPublic);
        Assert.Equal(Outcome.Completed, Accepted(Base("ended").ToJsonString()).Outcome);
    }

    [Fact]
    public void End_user_message_needs_no_author_id()
    {
        var e = Base("message");
        e["author_type"] = "end_user";
        e.Remove("author_id");
        Assert.Equal(AuthorType.EndUser, Accepted(e.ToJsonString()).AuthorType);
    }

    [Fact]
    public void Bot_message_needs_an_author_id()
    {
        var e = Base("message");
        e["author_type"] = "bot";
        e.Remove("author_id");
        Assert.Equal("author_id", Rejected(e.ToJsonString()).Field);
    }

    [Fact]
    public void Unassignment_with_null_agent_id_is_accepted()
    {
        var ev = Accepted(With("assignment", "agent_id", "null"));
        Assert.Null(ev.AgentId);
    }

    [Fact]
    public void Transfer_to_a_group_only_is_accepted()
    {
        var e = Base("transfer");
        e.Remove("to_agent_id");
        e["to_group_id"] = "30";
        Accepted(e.ToJsonString());
        e.Remove("to_group_id");
        e["to_group_name"] = "Tier 2";
        Accepted(e.ToJsonString());
    }

    [Fact]
    public void Ids_of_128_characters_are_accepted()
    {
        var e = Base("created");
        e["id"] = new string('a', 128);
        e["interaction_id"] = new string('1', 128);
        var ev = Accepted(e.ToJsonString());
        Assert.Equal(128, ev.Id.Length);
    }

    [Fact]
    public void Id_length_counts_code_points()
    {
        // decisions.md: 128 code points; an astral character is two UTF-16 units.
        var e = Base("created");
        e["id"] = string.Concat(Enumerable.Repeat("😀", 128));
        Accepted(e.ToJsonString());
        e["id"] = string.Concat(Enumerable.Repeat("😀", 129));
        Assert.Equal("id", Rejected(e.ToJsonString()).Field);
    }

    [Fact]
    public void Requester_fields_may_be_empty_strings()
    {
        var e = Base("created");
        e["requester"] = new JsonObject { ["id"] = "", ["name"] = "", ["contact"] = "" };
        e["group_id"] = "";
        Accepted(e.ToJsonString());
    }

    [Fact]
    public void Null_defaults_mean_not_given()
    {
        var m = Base("message");
        m["public"] = null;
        Assert.True(Accepted(m.ToJsonString()).IsPublic);
        Assert.Equal(AssignmentVia.Manual, Accepted(With("assignment", "via", "null")).Via);
        Assert.Equal(Outcome.Completed, Accepted(With("ended", "outcome", "null")).Outcome);
        Assert.Equal(TicketStatus.New, Accepted(With("created", "status", "null")).Status);
        Assert.Equal("channel", Rejected(With("created", "channel", "null")).Field);
        Assert.Equal("author_type", Rejected(With("message", "author_type", "null")).Field);
    }

    [Fact]
    public void Null_optional_fields_mean_not_given()
    {
        var e = Base("created");
        e["direction"] = null;
        e["group_id"] = null;
        e["requester"] = null;
        var ev = Accepted(e.ToJsonString());
        Assert.Equal(Direction.Inbound, ev.Direction);
    }

    [Theory]
    [InlineData("2026-03-02T09:00:00Z", "2026-03-02T09:00:00.000Z")]
    [InlineData("2026-03-02T10:00:00+01:00", "2026-03-02T09:00:00.000Z")]
    [InlineData("2026-03-02T03:30:00-05:30", "2026-03-02T09:00:00.000Z")]
    [InlineData("2026-03-02T09:00:00.123Z", "2026-03-02T09:00:00.123Z")]
    [InlineData("2026-03-02T10:00:00.123+01:00", "2026-03-02T09:00:00.123Z")]
    [InlineData("2026-03-02T09:00:00.5Z", "2026-03-02T09:00:00.500Z")]
    [InlineData("2026-03-02T09:00:00.1239Z", "2026-03-02T09:00:00.123Z")]
    [InlineData("2026-03-02t09:00:00z", "2026-03-02T09:00:00.000Z")]
    [InlineData("2026-03-02 09:00:00Z", "2026-03-02T09:00:00.000Z")]
    [InlineData("2026-03-02T09:00:00-00:00", "2026-03-02T09:00:00.000Z")]
    [InlineData("2024-02-29T09:00:00Z", "2024-02-29T09:00:00.000Z")]
    [InlineData("2026-12-31T23:59:59.999-01:00", "2027-01-01T00:59:59.999Z")]
    [InlineData("2026-03-02T00:30:00+24:00", null)]
    public void Timestamps_keep_millisecond_precision_and_honour_the_offset(string text, string? utc)
    {
        var json = With("created", "occurred_at", $"\"{text}\"");
        if (utc is null)
        {
            Rejected(json);
            return;
        }

        Assert.Equal(DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds(), Accepted(json).OccurredAtMs);
    }

    [Fact]
    public void Millisecond_precision_reaches_the_derived_records()
    {
        var d = new EventLog().Created("09:00:00.001", "email").Assign("09:00:00.999", "7").Status("09:00:01.998", "solved").Derive();
        var e = d.Account.Engagements.Single();
        Assert.Equal((EventLog.Ms("09:00:00.999"), EventLog.Ms("09:00:01.998")), (e.StartMs, e.EndMs));
        Assert.Equal(0, e.EngagementDurationSeconds);
        Assert.Equal(EventLog.Ms("09:00:00.001"), d.Account.Interactions.Single().StartMs);
        Assert.Equal(1, d.Interaction.Num("duration"));
    }

    [Fact]
    public void A_second_event_with_the_same_id_is_a_duplicate_and_ignored()
    {
        var parser = new EventParser();
        var account = new AccountDerivation();
        Assert.True(parser.TryParse(Base("created").ToJsonString(), 0, out var first, out _));
        var other = Base("created");
        other["channel"] = "voice";
        Assert.True(parser.TryParse(other.ToJsonString(), 1, out var second, out _));
        Assert.True(account.Add(first!));
        Assert.False(account.Add(second!));
        Assert.Equal(1, account.Count);
        var derived = account.Run(OmniReport.Core.Settings.AccountSettings.Default, EventLog.Ms(EventLog.Later));
        Assert.Equal(Channel.Email, derived.Interactions.Single().Channel);
    }

    [Fact]
    public void Rejected_events_do_not_stop_the_rest_of_a_batch()
    {
        var parser = new EventParser();
        var lines = new[] { Base("created").ToJsonString(), With("assignment", "agent_id", "7"), With("assignment", "id", "\"e-2\"") };
        var results = lines.Select((l, i) => (ok: parser.TryParse(l, i, out _, out var err), err)).ToList();
        Assert.Equal([true, false, true], results.Select(r => r.ok));
        Assert.Equal((1L, "agent_id"), (results[1].err!.Index, results[1].err!.Field));
    }
}
