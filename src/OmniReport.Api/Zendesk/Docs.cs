using System.ComponentModel;

namespace OmniReport.Api.Zendesk;

// Shapes that describe, for the OpenAPI document, JSON written by hand-written writers that the SPEC's details need:
// engagements by the field writer shared with the report files (field order and id typing, SPEC §5.3; a test checks
// EngagementDoc against RecordFields), settings by Core's SettingsJson, events read by Core's EventParser.
#pragma warning disable CA1812 // never instantiated: they exist for the OpenAPI document

/// <summary>An engagement object (SPEC §5.3), fields in wire order.</summary>
[Description("An engagement: one human agent's leg of one interaction. Fields appear in this order.")]
internal sealed record EngagementDoc(
    [property: Description("32 upper-case hexadecimal digits.")] string EngagementId,
    [property: Description("The interaction id: a JSON integer when it is a canonical decimal integer up to 2^53−1, else a string.")] object TicketId,
    [property: Description("The agent id (integer or string, as ticket_id).")] object AgentId,
    [property: Description("The group at the start (integer, string or null).")] object? GroupId,
    [property: Description("The requester id (integer, string or null).")] object? RequesterId,
    long? OfferTimeSeconds,
    long? AssignmentToFirstReplyTimeSeconds,
    int AgentMessagesCount,
    int AgentRepliesCount,
    long TotalRequesterWaitTimeSeconds,
    long? LongestRequesterWaitTimeSeconds,
    [property: Description("MESSAGING, CHAT, EMAIL, VOICE, SMS, WHATSAPP or SOCIAL.")] string Channel,
    string EngagementStartReason,
    [property: Description("YYYY-MM-DDTHH:MM:SS, UTC, no offset.")] string EngagementStartTime,
    [property: Description("YYYY-MM-DDTHH:MM:SS, UTC, no offset.")] string EngagementEndTime,
    [property: Description("NEW, OPEN, PENDING, ON_HOLD, SOLVED, CLOSED or DELETED.")] string TicketStatusStart,
    [property: Description("NEW, OPEN, PENDING, ON_HOLD, SOLVED, CLOSED or DELETED.")] string TicketStatusEnd,
    string EngagementEndReason,
    long? AverageRequesterWaitTimeSeconds,
    int EndUserMessagesCount,
    long EngagementDurationSeconds);

/// <summary>One page of engagements.</summary>
internal sealed record EngagementPageDoc(
    IReadOnlyList<EngagementDoc> AgentEngagementData,
    [property: Description("Absolute URL of the next page (filters, page_size and the cursor of the last row); null on the last page.")] string? NextPageUrl,
    bool HasMore,
    [property: Description("The number of rows on this page.")] int PageSize);

/// <summary>The account settings (SPEC §2).</summary>
internal sealed record SettingsDoc(
    int InactivityTimeoutMinutes,
    bool MessagingActivityRouting,
    bool InactiveConversationsCountTowardCapacity,
    int OpenEngagementMaxDays,
    [property: Description("null (always open) or {timezone, weekly: [{day, start, end}], holidays: [YYYY-MM-DD]}.")] BusinessHoursDoc? BusinessHours);

/// <summary>Business hours.</summary>
internal sealed record BusinessHoursDoc(string Timezone, IReadOnlyList<BusinessIntervalDoc> Weekly, IReadOnlyList<string> Holidays);

/// <summary>One weekly interval.</summary>
internal sealed record BusinessIntervalDoc(
    [property: Description("mon … sun")] string Day,
    [property: Description("HH:MM")] string Start,
    [property: Description("HH:MM, 24:00 allowed")] string End);

/// <summary>An event (SPEC §1); other fields depend on the type.</summary>
[Description("An event: the envelope below plus the fields of its type (SPEC §1).")]
internal sealed record EventDoc(
    string Id,
    [property: Description("interaction.created, message.created, offer.created, offer.accepted, offer.declined, offer.expired, assignment.changed, transfer.created, status.changed, conversation.ended, interaction.ended, interaction.updated")] string Type,
    [property: Description("RFC 3339 with offset.")] string OccurredAt,
    string InteractionId);

/// <summary>The object form of an ingest body.</summary>
internal sealed record EventBatchDoc(IReadOnlyList<EventDoc> Events);

#pragma warning restore CA1812

