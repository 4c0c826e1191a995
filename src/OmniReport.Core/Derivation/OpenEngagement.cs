using OmniReport.Core.Events;

namespace OmniReport.Core.Derivation;

/// <summary>
/// The engagement an interaction has open at <c>now</c> (SPEC §9 "Now"): the fields of SPEC §5.3 as known so far.
/// It has no end yet, so no end time, end reason, end status or duration.
/// </summary>
public sealed record OpenEngagement
{
    /// <summary>32 upper-case hex digits (SPEC §3.6); the id it will be logged under.</summary>
    public required string EngagementId { get; init; }

    /// <summary>The interaction (Zendesk: ticket) id.</summary>
    public required string TicketId { get; init; }

    /// <summary>The agent.</summary>
    public required string AgentId { get; init; }

    /// <summary>The interaction's group at the start.</summary>
    public string? GroupId { get; init; }

    /// <summary>The requester's id.</summary>
    public string? RequesterId { get; init; }

    /// <summary>Offer time, or null.</summary>
    public long? OfferTimeSeconds { get; init; }

    /// <summary>Assignment to first reply so far, or null.</summary>
    public long? AssignmentToFirstReplyTimeSeconds { get; init; }

    /// <summary>Public messages of the agent so far.</summary>
    public int AgentMessagesCount { get; init; }

    /// <summary>Replies so far.</summary>
    public int AgentRepliesCount { get; init; }

    /// <summary>Sum of the reply waits so far.</summary>
    public long TotalRequesterWaitTimeSeconds { get; init; }

    /// <summary>Longest reply wait so far, or null.</summary>
    public long? LongestRequesterWaitTimeSeconds { get; init; }

    /// <summary>The channel.</summary>
    public Channel Channel { get; init; }

    /// <summary>The start reason text.</summary>
    public required string StartReason { get; init; }

    /// <summary>Start, Unix ms.</summary>
    public long StartMs { get; init; }

    /// <summary>Status right after the starting event.</summary>
    public TicketStatus StatusStart { get; init; }

    /// <summary>Average reply wait so far, or null.</summary>
    public long? AverageRequesterWaitTimeSeconds { get; init; }

    /// <summary>End-user public messages so far.</summary>
    public int EndUserMessagesCount { get; init; }
}
