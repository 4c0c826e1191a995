namespace OmniReport.Core.Events;

/// <summary>
/// One validated event (SPEC §1). The fields a type does not use keep their defaults. Rare attributes
/// (requester, group, ticket attributes) live in <see cref="Details"/> so the common event stays small.
/// </summary>
public sealed class Event
{
    private string _id = "";
    private EventType _type;
    private long _occurredAtMs;
    private string _interactionId = "";
    private long _sequence;
    private string? _agentId;
    private string? _agentName;
    private AuthorType _authorType;
    private bool _isPublic = true;
    private Channel _channel;
    private Direction _direction;
    private TicketStatus _status;
    private Outcome _outcome;
    private AssignmentVia _via;
    private EventDetails? _details;

    /// <summary>The event's <c>id</c>, unique per account.</summary>
    public required string Id { get => _id; init => _id = value; }

    /// <summary>The event type.</summary>
    public required EventType Type { get => _type; init => _type = value; }

    /// <summary><c>occurred_at</c> as Unix milliseconds.</summary>
    public required long OccurredAtMs { get => _occurredAtMs; init => _occurredAtMs = value; }

    /// <summary>The interaction the event belongs to.</summary>
    public required string InteractionId { get => _interactionId; init => _interactionId = value; }

    /// <summary>Arrival order within the account; breaks ties between equal <see cref="OccurredAtMs"/>.</summary>
    public long Sequence { get => _sequence; init => _sequence = value; }

    /// <summary>
    /// The agent the event names: <c>agent_id</c> (offers, assignment, conversation.ended),
    /// <c>author_id</c> (message) or <c>to_agent_id</c> (transfer). Null for an unassignment.
    /// </summary>
    public string? AgentId { get => _agentId; init => _agentId = value; }

    /// <summary><c>agent_name</c> or <c>author_name</c>: the name of <see cref="AgentId"/>.</summary>
    public string? AgentName { get => _agentName; init => _agentName = value; }

    /// <summary>Author of a message.</summary>
    public AuthorType AuthorType { get => _authorType; init => _authorType = value; }

    /// <summary>False for an internal note, which counts for nothing.</summary>
    public bool IsPublic { get => _isPublic; init => _isPublic = value; }

    /// <summary>Channel of <c>interaction.created</c>.</summary>
    public Channel Channel { get => _channel; init => _channel = value; }

    /// <summary>Direction of <c>interaction.created</c>.</summary>
    public Direction Direction { get => _direction; init => _direction = value; }

    /// <summary>Status of <c>status.changed</c>, or initial status of <c>interaction.created</c>.</summary>
    public TicketStatus Status { get => _status; init => _status = value; }

    /// <summary>Outcome of <c>interaction.ended</c>.</summary>
    public Outcome Outcome { get => _outcome; init => _outcome = value; }

    /// <summary><c>via</c> of <c>assignment.changed</c>.</summary>
    public AssignmentVia Via { get => _via; init => _via = value; }

    /// <summary>Optional attributes; null when the event carries none.</summary>
    public EventDetails? Details { get => _details; init => _details = value; }

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

    /// <summary>
    /// Fills this instance with another event's fields: a fold's buffer of events (<c>AccountDerivation</c>) is
    /// refilled interaction after interaction instead of making a million short-lived events (docs/performance.md,
    /// issue 18). Only for instances that nobody else holds.
    /// </summary>
    internal void Reload(string id, EventType type, long occurredAtMs, string interactionId, long sequence, string? agentId, string? agentName,
        AuthorType authorType, bool isPublic, Channel channel, Direction direction, TicketStatus status, Outcome outcome, AssignmentVia via,
        EventDetails? details)
    {
        _id = id;
        _type = type;
        _occurredAtMs = occurredAtMs;
        _interactionId = interactionId;
        _sequence = sequence;
        _agentId = agentId;
        _agentName = agentName;
        _authorType = authorType;
        _isPublic = isPublic;
        _channel = channel;
        _direction = direction;
        _status = status;
        _outcome = outcome;
        _via = via;
        _details = details;
    }
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
