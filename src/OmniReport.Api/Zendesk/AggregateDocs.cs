using System.ComponentModel;

namespace OmniReport.Api.Zendesk;

// The aggregates answer is keyed by the metrics a request asks for, so no fixed type is what the endpoint writes
// (Core's AggregateWriter streams it): these shapes describe it for the OpenAPI document.
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
