using OmniReport.Core.Derivation;
using OmniReport.Core.Events;

namespace OmniReport.Storage;

/// <summary>A read of the "now" view (SPEC §9): what is open or waiting at <see cref="NowMs"/>, from stored state.</summary>
public sealed record NowQuery
{
    /// <summary>The moment asked about, Unix ms (the service's clock).</summary>
    public required long NowMs { get; init; }

    /// <summary>Only this channel.</summary>
    public Channel? Channel { get; init; }

    /// <summary>Only this group id (engagements: the group at the start; interactions: the current group).</summary>
    public string? GroupId { get; init; }

    /// <summary>At most this many rows; the count is of them all.</summary>
    public int Limit { get; init; } = 100;
}

/// <summary>The first rows of a "now" read and how many there are in all.</summary>
/// <typeparam name="T">The row type.</typeparam>
/// <param name="Rows">At most the query's limit of rows, in the view's order.</param>
/// <param name="Count">Every row that matched.</param>
public sealed record NowPage<T>(IReadOnlyList<T> Rows, long Count);

/// <summary>An engagement open now, with its agent's account-wide name ("" when none is known).</summary>
/// <param name="Engagement">The engagement as known so far.</param>
/// <param name="AgentName">The agent's name.</param>
public sealed record OpenEngagementRow(OpenEngagement Engagement, string AgentName);

/// <summary>An interaction waiting for a human agent now.</summary>
/// <param name="InteractionId">The interaction id.</param>
/// <param name="Channel">Its channel.</param>
/// <param name="Groups">The record's <c>groups</c> (last group name, else id, else "").</param>
/// <param name="StartMs">Its start (<c>interaction.created</c>), Unix ms.</param>
public sealed record WaitingInteraction(string InteractionId, Channel Channel, string Groups, long StartMs);
