using OmniReport.Core.Derivation;
using OmniReport.Core.Events;

namespace OmniReport.Core.Aggregates;

/// <summary>
/// What one aggregates endpoint (SPEC §7) aggregates: its group-by fields, its numeric fields (the statistics) and its
/// metrics, in the order the SPEC lists them. A record is reduced to a <see cref="Fact"/>: every group-by field as the
/// canonical text the API writes (ids as given, enumerations upper case; null when absent) and every numeric field.
/// </summary>
public sealed class AggregateKind
{
    private AggregateKind(string name, string countMetric, Dimension[] dimensions, string[] numeric, string[] ratios)
    {
        Name = name;
        CountMetric = countMetric;
        Dimensions = dimensions;
        Numeric = numeric;
        Ratios = ratios;
        Metrics = [countMetric, .. numeric, .. ratios];
    }

    /// <summary>Logged engagements (SPEC §3.4, §3.5).</summary>
    public static AggregateKind Engagements { get; } = new(
        "engagements",
        "engagements",
        [
            new("agent_id", DimensionStyle.Id, null),
            new("group_id", DimensionStyle.Id, null),
            new("channel", DimensionStyle.CaseInsensitive, [.. Vocabulary.Channels.Select(c => c.ToUpperInvariant())]),
            new("engagement_start_reason", DimensionStyle.Text, [.. Reasons.AllStart]),
            new("engagement_end_reason", DimensionStyle.Text, [.. Reasons.AllEnd]),
            new("ticket_status_start", DimensionStyle.CaseInsensitive, Statuses),
            new("ticket_status_end", DimensionStyle.CaseInsensitive, Statuses),
        ],
        [
            "engagement_duration_seconds", "offer_time_seconds", "assignment_to_first_reply_time_seconds",
            "agent_messages_count", "agent_replies_count", "end_user_messages_count", "total_requester_wait_time_seconds",
            "longest_requester_wait_time_seconds", "average_requester_wait_time_seconds",
        ],
        ["requester_wait_seconds"]);

    /// <summary>Interaction records (SPEC §4).</summary>
    public static AggregateKind Interactions { get; } = new(
        "interactions",
        "interactions",
        [
            new("interaction_type", DimensionStyle.CaseInsensitive, [.. Vocabulary.Channels.Select(c => c.ToUpperInvariant())]),
            new("interaction_status", DimensionStyle.CaseInsensitive, ["FINISHED", "MISSED", "ABANDONED", "VOICEMAIL", "ASSIGNED", "OFFERED"]),
            new("interaction_direction", DimensionStyle.CaseInsensitive, ["INBOUND", "OUTBOUND"]),
            new("agent_type", DimensionStyle.CaseInsensitive, ["USER", "VIRTUAL_AGENT", ""]),
            new("agent_id", DimensionStyle.Text, null),
            new("groups", DimensionStyle.Text, null),
        ],
        ["waiting_time", "duration"],
        ["service_level_percent", "abandon_percent"]);

    private static string[] Statuses => ["NEW", "OPEN", "PENDING", "ON_HOLD", "SOLVED", "CLOSED", "DELETED"];

    /// <summary>engagements or interactions.</summary>
    public string Name { get; }

    /// <summary>The count metric (<c>engagements</c>, <c>interactions</c>).</summary>
    public string CountMetric { get; }

    /// <summary>The group-by and filter fields, in SPEC order; a fact's dimensions are in this order.</summary>
    public IReadOnlyList<Dimension> Dimensions { get; }

    /// <summary>The numeric fields (statistics), in SPEC order; a fact's values are in this order.</summary>
    public IReadOnlyList<string> Numeric { get; }

    /// <summary>The ratio metrics.</summary>
    public IReadOnlyList<string> Ratios { get; }

    /// <summary>Every metric, in SPEC order (the default of <c>metrics</c>).</summary>
    public IReadOnlyList<string> Metrics { get; }

    /// <summary>The position of a dimension, or −1.</summary>
    public int DimensionIndex(string name)
    {
        for (var i = 0; i < Dimensions.Count; i++)
        {
            if (Dimensions[i].Name == name)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The position of a numeric field, or −1.</summary>
    public int NumericIndex(string name)
    {
        for (var i = 0; i < Numeric.Count; i++)
        {
            if (Numeric[i] == name)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>An engagement as a fact.</summary>
    public static Fact Of(Engagement e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new Fact(
            e.StartMs,
            [e.AgentId, e.GroupId, Vocabulary.Upper(e.Channel), e.StartReason, e.EndReason, Vocabulary.Upper(e.StatusStart), Vocabulary.Upper(e.StatusEnd)],
            [
                e.EngagementDurationSeconds, e.OfferTimeSeconds, e.AssignmentToFirstReplyTimeSeconds, e.AgentMessagesCount,
                e.AgentRepliesCount, e.EndUserMessagesCount, e.TotalRequesterWaitTimeSeconds, e.LongestRequesterWaitTimeSeconds,
                e.AverageRequesterWaitTimeSeconds,
            ]);
    }

    /// <summary>An interaction record as a fact.</summary>
    public static Fact Of(InteractionRecord r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return new Fact(
            r.StartMs,
            [Vocabulary.Upper(r.Channel), r.Status, r.Direction == Direction.Outbound ? "OUTBOUND" : "INBOUND", r.AgentType, r.AgentId, r.Groups],
            [r.WaitingTime, r.Duration]);
    }
}

/// <summary>How a group-by field is matched and written.</summary>
public enum DimensionStyle
{
    /// <summary>An id: matched exactly; written as a JSON integer when canonical (SPEC §5.3), else a string, null when absent.</summary>
    Id,

    /// <summary>Text matched exactly, written as a string.</summary>
    Text,

    /// <summary>An upper-case enumeration matched without regard to case (channel, statuses, types).</summary>
    CaseInsensitive,
}

/// <summary>A group-by and filter field.</summary>
/// <param name="Name">The field name.</param>
/// <param name="Style">How it is matched and written.</param>
/// <param name="Values">The values it can take (canonical text), or null when any text can occur.</param>
public sealed record Dimension(string Name, DimensionStyle Style, IReadOnlyList<string>? Values);

/// <summary>One record reduced to what aggregates read.</summary>
/// <param name="StartMs">The record's start (the bucket is the one that holds it).</param>
/// <param name="Dimensions">Every group-by field of the kind, in its order, as canonical text (null: absent).</param>
/// <param name="Values">Every numeric field of the kind, in its order (null: no value).</param>
public sealed record Fact(long StartMs, string?[] Dimensions, long?[] Values);
