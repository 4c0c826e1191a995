using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using OmniReport.Core.Events;
using OmniReport.Core.Reports;
using Events = OmniReport.Core.Events;

namespace OmniReport.Generation;

/// <summary>
/// One generated event, as its wire fields (SPEC §1). Null fields are not written; <see cref="Unassign"/>
/// writes <c>"agent_id": null</c>.
/// </summary>
public sealed class SyntheticEvent
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // "+351…" and "João" as themselves, not \u escapes
        SkipValidation = true,
    };

    /// <summary>The interaction.</summary>
    public required string InteractionId { get; init; }

    /// <summary>Position of the event within its interaction; the event id is <c>{interaction_id}-{n}</c>.</summary>
    public required int Number { get; init; }

    /// <summary>The type.</summary>
    public required EventType Type { get; init; }

    /// <summary><c>occurred_at</c>, Unix ms.</summary>
    public required long OccurredAtMs { get; init; }

    /// <summary><c>channel</c> of interaction.created.</summary>
    public Channel? Channel { get; set; }

    /// <summary><c>direction</c> (written only for outbound).</summary>
    public Direction? Direction { get; set; }

    /// <summary>A <c>requester</c> object.</summary>
    public (string Id, string Name, string Contact)? Requester { get; set; }

    /// <summary><c>group_id</c> (<c>to_group_id</c> for a transfer).</summary>
    public string? GroupId { get; set; }

    /// <summary><c>group_name</c> (<c>to_group_name</c> for a transfer).</summary>
    public string? GroupName { get; set; }

    /// <summary><c>external_id</c>.</summary>
    public string? ExternalId { get; set; }

    /// <summary><c>status</c>.</summary>
    public TicketStatus? Status { get; set; }

    /// <summary><c>author_type</c> of a message.</summary>
    public AuthorType? AuthorType { get; set; }

    /// <summary><c>agent_id</c>, <c>author_id</c> or <c>to_agent_id</c>, by type.</summary>
    public string? AgentId { get; set; }

    /// <summary><c>agent_name</c> or <c>author_name</c>, by type.</summary>
    public string? AgentName { get; set; }

    /// <summary>True for <c>assignment.changed</c> with <c>agent_id: null</c>.</summary>
    public bool Unassign { get; set; }

    /// <summary><c>public: false</c> when true (an internal note).</summary>
    public bool Internal { get; set; }

    /// <summary><c>via</c> of assignment.changed.</summary>
    public AssignmentVia? Via { get; set; }

    /// <summary><c>from_agent_id</c> of a transfer.</summary>
    public string? FromAgentId { get; set; }

    /// <summary><c>outcome</c> of interaction.ended.</summary>
    public Outcome? Outcome { get; set; }

    /// <summary><c>disposition</c>.</summary>
    public string? Disposition { get; set; }

    /// <summary><c>notes</c>.</summary>
    public string? Notes { get; set; }

    /// <summary><c>recording_url</c>.</summary>
    public string? RecordingUrl { get; set; }

    /// <summary><c>transcript_url</c>.</summary>
    public string? TranscriptUrl { get; set; }

    /// <summary>The event id.</summary>
    public string Id => $"{InteractionId}-{Number}";

    /// <summary>Writes the event as one line of NDJSON (the object and <c>\n</c>).</summary>
    public void WriteLine(IBufferWriter<byte> output, ref Utf8JsonWriter? writer)
    {
        if (writer is null)
        {
            writer = new Utf8JsonWriter(output, WriterOptions);
        }
        else
        {
            writer.Reset(output);
        }

        Write(writer);
        writer.Flush();
        output.Write("\n"u8);
    }

    private void Write(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        Span<char> id = stackalloc char[InteractionId.Length + 12];
        InteractionId.CopyTo(id);
        id[InteractionId.Length] = '-';
        Number.TryFormat(id[(InteractionId.Length + 1)..], out var n, default, System.Globalization.CultureInfo.InvariantCulture);
        w.WriteString("id"u8, id[..(InteractionId.Length + 1 + n)]);
        w.WriteString("type"u8, Vocabulary.Name(Type));
        Span<char> at = stackalloc char[24];
        TimeText.WriteUtcMilliseconds(OccurredAtMs, at);
        w.WriteString("occurred_at"u8, at);
        w.WriteString("interaction_id"u8, InteractionId);
        if (Channel is { } c)
        {
            w.WriteString("channel"u8, Vocabulary.Name(c));
        }

        if (Direction is { } d)
        {
            w.WriteString("direction"u8, Vocabulary.Name(d));
        }

        if (Requester is { } r)
        {
            w.WriteStartObject("requester"u8);
            w.WriteString("id"u8, r.Id);
            w.WriteString("name"u8, r.Name);
            w.WriteString("contact"u8, r.Contact);
            w.WriteEndObject();
        }

        switch (Type)
        {
            case EventType.MessageCreated:
                w.WriteString("author_type"u8, AuthorType switch
                {
                    Events.AuthorType.Agent => "agent"u8,
                    Events.AuthorType.Bot => "bot"u8,
                    _ => "end_user"u8,
                });
                WriteIfSet(w, "author_id"u8, AgentId);
                WriteIfSet(w, "author_name"u8, AgentName);
                if (Internal)
                {
                    w.WriteBoolean("public"u8, false);
                }

                break;
            case EventType.TransferCreated:
                WriteIfSet(w, "from_agent_id"u8, FromAgentId);
                WriteIfSet(w, "to_agent_id"u8, AgentId);
                WriteIfSet(w, "agent_name"u8, AgentName);
                WriteIfSet(w, "to_group_id"u8, GroupId);
                WriteIfSet(w, "to_group_name"u8, GroupName);
                break;
            default:
                if (Unassign)
                {
                    w.WriteNull("agent_id"u8);
                }

                WriteIfSet(w, "agent_id"u8, AgentId);
                WriteIfSet(w, "agent_name"u8, AgentName);
                WriteIfSet(w, "group_id"u8, GroupId);
                WriteIfSet(w, "group_name"u8, GroupName);
                break;
        }

        if (Via is { } via)
        {
            w.WriteString("via"u8, via switch
            {
                AssignmentVia.Routing => "routing"u8,
                AssignmentVia.SoleAgent => "sole_agent"u8,
                _ => "manual"u8,
            });
        }

        if (Status is { } s)
        {
            w.WriteString("status"u8, Vocabulary.Name(s));
        }

        if (Outcome is { } o)
        {
            w.WriteString("outcome"u8, o switch
            {
                Events.Outcome.Missed => "missed"u8,
                Events.Outcome.Abandoned => "abandoned"u8,
                Events.Outcome.Voicemail => "voicemail"u8,
                _ => "completed"u8,
            });
        }

        WriteIfSet(w, "external_id"u8, ExternalId);
        WriteIfSet(w, "disposition"u8, Disposition);
        WriteIfSet(w, "notes"u8, Notes);
        WriteIfSet(w, "recording_url"u8, RecordingUrl);
        WriteIfSet(w, "transcript_url"u8, TranscriptUrl);
        w.WriteEndObject();
    }

    private static void WriteIfSet(Utf8JsonWriter w, ReadOnlySpan<byte> name, string? value)
    {
        if (value is not null)
        {
            w.WriteString(name, value);
        }
    }
}
