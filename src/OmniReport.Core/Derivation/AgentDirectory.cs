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

    /// <summary>Takes the event's sighting when it is newer than the one known.</summary>
    public void Observe(Event e)
    {
        // As Observe(SightingOf(e)), without allocating a sighting for every event that names an agent.
        if (e.AgentId is not { } id || e.AgentName is not { } name || (e.Type == EventType.MessageCreated && !e.IsPublic))
        {
            return;
        }

        if (!_names.TryGetValue(id, out var known) || NameSighting.IsNewer(e.OccurredAtMs, e.Sequence, known))
        {
            _names[id] = new NameSighting(id, name, e.OccurredAtMs, e.Sequence);
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
    /// <summary>True when this sighting comes after <paramref name="other"/> in processing order.</summary>
    public bool IsNewerThan(NameSighting other) => IsNewer(OccurredAtMs, Sequence, other);

    internal static bool IsNewer(long occurredAtMs, long sequence, NameSighting other) =>
        occurredAtMs != other.OccurredAtMs ? occurredAtMs > other.OccurredAtMs : sequence > other.Sequence;
}
