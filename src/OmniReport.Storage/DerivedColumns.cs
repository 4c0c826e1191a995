using OmniReport.Core.Events;

namespace OmniReport.Storage;

/// <summary>
/// The typed columns of the derived data (projection format <see cref="ProjectionFormat.Current"/>), named once for
/// both dialects: the order here is the order the stores bind the values in.
/// </summary>
internal static class DerivedColumns
{
    /// <summary>An interaction row's derived columns: the record (SPEC §4), the open engagement (and its fields encoded), the digest, the current group id.</summary>
    public const string Interaction =
        "start_ms, waiting_time, end_ms, duration, interaction_type, interaction_status, interaction_direction, agent_type, " +
        "agent_id, groups, external_id, name, contact, contact_id, disposition_name, notes, transcription_recording, " +
        "open_engagement_id, open_agent_id, open_start_ms, open_group_id, open, engagements, group_id";

    /// <summary>How many columns <see cref="Interaction"/> names.</summary>
    public const int InteractionCount = 24;

    /// <summary>An engagement row's columns after account_id and start_second: every field of SPEC §5.3.</summary>
    public const string Engagement =
        "engagement_id, interaction_id, agent_id, group_id, requester_id, offer_time_seconds, " +
        "assignment_to_first_reply_time_seconds, agent_messages_count, agent_replies_count, total_requester_wait_time_seconds, " +
        "longest_requester_wait_time_seconds, channel, engagement_start_reason, start_ms, end_ms, ticket_status_start, " +
        "ticket_status_end, engagement_end_reason, average_requester_wait_time_seconds, end_user_messages_count, engagement_duration_seconds";

    /// <summary>How many columns <see cref="Engagement"/> names.</summary>
    public const int EngagementCount = 21;

    /// <summary>
    /// The conflict clause of the agent-name upsert: the newest sighting wins (SPEC §1), as
    /// <see cref="Core.Derivation.NameSighting.IsNewerThan"/> says it in code. Row values read alike in both dialects.
    /// </summary>
    public const string NameUpsert = """
        ON CONFLICT (account_id, agent_id) DO UPDATE SET name = excluded.name, occurred_at_ms = excluded.occurred_at_ms, seq = excluded.seq
        WHERE (excluded.occurred_at_ms, excluded.seq) > (agent_names.occurred_at_ms, agent_names.seq)
        """;

    /// <summary>The direction as the report writes it (<c>INBOUND</c>, <c>OUTBOUND</c>).</summary>
    public static string Upper(Direction d) => d == Direction.Outbound ? "OUTBOUND" : "INBOUND";
}

/// <summary>The version of the stored derived data; a binary that finds an older one rebuilds it (SPEC §6).</summary>
public static class ProjectionFormat
{
    /// <summary>
    /// 1: engagements and records as blobs with a few filter columns (before issue #10). 2: every field a typed column,
    /// the open engagement kept, fingerprints of the projector, the change log. 3: the interaction's current group id
    /// as a column (issue #12, the "now" view's group filter).
    /// </summary>
    public const int Current = 3;
}
