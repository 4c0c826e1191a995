namespace OmniReport.Core.Events;

/// <summary>
/// One validated event (SPEC §1). The fields a type does not use keep their defaults. Rare attributes
/// (requester, group, ticket attributes) live in <see cref="Details"/> so the common event stays small.
/// </summary>
public sealed class Event
{
    /// <summary>The event's <c>id</c>, unique per account.</summary>
    public required string Id { get; init; }

    /// <summary>The event type.</summary>
    public required EventType Type { get; init; }

    /// <summary><c>occurred_at</c> as Unix milliseconds.</summary>
    public required long OccurredAtMs { get; init; }

    /// <summary>The interaction the event belongs to.</summary>
    public required string InteractionId { get; init; }

    /// <summary>Arrival order within the account; breaks ties between equal <see cref="OccurredAtMs"/>.</summary>
    public long Sequence { get; init; }

    /// <summary>
    /// The agent the event names: <c>agent_id</c> (offers, assignment, conversation.ended),
    /// <c>author_id</c> (message) or <c>to_agent_id</c> (transfer). Null for an unassignment.
    /// </summary>
    public string? AgentId { get; init; }

    /// <summary><c>agent_name</c> or <c>author_name</c>: the name of <see cref="AgentId"/>.</summary>
    public string? AgentName { get; init; }

    /// <summary>Author of a message.</summary>
    public AuthorType AuthorType { get; init; }

    /// <summary>False for an internal note, which counts for nothing.</summary>
    public bool IsPublic { get; init; } = true;

    /// <summary>Channel of <c>interaction.created</c>.</summary>
    public Channel Channel { get; init; }

    /// <summary>Direction of <c>interaction.created</c>.</summary>
    public Direction Direction { get; init; }

    /// <summary>Status of <c>status.changed</c>, or initial status of <c>interaction.created</c>.</summary>
    public TicketStatus Status { get; init; }

    /// <summary>Outcome of <c>interaction.ended</c>.</summary>
    public Outcome Outcome { get; init; }

    /// <summary><c>via</c> of <c>assignment.changed</c>.</summary>
    public AssignmentVia Via { get; init; }

    /// <summary>Optional attributes; null when the event carries none.</summary>
    public EventDetails? Details { get; init; }

    /// <summary>
    /// A copy of this event with its arrival order (SPEC §1) set: a store or a derivation gives each accepted event
    /// its sequence on its own copy, so the caller's events are never changed under it.
    /// </summary>
    public Event WithSequence(long sequence) => new()
    {
        Id = Id,
        Type = Type,
        OccurredAtMs = OccurredAtMs,
        InteractionId = InteractionId,
        Sequence = sequence,
        AgentId = AgentId,
        AgentName = AgentName,
        AuthorType = AuthorType,
        IsPublic = IsPublic,
        Channel = Channel,
        Direction = Direction,
        Status = Status,
        Outcome = Outcome,
        Via = Via,
        Details = Details,
    };
}

/// <summary>
/// Optional attributes of an event. For every field, null means "not given".
/// </summary>
public sealed class EventDetails
{
    /// <summary><c>group_id</c> (or <c>to_group_id</c>).</summary>
    public string? GroupId { get; init; }

    /// <summary><c>group_name</c> (or <c>to_group_name</c>).</summary>
    public string? GroupName { get; init; }

    /// <summary><c>requester.id</c>.</summary>
    public string? RequesterId { get; init; }

    /// <summary><c>requester.name</c>.</summary>
    public string? RequesterName { get; init; }

    /// <summary><c>requester.contact</c>.</summary>
    public string? RequesterContact { get; init; }

    /// <summary><c>external_id</c>.</summary>
    public string? ExternalId { get; init; }

    /// <summary><c>disposition</c>.</summary>
    public string? Disposition { get; init; }

    /// <summary><c>notes</c>.</summary>
    public string? Notes { get; init; }

    /// <summary><c>recording_url</c>.</summary>
    public string? RecordingUrl { get; init; }

    /// <summary><c>transcript_url</c>.</summary>
    public string? TranscriptUrl { get; init; }

    /// <summary><c>from_agent_id</c> of a transfer (informational).</summary>
    public string? FromAgentId { get; init; }
}

/// <summary>Why one event of a batch was rejected: the event's position and id, and the field.</summary>
/// <param name="Index">Zero-based position in the batch (NDJSON: line number).</param>
/// <param name="Id">The event's id when it had a readable one.</param>
/// <param name="Field">The offending field (dotted for nested ones), or null for the event as a whole.</param>
/// <param name="Description">What is wrong, in words.</param>
public sealed record EventError(long Index, string? Id, string? Field, string Description)
{
    /// <inheritdoc />
    public override string ToString()
    {
        var id = Id is null ? "" : $" (id \"{Id}\")";
        var field = Field is null ? "" : $", field \"{Field}\"";
        return $"event {Index}{id}{field}: {Description}";
    }

    /// <summary>The error as a command names it: by the line it starts on, counted from 1 as an editor counts.</summary>
    public string AtLine(long line)
    {
        var id = Id is null ? "" : $" (id \"{Id}\")";
        var field = Field is null ? "" : $", field \"{Field}\"";
        return $"line {line}{id}{field}: {Description}";
    }
}
