using OmniReport.Core.Events;

namespace OmniReport.Core.Derivation;

/// <summary>
/// One row of the Customer Omnichannel Report (SPEC §4), before the agent's name is looked up: names are
/// account-wide (the latest event that names the agent), so they are joined in by the reader.
/// </summary>
public sealed record InteractionRecord
{
    /// <summary>The interaction id.</summary>
    public required string InteractionId { get; init; }

    /// <summary>Seconds from start to the first human assignee, or to the end; or null.</summary>
    public long? WaitingTime { get; init; }

    /// <summary>Start (interaction.created), Unix ms.</summary>
    public long StartMs { get; init; }

    /// <summary>End, Unix ms, or null.</summary>
    public long? EndMs { get; init; }

    /// <summary>End − start in seconds, or null.</summary>
    public long? Duration { get; init; }

    /// <summary>The channel.</summary>
    public Channel Channel { get; init; }

    /// <summary>FINISHED, MISSED, ABANDONED, VOICEMAIL, ASSIGNED or OFFERED.</summary>
    public required string Status { get; init; }

    /// <summary>The direction.</summary>
    public Direction Direction { get; init; }

    /// <summary>USER, VIRTUAL_AGENT or "".</summary>
    public required string AgentType { get; init; }

    /// <summary>The last human assignee, else the last bot, else "".</summary>
    public required string AgentId { get; init; }

    /// <summary>Last group name, else last group id, else "".</summary>
    public required string Groups { get; init; }

    /// <summary>Latest external_id or "".</summary>
    public required string ExternalId { get; init; }

    /// <summary>Requester name or "".</summary>
    public required string Name { get; init; }

    /// <summary>Requester contact or "".</summary>
    public required string Contact { get; init; }

    /// <summary>Requester id or "".</summary>
    public required string ContactId { get; init; }

    /// <summary>Latest disposition or "".</summary>
    public required string DispositionName { get; init; }

    /// <summary>Latest notes or "".</summary>
    public required string Notes { get; init; }

    /// <summary>Latest recording_url, else latest transcript_url, else "".</summary>
    public required string TranscriptionRecording { get; init; }

    /// <summary>The report order: start, then interaction id (ordinal).</summary>
    public static int Compare(InteractionRecord a, InteractionRecord b)
    {
        var c = a.StartMs.CompareTo(b.StartMs);
        return c != 0 ? c : string.CompareOrdinal(a.InteractionId, b.InteractionId);
    }
}
