namespace OmniReport.Storage;

/// <summary>An agent (or bot) an event named, and its account-wide name (SPEC §1: the latest event's).</summary>
/// <param name="AgentId">The agent id, as given.</param>
/// <param name="Name">The name, never empty.</param>
public sealed record AgentEntry(string AgentId, string Name);

/// <summary>
/// A group id, and the texts the <c>groups</c> field of interaction records (SPEC §4) gives it: the name, or the id
/// when the interaction's events gave it no name. These are what the <c>groups</c> filter of interaction aggregates
/// (SPEC §7) matches for this group.
/// </summary>
/// <param name="GroupId">The group id, as given.</param>
/// <param name="Names">
/// The <c>groups</c> texts of the interaction records whose current group is this one, the most frequent first (then
/// ordinal); empty when only engagements (their group at the start) name the group.
/// </param>
public sealed record GroupEntry(string GroupId, IReadOnlyList<string> Names);
