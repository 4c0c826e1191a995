using System.Text;
using System.Text.Json;
using OmniReport.Core.Reports;

namespace OmniReport.Core.Events;

public sealed partial class EventParser
{
    private const string RfcExample = "an RFC 3339 timestamp with an offset, such as 2026-11-21T09:15:00Z";

    private bool Validate(long index, out Event? ev, out EventError? error)
    {
        ev = null;
        string? id = null;
        var idSlot = _slots[(int)F.Id];
        if (idSlot is { Kind: JsonTokenType.String, Str: { } given })
        {
            id = ErrorText.Cap(given);
        }

        var problem = Check(out var built);
        if (problem is not null)
        {
            error = new EventError(index, id, problem.Name, problem.Description);
            return false;
        }

        error = null;
        ev = built;
        return true;

        FieldProblem? Check(out Event? result)
        {
            result = null;
            FieldProblem? p;
            string? eventId = "";
            // The scanner's id (TryParseHeld) is printable ASCII of 1–128 bytes, which these checks pass: it stays bytes.
            if (_idStart < 0)
            {
                if (!TextRequired(F.Id, "id", out eventId, out p))
                {
                    return p;
                }

                if (IdProblem(eventId!, controlCharsAllowed: false) is { } idProblem)
                {
                    return Fail("id", idProblem);
                }
            }

            if (!TextRequired(F.Type, "type", out var typeName, out p))
            {
                return p;
            }

            if (!Vocabulary.TryType(typeName!, out var type))
            {
                return Fail("type", $"unknown event type {ErrorText.Quote(typeName!)}; expected one of: {Vocabulary.AllowedTypes}");
            }

            if (!TextRequired(F.OccurredAt, "occurred_at", out var at, out p))
            {
                return p;
            }

            var ms = _slots[(int)F.OccurredAt].Ms;
            if (!_slots[(int)F.OccurredAt].HasMs)
            {
                if (!Rfc3339.TryParse(at!, out ms))
                {
                    return Fail("occurred_at", $"{ErrorText.Quote(at!)} is not {RfcExample}");
                }

                if (!Rfc3339.InRange(ms))
                {
                    return Fail("occurred_at", $"{ErrorText.Quote(at!)} is outside the years 0001–9999 in UTC");
                }
            }

            if (!TextRequired(F.InteractionId, "interaction_id", out var interactionId, out p))
            {
                return p;
            }

            if (IdProblem(interactionId!, controlCharsAllowed: true) is { } iidProblem)
            {
                return Fail("interaction_id", iidProblem);
            }

            return type switch
            {
                EventType.InteractionCreated => Created(eventId!, ms, interactionId!, out result),
                EventType.MessageCreated => Message(eventId!, ms, interactionId!, out result),
                EventType.OfferCreated or EventType.OfferAccepted or EventType.OfferDeclined or EventType.OfferExpired
                    => Offer(type, eventId!, ms, interactionId!, out result),
                EventType.AssignmentChanged => Assignment(eventId!, ms, interactionId!, out result),
                EventType.TransferCreated => Transfer(eventId!, ms, interactionId!, out result),
                EventType.StatusChanged => StatusChange(eventId!, ms, interactionId!, out result),
                EventType.ConversationEnded => ConversationEnded(eventId!, ms, interactionId!, out result),
                EventType.InteractionEnded => InteractionEnded(eventId!, ms, interactionId!, out result),
                _ => Updated(eventId!, ms, interactionId!, out result),
            };
        }
    }

    /// <summary>
    /// The valid event: the instance given to fill (<see cref="TryParse(ReadOnlySpan{byte}, long, Event?, out Event?, out EventError?)"/>)
    /// when there is one, else a new one. Every field is set, the ones the type does not use to their defaults, so a
    /// refilled instance holds nothing of the event it held before.
    /// </summary>
    private Event Make(string id, EventType type, long ms, string iid, string? agentId = null, string? agentName = null,
        AuthorType authorType = default, bool isPublic = true, Channel channel = default, Direction direction = default,
        TicketStatus status = default, Outcome outcome = default, AssignmentVia via = default, EventDetails? details = null)
    {
        var e = _into ?? new Event { Id = id, Type = type, OccurredAtMs = ms, InteractionId = iid };
        e.Reload(id, type, ms, iid, 0, agentId, agentName, authorType, isPublic, channel, direction, status, outcome, via, details);
        return e;
    }

