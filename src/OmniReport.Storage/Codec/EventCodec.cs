using OmniReport.Core.Events;

namespace OmniReport.Storage.Codec;

/// <summary>
/// An interaction's events as one blob: the encoded events one after another, so a batch appends its new
/// events to the stored bytes without decoding them. Every field of <see cref="Event"/> is kept (with its
/// arrival sequence), so the records can be derived again at any time.
/// </summary>
internal static class EventCodec
{
    private const byte HasAgentId = 1, HasAgentName = 2, IsPublic = 4, HasDetails = 8;

    public static void Write(BlobWriter w, Event e)
    {
        w.UInt((ulong)e.Sequence);
        w.Long(e.OccurredAtMs);
        w.Byte((byte)e.Type);
        var flags = (byte)((e.AgentId is null ? 0 : HasAgentId) | (e.AgentName is null ? 0 : HasAgentName)
            | (e.IsPublic ? IsPublic : 0) | (e.Details is null ? 0 : HasDetails));
        w.Byte(flags);
        w.Byte((byte)e.AuthorType);
        w.Byte((byte)e.Channel);
        w.Byte((byte)e.Direction);
        w.Byte((byte)e.Status);
        w.Byte((byte)e.Outcome);
        w.Byte((byte)e.Via);
        w.String(e.Id);
        if (e.AgentId is { } agent)
        {
            w.String(agent);
        }

        if (e.AgentName is { } name)
        {
            w.String(name);
        }

        if (e.Details is { } d)
        {
            w.NullableString(d.GroupId);
            w.NullableString(d.GroupName);
            w.NullableString(d.RequesterId);
            w.NullableString(d.RequesterName);
            w.NullableString(d.RequesterContact);
            w.NullableString(d.ExternalId);
            w.NullableString(d.Disposition);
            w.NullableString(d.Notes);
            w.NullableString(d.RecordingUrl);
            w.NullableString(d.TranscriptUrl);
            w.NullableString(d.FromAgentId);
        }
    }

    /// <summary>Decodes every event of a blob, appending them to <paramref name="into"/>.</summary>
    public static void ReadAll(ReadOnlySpan<byte> blob, string interactionId, List<Event> into)
    {
        var r = new BlobReader(blob);
        while (!r.End)
        {
            into.Add(Read(ref r, interactionId));
        }
    }

    private static Event Read(ref BlobReader r, string interactionId)
    {
        var seq = (long)r.UInt();
        var at = r.Long();
        var type = (EventType)r.Byte();
        var flags = r.Byte();
        var author = (AuthorType)r.Byte();
        var channel = (Channel)r.Byte();
        var direction = (Direction)r.Byte();
        var status = (TicketStatus)r.Byte();
        var outcome = (Outcome)r.Byte();
        var via = (AssignmentVia)r.Byte();
        var id = r.String();
        var agentId = (flags & HasAgentId) != 0 ? r.String() : null;
        var agentName = (flags & HasAgentName) != 0 ? r.String() : null;
        EventDetails? details = null;
        if ((flags & HasDetails) != 0)
        {
            details = new EventDetails
            {
                GroupId = r.NullableString(),
                GroupName = r.NullableString(),
                RequesterId = r.NullableString(),
                RequesterName = r.NullableString(),
                RequesterContact = r.NullableString(),
                ExternalId = r.NullableString(),
                Disposition = r.NullableString(),
                Notes = r.NullableString(),
                RecordingUrl = r.NullableString(),
                TranscriptUrl = r.NullableString(),
                FromAgentId = r.NullableString(),
            };
        }

        return new Event
        {
            Id = id,
            Type = type,
            OccurredAtMs = at,
            InteractionId = interactionId,
            Sequence = seq,
            AgentId = agentId,
            AgentName = agentName,
            AuthorType = author,
            IsPublic = (flags & IsPublic) != 0,
            Channel = channel,
            Direction = direction,
            Status = status,
            Outcome = outcome,
            Via = via,
            Details = details,
        };
    }
}
