using OmniReport.Core.Derivation;

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
    /// <summary>SQLite: the stored name of ?1 account, ?2 agent id (name, occurred_at_ms, seq), if any.</summary>
    public const string SqliteStoredName = "SELECT name, occurred_at_ms, seq FROM agent_names WHERE account_id = ?1 AND agent_id = ?2";

    /// <summary>SQLite: the records of ?1 account, ?2 agent id (asked only for an agent the batch renames).</summary>
    public const string SqliteRecords = $"SELECT {DerivedRows.RecordColumns} FROM interactions WHERE account_id = ?1 AND agent_id = ?2 AND start_ms IS NOT NULL";

    /// <summary>
    /// PostgreSQL, every sighting at once: $1 account, then arrays of agent id, name, occurred_at_ms, seq. The renamed
    /// agents are found first (a key lookup each), so an agent whose name stays costs no scan of its records.
    /// </summary>
    public static readonly string PostgresRecords = $"""
        WITH renamed AS MATERIALIZED (
            SELECT s.agent_id
            FROM unnest($2::text[], $3::text[], $4::bigint[], $5::bigint[]) AS s (agent_id, name, at_ms, seq)
            LEFT JOIN agent_names n ON n.account_id = $1 AND n.agent_id = s.agent_id
            WHERE (n.agent_id IS NULL OR (s.at_ms, s.seq) > (n.occurred_at_ms, n.seq)) AND coalesce(n.name, '') <> s.name)
        SELECT {DerivedRows.Qualified("i", DerivedRows.RecordColumns)} FROM renamed r
        JOIN interactions i ON i.account_id = $1 AND i.agent_id = r.agent_id AND i.start_ms IS NOT NULL
        """;

    /// <summary>True when <paramref name="sighting"/> will replace the stored name (if any) with another text.</summary>
    public static bool Renames(NameSighting sighting, NameSighting? stored) =>
        stored is null ? sighting.Name.Length > 0 : sighting.IsNewerThan(stored) && sighting.Name != stored.Name;

    /// <summary>
    /// Adds an <c>interaction.updated</c> for each found record to <paramref name="changes"/>, unless the batch already
    /// logs that interaction's record (then its entry is sent with the new name anyway).
    /// </summary>
    public static void Add(List<PendingChange> changes, IEnumerable<InteractionRecord> found)
    {
        HashSet<string>? logged = null;
        foreach (var record in found)
        {
            logged ??= changes.Where(c => c.Kind is ChangeKind.InteractionUpdated or ChangeKind.InteractionRemoved)
                .Select(c => c.Key).ToHashSet(StringComparer.Ordinal);
            if (logged.Add(record.InteractionId))
            {
                changes.Add(new PendingChange(ChangeKind.InteractionUpdated, record.InteractionId, null, record));
            }
        }
    }

    /// <summary>The sightings in a stable order (PostgreSQL takes row locks in it).</summary>
    public static NameSighting[] Sorted(AgentDirectory names) => names.Sightings.OrderBy(s => s.AgentId, StringComparer.Ordinal).ToArray();
}
