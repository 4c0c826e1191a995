using System.ComponentModel;

namespace OmniReport.Api.Zendesk;

// The "now" answers are written by NowResults with the shared engagement field writer (SPEC §5.3 field order and id
// typing): these shapes describe them for the OpenAPI document.
#pragma warning disable CA1812 // never instantiated: they exist for the OpenAPI document

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

#pragma warning restore CA1812
