using OmniReport.Core.Derivation;
using OmniReport.Core.Events;
using OmniReport.Core.Settings;
using OmniReport.Storage.Codec;

namespace OmniReport.Storage;

/// <summary>An interaction's row as stored: its events and what it derived last time.</summary>
internal sealed class StoredInteraction
{
    public required string InteractionId { get; init; }

    /// <summary>The encoded events (<see cref="EventCodec"/>).</summary>
    public byte[] Events { get; init; } = [];

    public int EventCount { get; init; }

    public bool HasCreated { get; init; }

    /// <summary>The logged engagements' ids and fingerprints (<see cref="RecordCodec.WriteDigest"/>).</summary>
    public byte[]? Digest { get; init; }
}

/// <summary>What one interaction's row becomes.</summary>
internal sealed class InteractionUpdate
{
    public required string InteractionId { get; init; }

    public required byte[] Events { get; init; }

    public int EventCount { get; init; }

    public bool HasCreated { get; init; }

    /// <summary>The record's start; null when the interaction has no record (not created yet, or deleted).</summary>
    public long? StartMs { get; init; }

    /// <summary>The record's agent, for the name join.</summary>
    public string? AgentId { get; init; }

    public byte[]? Record { get; init; }

    /// <summary>When the open engagement ends by inactivity, for the sweep.</summary>
    public long? DeadlineMs { get; init; }

    public byte[]? Digest { get; init; }

    /// <summary>True when the row does not exist yet.</summary>
    public bool IsNew { get; init; }
}

/// <summary>The accepted events of a batch, as both stores hand them to <see cref="RecomputePlan"/>.</summary>
internal static class AcceptedEvents
{
    /// <summary>
    /// The accepted events by interaction, in batch order. Each is given its arrival sequence (SPEC §1): the
    /// k-th accepted event of the batch gets <paramref name="sequence"/>(k).
    /// </summary>
    public static Dictionary<string, List<Event>> ByInteraction(IReadOnlyList<Event> events, bool[] accepted, Func<int, long> sequence)
    {
        var byInteraction = new Dictionary<string, List<Event>>(StringComparer.Ordinal);
        var k = 0;
        for (var i = 0; i < events.Count; i++)
        {
            if (!accepted[i])
            {
                continue;
            }

            var e = events[i];
            e.Sequence = sequence(k++);
            if (!byInteraction.TryGetValue(e.InteractionId, out var list))
            {
                byInteraction.Add(e.InteractionId, list = new List<Event>(4));
            }

            list.Add(e);
        }

        return byInteraction;
    }
}

/// <summary>An engagement row to write.</summary>
internal sealed record EngagementRow(Engagement Engagement, byte[] Data);

/// <summary>
/// The writes that bring the derived records of a set of interactions up to date: rows of interactions,
/// engagements removed or (re)written, and agent-name sightings. Pure: the stores load, plan, then write.
/// Only what changed is written: an engagement whose content fingerprint is the same stays as it is.
/// </summary>
internal sealed class RecomputePlan(AccountSettings settings, long nowMs)
{
    private readonly BlobWriter _scratch = new(1024);
    private readonly List<Event> _events = new(64);

    public List<InteractionUpdate> Interactions { get; } = [];

    /// <summary>Engagement ids to delete: gone, or changed (then also in <see cref="Upserts"/>).</summary>
    public List<string> Deletes { get; } = [];

    public List<EngagementRow> Upserts { get; } = [];

    /// <summary>The newest name sighting per agent among the events that now count.</summary>
    public Dictionary<string, NameSighting> Names { get; } = new(StringComparer.Ordinal);

    /// <summary>Plans one interaction: its stored row (null when new) plus newly accepted events (may be empty).</summary>
    public void Add(string interactionId, StoredInteraction? stored, IReadOnlyList<Event> added)
    {
        _events.Clear();
        if (stored is not null && stored.Events.Length > 0)
        {
            EventCodec.ReadAll(stored.Events, interactionId, _events);
        }

        var oldCount = _events.Count;
        var hasCreated = stored?.HasCreated ?? false;
        var wasCreated = hasCreated;
        _scratch.Clear();
        if (stored is not null)
        {
            _scratch.Raw(stored.Events);
        }

        foreach (var e in added)
        {
            _events.Add(e);
            EventCodec.Write(_scratch, e);
            hasCreated |= e.Type == EventType.InteractionCreated;
        }

        var blob = added.Count == 0 && stored is not null ? stored.Events : _scratch.ToArray();
        if (hasCreated)
        {
            // Names count only from interactions that have their interaction.created: all its events
            // when it has just arrived, else the new ones.
            for (var i = wasCreated ? oldCount : 0; i < _events.Count; i++)
            {
                if (AgentDirectory.SightingOf(_events[i]) is { } s
                    && (!Names.TryGetValue(s.AgentId, out var known) || s.IsNewerThan(known)))
                {
                    Names[s.AgentId] = s;
                }
            }
        }

        InteractionResult? result = null;
        if (hasCreated)
        {
            var array = _events.ToArray();
            result = Derive.InteractionInPlace(array, settings, nowMs);
        }

        var old = stored?.Digest is { } d ? RecordCodec.ReadDigest(d) : null;
        var digest = new List<(string, ulong)>(result?.Engagements.Count ?? 0);
        if (result is not null)
        {
            foreach (var e in result.Engagements)
            {
                _scratch.Clear();
                RecordCodec.Write(_scratch, e);
                var fp = Fingerprint.Of(_scratch.Written);
                digest.Add((e.EngagementId, fp));
                if (old is not null && old.Remove(e.EngagementId, out var was))
                {
                    if (was == fp)
                    {
                        continue;
                    }

                    Deletes.Add(e.EngagementId);
                }

                Upserts.Add(new EngagementRow(e, _scratch.ToArray()));
            }
        }

        if (old is not null)
        {
            Deletes.AddRange(old.Keys);
        }

        byte[]? record = null;
        if (result?.Record is { } r)
        {
            _scratch.Clear();
            RecordCodec.Write(_scratch, r);
            record = _scratch.ToArray();
        }

        Interactions.Add(new InteractionUpdate
        {
            InteractionId = interactionId,
            Events = blob,
            EventCount = _events.Count,
            HasCreated = hasCreated,
            StartMs = result?.Record?.StartMs,
            AgentId = result?.Record?.AgentId,
            Record = record,
            DeadlineMs = result?.InactivityDeadlineMs,
            Digest = digest.Count == 0 ? null : RecordCodec.WriteDigest(digest),
            IsNew = stored is null,
        });
    }
}
