using OmniReport.Core.Events;

namespace OmniReport.Core.Derivation;

/// <summary>One human agent's leg of an interaction, with the metrics of SPEC §3.5. Times are Unix ms.</summary>
public sealed record Engagement
{
    /// <summary>32 upper-case hex digits (SPEC §3.6).</summary>
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

    /// <summary>Assignment to first reply, or null.</summary>
    public long? AssignmentToFirstReplyTimeSeconds { get; init; }

    /// <summary>Public messages of the agent during the engagement.</summary>
    public int AgentMessagesCount { get; init; }

    /// <summary>Replies (waits the agent ended).</summary>
    public int AgentRepliesCount { get; init; }

    /// <summary>Sum of the reply waits.</summary>
    public long TotalRequesterWaitTimeSeconds { get; init; }

    /// <summary>Longest reply wait, or null.</summary>
    public long? LongestRequesterWaitTimeSeconds { get; init; }

    /// <summary>The channel.</summary>
    public Channel Channel { get; init; }

    /// <summary>The start reason text.</summary>
    public required string StartReason { get; init; }

    /// <summary>Start, Unix ms.</summary>
    public long StartMs { get; init; }

    /// <summary>End, Unix ms.</summary>
    public long EndMs { get; init; }

    /// <summary>Status right after the starting event.</summary>
    public TicketStatus StatusStart { get; init; }

    /// <summary>Status right after the ending event.</summary>
    public TicketStatus StatusEnd { get; init; }

    /// <summary>The end reason text.</summary>
    public required string EndReason { get; init; }

    /// <summary>Average reply wait, rounded half away from zero, or null.</summary>
    public long? AverageRequesterWaitTimeSeconds { get; init; }

    /// <summary>End-user public messages during the engagement.</summary>
    public int EndUserMessagesCount { get; init; }

    /// <summary>End − start in whole seconds.</summary>
    public long EngagementDurationSeconds { get; init; }

    /// <summary>Start in whole Unix seconds (floor): the first key of the API order.</summary>
    public long StartSecond => Time.FloorDiv(StartMs, 1000);

    /// <summary>The API / report order: start second, then engagement id (ordinal).</summary>
    public static int Compare(Engagement a, Engagement b)
    {
        var c = a.StartSecond.CompareTo(b.StartSecond);
        return c != 0 ? c : string.CompareOrdinal(a.EngagementId, b.EngagementId);
    }
}

/// <summary>Start and end reasons, as the Zendesk dataset words them.</summary>
public static class Reasons
{
    /// <summary>Start: routing / offer accepted.</summary>
    public const string RoutingAssignmentAccepted = "Routing assignment accepted";
    /// <summary>Start: sole agent.</summary>
    public const string Assigned = "Assigned";
    /// <summary>Start: manual assignment.</summary>
    public const string ManualAssignment = "Manual assignment";
    /// <summary>Start (transfer to the agent) and end (transfer away).</summary>
    public const string Transferred = "Transferred";
    /// <summary>Start: reopened.</summary>
    public const string Reopened = "Reopened";
    /// <summary>End: inactivity.</summary>
    public const string InactivityTimeout = "Inactivity timeout";
    /// <summary>End: conversation.ended.</summary>
    public const string AgentClosedConversation = "Agent closed conversation";
    /// <summary>End: pending or on hold.</summary>
    public const string StatusPendingOnHold = "Ticket status updated - Pending/On Hold";
    /// <summary>End: solved or closed.</summary>
    public const string StatusSolved = "Ticket status updated - Solved";
    /// <summary>End: another agent made assignee.</summary>
    public const string ManualReassignment = "Manual reassignment";
    /// <summary>End: interaction.ended.</summary>
    public const string InteractionEnded = "Interaction ended";
    /// <summary>End: unassigned or deleted.</summary>
    public const string Removed = "Removed";

    /// <summary>Every start reason.</summary>
    public static readonly IReadOnlyList<string> AllStart = [RoutingAssignmentAccepted, Assigned, ManualAssignment, Transferred, Reopened];

    /// <summary>Every end reason.</summary>
    public static readonly IReadOnlyList<string> AllEnd =
        [InactivityTimeout, AgentClosedConversation, Transferred, StatusPendingOnHold, StatusSolved, ManualReassignment, InteractionEnded, Removed];
}
