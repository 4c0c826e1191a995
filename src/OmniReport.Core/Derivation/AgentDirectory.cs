using System.Runtime.InteropServices;
using OmniReport.Core.Events;

namespace OmniReport.Core.Derivation;

/// <summary>
/// Agent and bot names across an account: a name is the one on the latest event, by (occurred_at, arrival),
/// that names the agent with an <c>agent_name</c> / <c>author_name</c> (SPEC §1).
/// </summary>
public sealed class AgentDirectory
{
    private readonly Dictionary<string, NameSighting> _names = new(StringComparer.Ordinal);

    /// <summary>Number of agents with a known name.</summary>
    public int Count => _names.Count;

    /// <summary>The name sighting an event carries, if any: internal notes count for nothing.</summary>
    public static NameSighting? SightingOf(Event e) =>
        e.AgentId is { } id && e.AgentName is { } name && (e.Type != EventType.MessageCreated || e.IsPublic)
            ? new NameSighting(id, name, e.OccurredAtMs, e.Sequence)
            : null;

    /// <summary>Takes the event's sighting, if it carries one, when it is newer than the one known.</summary>
    /// <remarks>
    /// The sighting is made only when it wins: most events name an agent whose newer or equal sighting is already
    /// known, and a one-shot derivation observes every event (a million sightings that would die at once).
    /// </remarks>
    public void Observe(Event e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e.AgentId is not { } id || e.AgentName is not { } name || (e.Type == EventType.MessageCreated && !e.IsPublic))
        {
            return;
        }

        ref var known = ref CollectionsMarshal.GetValueRefOrAddDefault(_names, id, out var exists);
        if (!exists || NameSighting.IsAfter(e.OccurredAtMs, e.Sequence, known!))
        {
            known = new NameSighting(id, name, e.OccurredAtMs, e.Sequence);
        }
    }

    /// <summary>Takes a sighting when it is newer than the one known.</summary>
    public void Observe(NameSighting s)
    {
        if (!_names.TryGetValue(s.AgentId, out var known) || s.IsNewerThan(known))
        {
            _names[s.AgentId] = s;
        }
    }

    /// <summary>The newest sighting of each agent.</summary>
    public IReadOnlyCollection<NameSighting> Sightings => _names.Values;

    /// <summary>The agent's name, or "" when none is known.</summary>
    public string NameOf(string agentId) =>
        agentId.Length > 0 && _names.TryGetValue(agentId, out var s) ? s.Name : "";
}

/// <summary>An event that names an agent.</summary>
/// <param name="AgentId">The agent.</param>
/// <param name="Name">The name it gives.</param>
/// <param name="OccurredAtMs">When.</param>
/// <param name="Sequence">Arrival order, for ties.</param>
public sealed record NameSighting(string AgentId, string Name, long OccurredAtMs, long Sequence)
{
    /// <summary>
    /// True when this sighting comes after <paramref name="other"/> in processing order: the one place of the rule
    /// "the newest name wins" (SPEC §1) in code; the stores' name upsert says the same in SQL.
    /// </summary>
    public bool IsNewerThan(NameSighting other) => IsAfter(OccurredAtMs, Sequence, other);

    /// <summary>True when a sighting at (<paramref name="occurredAtMs"/>, <paramref name="sequence"/>) comes after <paramref name="other"/>.</summary>
    internal static bool IsAfter(long occurredAtMs, long sequence, NameSighting other) =>
        occurredAtMs != other.OccurredAtMs ? occurredAtMs > other.OccurredAtMs : sequence > other.Sequence;
}
