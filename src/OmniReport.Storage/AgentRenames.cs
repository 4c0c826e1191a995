using OmniReport.Core.Derivation;
using OmniReport.Storage.Codec;

namespace OmniReport.Storage;

/// <summary>
/// An agent's name is account-wide (SPEC §1) and joined into every interaction record of that agent when the record is
/// served. So when a batch gives an agent a new name, each stored record of that agent changes as served, though its
/// interaction was not touched: the change log gets an <c>interaction.updated</c> for each, so a stream or webhook
/// client that applies the log ends with the records the API serves (docs/decisions.md, "Live stream"). Found in the
/// write transaction, before the name is stored: a sighting that will win (newer than the stored one) with another name.
/// </summary>
internal static class AgentRenames
{
    /// <summary>SQLite, one sighting: ?1 account, ?2 agent id, ?3 name, ?4 occurred_at_ms, ?5 seq.</summary>
    public const string SqliteRecords = """
        SELECT i.interaction_id, i.record FROM interactions i
        LEFT JOIN agent_names n ON n.account_id = ?1 AND n.agent_id = ?2
        WHERE i.account_id = ?1 AND i.agent_id = ?2 AND i.record IS NOT NULL
          AND (n.agent_id IS NULL OR (?4, ?5) > (n.occurred_at_ms, n.seq)) AND coalesce(n.name, '') <> ?3
        """;

    /// <summary>PostgreSQL, every sighting at once: $1 account, then arrays of agent id, name, occurred_at_ms, seq.</summary>
    public const string PostgresRecords = """
        SELECT i.interaction_id, i.record
        FROM unnest($2::text[], $3::text[], $4::bigint[], $5::bigint[]) AS s (agent_id, name, at_ms, seq)
        JOIN interactions i ON i.account_id = $1 AND i.agent_id = s.agent_id AND i.record IS NOT NULL
        LEFT JOIN agent_names n ON n.account_id = $1 AND n.agent_id = s.agent_id
        WHERE (n.agent_id IS NULL OR (s.at_ms, s.seq) > (n.occurred_at_ms, n.seq)) AND coalesce(n.name, '') <> s.name
        """;

    /// <summary>
    /// Adds an <c>interaction.updated</c> for each found record to <paramref name="changes"/>, unless the batch already
    /// logs that interaction's record (then its entry is sent with the new name anyway).
    /// </summary>
    public static void Add(List<PendingChange> changes, IEnumerable<(string InteractionId, byte[] Record)> found)
    {
        HashSet<string>? logged = null;
        foreach (var (id, blob) in found)
        {
            logged ??= changes.Where(c => c.Kind is ChangeKind.InteractionUpdated or ChangeKind.InteractionRemoved)
                .Select(c => c.Key).ToHashSet(StringComparer.Ordinal);
            if (logged.Add(id))
            {
                changes.Add(new PendingChange(ChangeKind.InteractionUpdated, id, blob, null, RecordCodec.ReadRecord(blob)));
            }
        }
    }

    /// <summary>The sightings in a stable order (PostgreSQL takes row locks in it).</summary>
    public static NameSighting[] Sorted(AgentDirectory names) => names.Sightings.OrderBy(s => s.AgentId, StringComparer.Ordinal).ToArray();
}