    private FieldProblem? Created(string id, long ms, string iid, out Event? ev)
    {
        ev = null;
        if (!TextRequired(F.Channel, "channel", out var ch, out var p))
        {
            return p;
        }

        if (!Vocabulary.TryChannel(ch!, out var channel))
        {
            return Bad("channel", ch!, Vocabulary.AllowedChannels);
        }

        if ((p = Enum(F.Direction, "direction", Vocabulary.TryDirection, Vocabulary.AllowedDirections, out Direction direction)) is not null
            || (p = Enum(F.Status, "status", Vocabulary.TryStatus, Vocabulary.AllowedStatuses, out TicketStatus status)) is not null
            || (p = Details(out var details, group: true, requester: true, attributes: false, externalId: true)) is not null)
        {
            return p;
        }

        ev = Make(id, EventType.InteractionCreated, ms, iid, channel: channel, direction: direction, status: status, details: details);
        return null;
    }

    private FieldProblem? Message(string id, long ms, string iid, out Event? ev)
    {
        ev = null;
        if (!TextRequired(F.AuthorType, "author_type", out var at, out var p))
        {
            return p;
        }

        if (!Vocabulary.TryAuthor(at!, out var author))
        {
            return Bad("author_type", at!, Vocabulary.AllowedAuthors);
        }

        string? authorId = null;
        if (author != AuthorType.EndUser)
        {
            if (!TextRequired(F.AuthorId, "author_id", out authorId, out p))
            {
                return p;
            }

            if (IdProblem(authorId!, controlCharsAllowed: true) is { } q)
            {
                return Fail("author_id", q);
            }
        }

        if ((p = TextOptional(F.AuthorName, "author_name", out var name)) is not null)
        {
            return p;
        }

        var isPublic = true;
        var pub = _slots[(int)F.Public];
        if (pub.Present && pub.Kind != JsonTokenType.Null)
        {
            if (pub.Kind is not (JsonTokenType.True or JsonTokenType.False))
            {
                return Fail("public", $"must be true or false, not {Describe(pub.Kind)}");
            }

            isPublic = pub.Bool;
        }

        ev = Make(id, EventType.MessageCreated, ms, iid, authorType: author, agentId: authorId,
            agentName: author == AuthorType.EndUser ? null : name, isPublic: isPublic);
        return null;
    }

    private FieldProblem? Offer(EventType type, string id, long ms, string iid, out Event? ev)
    {
        ev = null;
        if (AgentRequired(F.AgentId, "agent_id", out var agent) is { } p
            || (p = TextOptional(F.AgentName, "agent_name", out var name)) is not null)
        {
            return p;
        }

        ev = Make(id, type, ms, iid, agentId: agent, agentName: name);
        return null;
    }

    private FieldProblem? Assignment(string id, long ms, string iid, out Event? ev)
    {
        ev = null;
        var slot = _slots[(int)F.AgentId];
        string? agent = null;
        if (!slot.Present)
        {
            return Fail("agent_id", "is required: an agent id, or null to unassign");
        }

        if (slot.Kind != JsonTokenType.Null)
        {
            if (AgentRequired(F.AgentId, "agent_id", out agent) is { } q)
            {
                return q;
            }
        }

        if (TextOptional(F.AgentName, "agent_name", out var name) is { } p
            || (p = Enum(F.Via, "via", Vocabulary.TryVia, Vocabulary.AllowedVias, out AssignmentVia via)) is not null
            || (p = Details(out var details, group: true, requester: false, attributes: false, externalId: false)) is not null)
        {
            return p;
        }

        ev = Make(id, EventType.AssignmentChanged, ms, iid, agentId: agent, agentName: agent is null ? null : name, via: via, details: details);
        return null;
    }

