using NodaTime;
using OmniReport.Core.Derivation;
using OmniReport.Core.Events;

namespace OmniReport.Core.Reports;

/// <summary>The fields of the two record kinds, in their wire order (SPEC §4, §5.3).</summary>
public static class RecordFields
{
    /// <summary>
    /// The engagement object's fields, in order, as <see cref="Write(IFieldSink, Engagement, DateTimeZone)"/> writes
    /// them (a test holds the writer to the kinds).
    /// </summary>
    public static readonly RecordField[] EngagementFields =
    [
        new("engagement_id", FieldKind.Text, "32 upper-case hexadecimal digits."),
        new("ticket_id", FieldKind.Id, "The interaction id: a JSON integer when it is a canonical decimal integer up to 2^53−1, else a string."),
        new("agent_id", FieldKind.Id, "The agent id (integer or string, as ticket_id)."),
        new("group_id", FieldKind.IdOrNull, "The group at the start (integer, string or null)."),
        new("requester_id", FieldKind.IdOrNull, "The requester id (integer, string or null)."),
        new("offer_time_seconds", FieldKind.NumberOrNull),
        new("assignment_to_first_reply_time_seconds", FieldKind.NumberOrNull),
        new("agent_messages_count", FieldKind.Number),
        new("agent_replies_count", FieldKind.Number),
        new("total_requester_wait_time_seconds", FieldKind.Number),
        new("longest_requester_wait_time_seconds", FieldKind.NumberOrNull),
        new("channel", FieldKind.Text, "MESSAGING, CHAT, EMAIL, VOICE, SMS, WHATSAPP or SOCIAL."),
        new("engagement_start_reason", FieldKind.Text),
        new("engagement_start_time", FieldKind.Text, "YYYY-MM-DDTHH:MM:SS, UTC, no offset."),
        new("engagement_end_time", FieldKind.Text, "YYYY-MM-DDTHH:MM:SS, UTC, no offset."),
        new("ticket_status_start", FieldKind.Text, "NEW, OPEN, PENDING, ON_HOLD, SOLVED, CLOSED or DELETED."),
        new("ticket_status_end", FieldKind.Text, "NEW, OPEN, PENDING, ON_HOLD, SOLVED, CLOSED or DELETED."),
        new("engagement_end_reason", FieldKind.Text),
        new("average_requester_wait_time_seconds", FieldKind.NumberOrNull),
        new("end_user_messages_count", FieldKind.Number),
        new("engagement_duration_seconds", FieldKind.Number),
    ];

    /// <summary>Engagement object fields, in order.</summary>
    public static readonly string[] Engagement = Array.ConvertAll(EngagementFields, f => f.Name);

    /// <summary>Interaction record fields, in order.</summary>
    public static readonly string[] Interaction =
    [
        "interaction_id", "waiting_time", "start_date-time", "end_date-time", "duration", "interaction_type",
        "interaction_status", "interaction_direction", "agent_type", "groups", "agent_name", "agent_id",
        "external_id", "name", "contact", "contact_id", "disposition_name", "transcription-recording", "notes",
    ];

    /// <summary>Writes an engagement's fields, times as <c>YYYY-MM-DDTHH:MM:SS</c> in <paramref name="zone"/>.</summary>
    public static void Write(IFieldSink s, Engagement e, DateTimeZone zone)
    {
        s.Text(0, e.EngagementId);
        Ids.Write(s, 1, e.TicketId);
        Ids.Write(s, 2, e.AgentId);
        Ids.Write(s, 3, e.GroupId);
        Ids.Write(s, 4, e.RequesterId);
        Maybe(s, 5, e.OfferTimeSeconds);
        Maybe(s, 6, e.AssignmentToFirstReplyTimeSeconds);
        s.Number(7, e.AgentMessagesCount);
        s.Number(8, e.AgentRepliesCount);
        s.Number(9, e.TotalRequesterWaitTimeSeconds);
        Maybe(s, 10, e.LongestRequesterWaitTimeSeconds);
        s.Text(11, Vocabulary.Upper(e.Channel));
        s.Text(12, e.StartReason);
        s.Time(13, e.StartMs, zone, 'T');
        s.Time(14, e.EndMs, zone, 'T');
        s.Text(15, Vocabulary.Upper(e.StatusStart));
        s.Text(16, Vocabulary.Upper(e.StatusEnd));
        s.Text(17, e.EndReason);
        Maybe(s, 18, e.AverageRequesterWaitTimeSeconds);
        s.Number(19, e.EndUserMessagesCount);
        s.Number(20, e.EngagementDurationSeconds);
    }

    /// <summary>
    /// Writes an open engagement's fields as known so far (SPEC §9 "Now"): the fields of an engagement, with
    /// <c>engagement_end_time</c>, <c>ticket_status_end</c>, <c>engagement_end_reason</c> and
    /// <c>engagement_duration_seconds</c> null.
    /// </summary>
    public static void Write(IFieldSink s, OpenEngagement e, DateTimeZone zone)
    {
        s.Text(0, e.EngagementId);
        Ids.Write(s, 1, e.TicketId);
        Ids.Write(s, 2, e.AgentId);
        Ids.Write(s, 3, e.GroupId);
        Ids.Write(s, 4, e.RequesterId);
        Maybe(s, 5, e.OfferTimeSeconds);
        Maybe(s, 6, e.AssignmentToFirstReplyTimeSeconds);
        s.Number(7, e.AgentMessagesCount);
        s.Number(8, e.AgentRepliesCount);
        s.Number(9, e.TotalRequesterWaitTimeSeconds);
        Maybe(s, 10, e.LongestRequesterWaitTimeSeconds);
        s.Text(11, Vocabulary.Upper(e.Channel));
        s.Text(12, e.StartReason);
        s.Time(13, e.StartMs, zone, 'T');
        s.Null(14);
        s.Text(15, Vocabulary.Upper(e.StatusStart));
        s.Null(16);
        s.Null(17);
        Maybe(s, 18, e.AverageRequesterWaitTimeSeconds);
        s.Number(19, e.EndUserMessagesCount);
        s.Null(20);
    }

    /// <summary>Writes an interaction record's fields, times as <c>YYYY-MM-DD HH:MM:SS</c> in <paramref name="zone"/>.</summary>
    public static void Write(IFieldSink s, InteractionRecord r, string agentName, DateTimeZone zone)
    {
        s.Text(0, r.InteractionId);
        Maybe(s, 1, r.WaitingTime);
        s.Time(2, r.StartMs, zone, ' ');
        if (r.EndMs is { } end)
        {
            s.Time(3, end, zone, ' ');
        }
        else
        {
            s.Null(3);
        }

        Maybe(s, 4, r.Duration);
        s.Text(5, Vocabulary.Upper(r.Channel));
        s.Text(6, r.Status);
        s.Text(7, r.Direction == Direction.Inbound ? "INBOUND" : "OUTBOUND");
        s.Text(8, r.AgentType);
        s.Text(9, r.Groups);
        s.Text(10, agentName);
        s.Text(11, r.AgentId);
        s.Text(12, r.ExternalId);
        s.Text(13, r.Name);
        s.Text(14, r.Contact);
        s.Text(15, r.ContactId);
        s.Text(16, r.DispositionName);
        s.Text(17, r.TranscriptionRecording);
        s.Text(18, r.Notes);
    }

    private static void Maybe(IFieldSink s, int field, long? value)
    {
        if (value is { } v)
        {
            s.Number(field, v);
        }
        else
        {
            s.Null(field);
        }
    }
}
