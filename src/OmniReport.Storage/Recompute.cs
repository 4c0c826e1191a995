using System.Runtime.InteropServices;
using OmniReport.Core.Aggregates;
using OmniReport.Core.Derivation;
using OmniReport.Core.Events;
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

    /// <summary>What it derived last time (<see cref="RecordCodec.WriteDigest(Projection)"/>).</summary>
    public byte[]? Digest { get; init; }
}

/// <summary>What one interaction's row becomes.</summary>
internal sealed class InteractionUpdate
{
    public required string InteractionId { get; init; }

    public required byte[] Events { get; init; }

    public int EventCount { get; init; }

    /// <summary>The projection: record, open engagement, deadline (the typed columns come from it).</summary>
    public required Projection Projection { get; init; }

    public bool HasCreated => Projection.HasCreated;

    /// <summary>The record's start; null when the interaction has no record (not created yet, or deleted).</summary>
    public long? StartMs => Projection.Record?.StartMs;

    /// <summary>The record's agent, for the name join.</summary>
    public string? AgentId => Projection.Record?.AgentId;

    /// <summary>The open engagement, encoded for the "now" reads.</summary>
    public byte[]? Open { get; init; }

    /// <summary>When the open engagement ends by inactivity, for the sweep.</summary>
    public long? DeadlineMs => Projection.InactivityDeadlineMs;

    public byte[]? Digest { get; init; }

    /// <summary>True when the row does not exist yet.</summary>
    public bool IsNew { get; init; }
}

/// <summary>The accepted events of a batch, as both stores hand them to <see cref="RecomputePlan"/>.</summary>
internal static class AcceptedEvents
{
    /// <summary>
    /// The accepted events by interaction, in batch order, each a copy carrying its arrival sequence (SPEC §1): the
    /// k-th accepted event of the batch gets <paramref name="sequence"/>(k). The caller's events are left as they are.
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

            var e = events[i].WithSequence(sequence(k++));
            if (!byInteraction.TryGetValue(e.InteractionId, out var list))
            {
                byInteraction.Add(e.InteractionId, list = new List<Event>(4));
            }

            list.Add(e);
        }

        return byInteraction;
    }
}

/// <summary>
/// A change to append to the account's change log; the store gives it its sequence when it writes it. The log keeps the
/// kind and key only (<see cref="ChangeRows"/>); the object rides along for the caller of the ingest or sweep.
/// </summary>
internal sealed record PendingChange(ChangeKind Kind, string Key, Engagement? Engagement, InteractionRecord? Record);

/// <summary>
/// The writes that bring the derived records of a set of interactions up to date, from the <see cref="Projector"/>'s
/// projections: rows of interactions, engagements removed or (re)written, agent-name sightings and change-log entries.
/// Pure: the stores load, plan, then write. Only what changed is written: an engagement whose fingerprint is the same
/// stays as it is. A rebuild (<paramref name="allNames"/>) takes the agent names of every event again, not only of
/// the new ones.
/// </summary>
internal sealed class RecomputePlan(Projector projector, bool allNames = false, RollupScope? rollups = null)
{
    private readonly RollupScope _scope = rollups ?? RollupScope.All;

    private readonly BlobWriter _scratch = new(1024);
    private readonly List<Event> _events = new(64);

    public List<InteractionUpdate> Interactions { get; } = [];

    /// <summary>Engagement ids to delete: gone, or changed (then also in <see cref="Upserts"/>).</summary>
    public List<string> Deletes { get; } = [];

    public List<Engagement> Upserts { get; } = [];

    /// <summary>The newest name sighting per agent among the events that now count.</summary>
    public AgentDirectory Names { get; } = new();

    /// <summary>The differences, in order, for the change log.</summary>
    public List<PendingChange> Changes { get; } = [];

    /// <summary>
    /// What the plan changes in the rollups (issue #11), as records added and taken away; the store turns them into
    /// cells (<see cref="RollupDeltas"/>) and writes those in the same transaction.
    /// </summary>
    public List<RollupChange> Rollups { get; } = [];

    /// <summary>Where each interaction's entries end in <see cref="Deletes"/>, <see cref="Upserts"/>, <see cref="Changes"/> and <see cref="Rollups"/> (for <see cref="Adopt"/>).</summary>
    private readonly List<(int Deletes, int Upserts, int Changes, int Rollups)> _ends = [];