    private FieldProblem? Transfer(string id, long ms, string iid, out Event? ev)
    {
        ev = null;
        string? to = null;
        if (_slots[(int)F.ToAgentId] is { Present: true, Kind: not JsonTokenType.Null }
            && AgentRequired(F.ToAgentId, "to_agent_id", out to) is { } q)
        {
            return q;
        }

        if (TextOptional(F.ToGroupId, "to_group_id", out var groupId) is { } p
            || (p = TextOptional(F.ToGroupName, "to_group_name", out var groupName)) is not null
            || (p = TextOptional(F.FromAgentId, "from_agent_id", out var from)) is not null
            || (p = TextOptional(F.AgentName, "agent_name", out var name)) is not null)
        {
            return p;
        }

        if (to is null && groupId is null && groupName is null)
        {
            return Fail("to_agent_id", "a transfer needs at least one of to_agent_id, to_group_id, to_group_name");
        }

        ev = Make(id, EventType.TransferCreated, ms, iid, agentId: to, agentName: to is null ? null : name,
            details: new EventDetails { GroupId = groupId, GroupName = groupName, FromAgentId = from });
        return null;
    }

    private FieldProblem? StatusChange(string id, long ms, string iid, out Event? ev)
    {
        ev = null;
        if (!TextRequired(F.Status, "status", out var s, out var p))
        {
            return p;
        }

        if (!Vocabulary.TryStatus(s!, out var status))
        {
            return Bad("status", s!, Vocabulary.AllowedStatuses);
        }

        ev = Make(id, EventType.StatusChanged, ms, iid, status: status);
        return null;
    }

    private FieldProblem? ConversationEnded(string id, long ms, string iid, out Event? ev)
    {
        ev = null;
        string? agent = null;
        if (_slots[(int)F.AgentId] is { Present: true, Kind: not JsonTokenType.Null }
            && AgentRequired(F.AgentId, "agent_id", out agent) is { } q)
        {
            return q;
        }

        if (TextOptional(F.AgentName, "agent_name", out var name) is { } p)
        {
            return p;
        }

        ev = Make(id, EventType.ConversationEnded, ms, iid, agentId: agent, agentName: agent is null ? null : name);
        return null;
    }

    private FieldProblem? InteractionEnded(string id, long ms, string iid, out Event? ev)
    {
        ev = null;
        if (Enum(F.Outcome, "outcome", Vocabulary.TryOutcome, Vocabulary.AllowedOutcomes, out Outcome outcome) is { } p)
        {
            return p;
        }

        ev = Make(id, EventType.InteractionEnded, ms, iid, outcome: outcome);
        return null;
    }

    private FieldProblem? Updated(string id, long ms, string iid, out Event? ev)
    {
        ev = null;
        if (Details(out var details, group: true, requester: true, attributes: true, externalId: true) is { } p)
        {
            return p;
        }

        ev = Make(id, EventType.InteractionUpdated, ms, iid, details: details);
        return null;
    }

    private FieldProblem? Details(out EventDetails? details, bool group, bool requester, bool attributes, bool externalId)
    {
        details = null;
        string? groupId = null, groupName = null, externalIdValue = null, disposition = null, notes = null, rec = null, tr = null;
        string? rid = null, rname = null, rcontact = null;
        FieldProblem? p;
        if (group && ((p = TextOptional(F.GroupId, "group_id", out groupId)) is not null
                      || (p = TextOptional(F.GroupName, "group_name", out groupName)) is not null))
        {
            return p;
        }

        if (externalId && (p = TextOptional(F.ExternalId, "external_id", out externalIdValue)) is not null)
        {
            return p;
        }

        if (attributes && ((p = TextOptional(F.Disposition, "disposition", out disposition)) is not null
                           || (p = TextOptional(F.Notes, "notes", out notes)) is not null
                           || (p = TextOptional(F.RecordingUrl, "recording_url", out rec)) is not null
                           || (p = TextOptional(F.TranscriptUrl, "transcript_url", out tr)) is not null))
        {
            return p;
        }

        if (requester)
        {
            var slot = _slots[(int)F.Requester];
            if (slot.Present && slot.Kind != JsonTokenType.Null)
            {
                if (slot.Kind != JsonTokenType.StartObject)
                {
                    return Fail("requester", $"must be an object with id, name and contact, not {Describe(slot.Kind)}");
                }

                if ((p = TextOptional(_reqId, "requester.id", out rid)) is not null
                    || (p = TextOptional(_reqName, "requester.name", out rname)) is not null
                    || (p = TextOptional(_reqContact, "requester.contact", out rcontact)) is not null)
                {
                    return p;
                }
            }
        }

        if (groupId is null && groupName is null && externalIdValue is null && disposition is null && notes is null
            && rec is null && tr is null && rid is null && rname is null && rcontact is null)
        {
            return null;
        }

        details = new EventDetails
        {
            GroupId = groupId, GroupName = groupName, ExternalId = externalIdValue, Disposition = disposition,
            Notes = notes, RecordingUrl = rec, TranscriptUrl = tr, RequesterId = rid, RequesterName = rname,
            RequesterContact = rcontact,
        };
        return null;
    }