/// <summary>An engagement open now (SPEC §9): the fields of an engagement so far, then agent_name and open_seconds.</summary>
[Description("An engagement open now: the engagement fields known so far (the end fields are null), the agent's name and how long it has been open.")]
internal sealed record OpenEngagementDoc(
    [property: Description("32 upper-case hexadecimal digits: the id it will be logged under.")] string EngagementId,
    [property: Description("The interaction id (integer when canonical, else string).")] object TicketId,
    [property: Description("The agent id (integer or string).")] object AgentId,
    [property: Description("The group at the start (integer, string or null).")] object? GroupId,
    [property: Description("The requester id (integer, string or null).")] object? RequesterId,
    long? OfferTimeSeconds,
    long? AssignmentToFirstReplyTimeSeconds,
    int AgentMessagesCount,
    int AgentRepliesCount,
    long TotalRequesterWaitTimeSeconds,
    long? LongestRequesterWaitTimeSeconds,
    [property: Description("MESSAGING, CHAT, EMAIL, VOICE, SMS, WHATSAPP or SOCIAL.")] string Channel,
    string EngagementStartReason,
    [property: Description("YYYY-MM-DDTHH:MM:SS, UTC, no offset.")] string EngagementStartTime,
    [property: Description("Always null: the engagement has not ended.")] string? EngagementEndTime,
    [property: Description("NEW, OPEN, PENDING, ON_HOLD, SOLVED, CLOSED or DELETED.")] string TicketStatusStart,
    [property: Description("Always null.")] string? TicketStatusEnd,
    [property: Description("Always null.")] string? EngagementEndReason,
    long? AverageRequesterWaitTimeSeconds,
    int EndUserMessagesCount,
    [property: Description("Always null.")] long? EngagementDurationSeconds,
    [property: Description("The agent's name (the latest event that names the agent), or \"\".")] string AgentName,
    [property: Description("Whole seconds from the start to now.")] long OpenSeconds);

/// <summary>The answer of GET /api/v2/engagements/open.</summary>
internal sealed record OpenEngagementsDoc(
    [property: Description("Oldest start first, at most limit of them.")] IReadOnlyList<OpenEngagementDoc> OpenEngagements,
    [property: Description("How many engagements are open (all of them, not only those listed).")] long Count);

/// <summary>An interaction waiting for a human agent (SPEC §9).</summary>
internal sealed record WaitingInteractionDoc(
    string InteractionId,
    [property: Description("MESSAGING, CHAT, EMAIL, VOICE, SMS, WHATSAPP or SOCIAL.")] string InteractionType,
    [property: Description("Last group name, else last group id, else \"\".")] string Groups,
    [property: System.Text.Json.Serialization.JsonPropertyName("start_date-time"), Description("YYYY-MM-DD HH:MM:SS, UTC.")] string StartDateTime,
    [property: Description("Whole seconds from start_date-time to now.")] long WaitingSeconds);

/// <summary>The answer of GET /api/v2/interactions/waiting.</summary>
internal sealed record WaitingInteractionsDoc(
    [property: Description("Longest wait first, at most limit of them.")] IReadOnlyList<WaitingInteractionDoc> WaitingInteractions,
    [property: Description("How many interactions are waiting (all of them).")] long Count);

#pragma warning disable CA1812 // never instantiated: they exist for the OpenAPI document

/// <summary>The body of an aggregates request (SPEC §7).</summary>
internal sealed record AggregateRequestDoc(
    [property: Description("from inclusive, to exclusive: RFC 3339, or YYYY-MM-DDTHH:MM:SS / YYYY-MM-DD HH:MM:SS read in timezone; at most 366 days.")] AggregateIntervalDoc Interval,
    [property: Description("IANA time zone; default UTC.")] string? Timezone,
    [property: Description("PT15M, PT30M, PT1H, P1D, P1W (Monday), P1M or total (default).")] string? Granularity,
    [property: Description("Up to 4 fields. Engagements: agent_id, group_id, channel, engagement_start_reason, engagement_end_reason, ticket_status_start, ticket_status_end. Interactions: interaction_type, interaction_status, interaction_direction, agent_type, agent_id, groups.")] IReadOnlyList<string>? GroupBy,
    [property: Description("For each group-by field a list of values (alternatives); fields combine with AND. Case-insensitive for channel, statuses and types.")] IReadOnlyDictionary<string, IReadOnlyList<string>>? Filter,
    [property: Description("Default: every metric. Engagements: engagements, engagement_duration_seconds, offer_time_seconds, assignment_to_first_reply_time_seconds, agent_messages_count, agent_replies_count, end_user_messages_count, total_requester_wait_time_seconds, longest_requester_wait_time_seconds, average_requester_wait_time_seconds, requester_wait_seconds. Interactions: interactions, waiting_time, duration, service_level_percent, abandon_percent.")] IReadOnlyList<string>? Metrics,
    [property: Description("For service_level_percent; default 20.")] int? ServiceLevelSeconds);

/// <summary>An interval.</summary>
internal sealed record AggregateIntervalDoc(string From, string To);

/// <summary>An aggregates answer (SPEC §7).</summary>
internal sealed record AggregateAnswerDoc(
    [property: Description("The interval read, RFC 3339 with the zone's offset.")] AggregateIntervalDoc Interval,
    string Timezone,
    string Granularity,
    IReadOnlyList<string> GroupBy,
    [property: Description("One per group with records in the interval (one with group {} when group_by is empty), ordered by the group's values as text.")] IReadOnlyList<AggregateGroupDoc> Results);

/// <summary>One group of an aggregates answer.</summary>
internal sealed record AggregateGroupDoc(
    [property: Description("The group_by fields and their values (ids as integers when canonical, enumerations upper case, null when absent).")] IReadOnlyDictionary<string, object?> Group,
    [property: Description("Every bucket of the interval in time order: start, end (RFC 3339 with the zone's offset), then each metric asked for: a count (integer), a statistic {count, sum, avg, min, max, p50, p90, p95} or a ratio (number or null).")] IReadOnlyList<IReadOnlyDictionary<string, object?>> Buckets);

#pragma warning restore CA1812