    /// <summary>
    /// Takes the <paramref name="index"/>-th interaction of a plan made by another (for SQLite, made ahead of the writer)
    /// as it was planned there, in the order it comes: the same entries, as if <see cref="Add"/> had planned it here.
    /// </summary>
    public void Adopt(RecomputePlan from, int index)
    {
        var start = index == 0 ? default : from._ends[index - 1];
        var end = from._ends[index];
        Deletes.AddRange(CollectionsMarshal.AsSpan(from.Deletes)[start.Deletes..end.Deletes]);
        Upserts.AddRange(CollectionsMarshal.AsSpan(from.Upserts)[start.Upserts..end.Upserts]);
        Changes.AddRange(CollectionsMarshal.AsSpan(from.Changes)[start.Changes..end.Changes]);
        Rollups.AddRange(CollectionsMarshal.AsSpan(from.Rollups)[start.Rollups..end.Rollups]);
        var u = from.Interactions[index];
        foreach (var s in u.Projection.Names)
        {
            Names.Observe(s);
        }

        Interactions.Add(u);
        _ends.Add((Deletes.Count, Upserts.Count, Changes.Count, Rollups.Count));
    }

    /// <summary>Plans one interaction: its stored row (null when new) plus newly accepted events (may be empty).</summary>
    public void Add(string interactionId, StoredInteraction? stored, IReadOnlyList<Event> added)
    {
        _events.Clear();
        if (stored is not null && stored.Events.Length > 0)
        {
            EventCodec.ReadAll(stored.Events, interactionId, _events);
        }

        var storedCount = _events.Count;
        _scratch.Clear();
        if (stored is not null)
        {
            _scratch.Raw(stored.Events);
        }

        foreach (var e in added)
        {
            _events.Add(e);
            EventCodec.Write(_scratch, e);
        }

        var blob = added.Count == 0 && stored is not null ? stored.Events : _scratch.ToArray();
        var previous = stored?.Digest is { } d ? RecordCodec.ReadDigest(d) : null;
        var p = projector.Project(CollectionsMarshal.AsSpan(_events), allNames ? 0 : storedCount, previous);
        foreach (var s in p.Names)
        {
            Names.Observe(s);
        }

        foreach (var e in p.Logged)
        {
            if (previous?.Find(e.EngagementId) is not null)
            {
                Deletes.Add(e.EngagementId);
            }

            Upserts.Add(e);
            Changes.Add(new PendingChange(ChangeKind.EngagementLogged, e.EngagementId, e, null));
        }

        foreach (var id in p.Unlogged)
        {
            Deletes.Add(id);
            Changes.Add(new PendingChange(ChangeKind.EngagementUnlogged, id, null, null));
        }

        if (p.RecordChanged)
        {
            Changes.Add(p.Record is null
                ? new PendingChange(ChangeKind.InteractionRemoved, interactionId, null, null)
                : new PendingChange(ChangeKind.InteractionUpdated, interactionId, null, p.Record));
        }

        byte[]? open = null;
        if (p.Open is { } o)
        {
            _scratch.Clear();
            RecordCodec.Write(_scratch, o);
            open = _scratch.ToArray();
        }

        if (_scope.Includes(interactionId))
        {
            AddRollups(stored?.Digest, previous, p);
        }

        Interactions.Add(new InteractionUpdate
        {
            InteractionId = interactionId,
            Events = blob,
            EventCount = _events.Count,
            Projection = p,
            Open = open,
            Digest = p.Record is null && p.Engagements.Count == 0 ? null : RecordCodec.WriteDigest(p),
            IsNew = stored is null,
        });
        _ends.Add((Deletes.Count, Upserts.Count, Changes.Count, Rollups.Count));
    }

    /// <summary>
    /// The interaction's change to the rollups: each engagement no longer logged or changed taken away as the stored
    /// digest remembers it, each one logged now added, and the record likewise.
    /// </summary>
    private void AddRollups(byte[]? storedDigest, ProjectionDigest? previous, Projection p)
    {
        var changedBefore = p.Unlogged.Count > 0 || (p.RecordChanged && previous?.Record is not null)
            || (previous is not null && p.Logged.Any(e => previous.Find(e.EngagementId) is not null));
        (Dictionary<string, Fact> Engagements, Fact? Record)? old = null;
        if (changedBefore)
        {
            old = RecordCodec.ReadDigestFacts(storedDigest)
                ?? throw new InvalidOperationException("an interaction's stored digest has no facts: its account needs a rebuild (omnireport rebuild)");
        }

        foreach (var id in p.Unlogged)
        {
            Rollups.Add(new(AggregateKind.Engagements, old!.Value.Engagements[id], -1));
        }

        foreach (var e in p.Logged)
        {
            if (old is { } o && o.Engagements.TryGetValue(e.EngagementId, out var before))
            {
                Rollups.Add(new(AggregateKind.Engagements, before, -1));
            }

            Rollups.Add(new(AggregateKind.Engagements, AggregateKind.Of(e), 1));
        }

        if (p.RecordChanged)
        {
            if (old?.Record is { } before)
            {
                Rollups.Add(new(AggregateKind.Interactions, before, -1));
            }

            if (p.Record is { } now)
            {
                Rollups.Add(new(AggregateKind.Interactions, AggregateKind.Of(now), 1));
            }
        }
    }
}