    private delegate bool TryEnum<T>(string s, out T value);

    private FieldProblem? Enum<T>(F f, string field, TryEnum<T> parse, string allowed, out T value) where T : struct
    {
        value = default;
        if (TextOptional(f, field, out var text) is { } p)
        {
            return p;
        }

        if (text is null)
        {
            return null;
        }

        return parse(text, out value) ? null : Bad(field, text, allowed);
    }

    private FieldProblem? AgentRequired(F f, string field, out string? value)
    {
        if (!TextRequired(f, field, out value, out var p))
        {
            return p;
        }

        return IdProblem(value!, controlCharsAllowed: true) is { } q ? Fail(field, q) : null;
    }

    private bool TextRequired(F f, string field, out string? value, out FieldProblem? problem)
    {
        var slot = _slots[(int)f];
        value = null;
        problem = null;
        if (!slot.Present || slot.Kind == JsonTokenType.Null)
        {
            problem = Fail(field, "is required");
            return false;
        }

        if (slot.Kind != JsonTokenType.String)
        {
            problem = Fail(field, $"must be a string, not {Describe(slot.Kind)}");
            return false;
        }

        value = slot.Str;
        return true;
    }

    private FieldProblem? TextOptional(F f, string field, out string? value) => TextOptional(_slots[(int)f], field, out value);

    private static FieldProblem? TextOptional(Slot slot, string field, out string? value)
    {
        value = null;
        if (!slot.Present || slot.Kind == JsonTokenType.Null)
        {
            return null;
        }

        if (slot.Kind != JsonTokenType.String)
        {
            return Fail(field, $"must be a string, not {Describe(slot.Kind)}");
        }

        value = slot.Str;
        return null;
    }

    private static FieldProblem Fail(string field, string description) => new(field, description);

    private static FieldProblem Bad(string field, string value, string allowed) =>
        Fail(field, $"{ErrorText.Quote(value)} is not allowed; expected one of: {allowed}");

    private static string Describe(JsonTokenType kind) => kind switch
    {
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        _ => "null",
    };

    /// <summary>An id is 1–128 characters (Unicode code points); the event id has no control characters.</summary>
    private static string? IdProblem(string s, bool controlCharsAllowed)
    {
        if (s.Length == 0)
        {
            return "must not be empty";
        }

        var length = s.Length;
        if (length > MaxIdLength)
        {
            length = 0;
            foreach (var _ in s.EnumerateRunes())
            {
                length++;
            }
        }

        if (length > MaxIdLength)
        {
            return $"must be at most {MaxIdLength} characters, not {length}";
        }

        // Printable ASCII (the usual id) has no control character: one vectorized scan instead of a walk by runes.
        if (!controlCharsAllowed && s.AsSpan().ContainsAnyExceptInRange(' ', '~'))
        {
            foreach (var r in s.EnumerateRunes())
            {
                if (Rune.IsControl(r))
                {
                    return "must not contain control characters";
                }
            }
        }

        return null;
    }
}
