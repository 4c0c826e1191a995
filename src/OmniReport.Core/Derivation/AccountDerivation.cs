using OmniReport.Core.Events;
using OmniReport.Core.Settings;

namespace OmniReport.Core.Derivation;

/// <summary>
/// The whole derivation of an account held in memory: events in (any order, duplicates ignored by id),
/// every logged engagement and interaction record out. Used by <c>omnireport derive</c> and as the
/// reference the store is tested against.
/// </summary>
public sealed class AccountDerivation
{
    private readonly Dictionary<string, List<Event>> _byInteraction = new(StringComparer.Ordinal);
    private readonly HashSet<string> _ids = new(StringComparer.Ordinal);
    private long _sequence;

    /// <summary>Number of distinct events taken.</summary>
    public long Count => _ids.Count;

    /// <summary>Adds an event in arrival order; false (and ignored) when its id was seen before.</summary>
    public bool Add(Event e)
    {
        if (!_ids.Add(e.Id))
        {
            return false;
        }

        e.Sequence = _sequence++;
        if (!_byInteraction.TryGetValue(e.InteractionId, out var list))
        {
            list = new List<Event>(8);
            _byInteraction.Add(e.InteractionId, list);
        }

        list.Add(e);
        return true;
    }

    /// <summary>Derives every interaction at time <paramref name="nowMs"/>; the events stay, so it can run again.</summary>
    public DerivedAccount Run(AccountSettings settings, long nowMs) => Run(settings, nowMs, release: false);

    /// <summary>
    /// Derives every interaction at time <paramref name="nowMs"/>, letting go of each interaction's events (and of
    /// the duplicate check) as soon as they are folded, so a large input is never held twice over: its events and
    /// all the records they give. For one-shot callers (<c>omnireport derive</c>); afterwards this instance is empty.
    /// </summary>
    public DerivedAccount RunAndRelease(AccountSettings settings, long nowMs) => Run(settings, nowMs, release: true);

    private DerivedAccount Run(AccountSettings settings, long nowMs, bool release)
    {
        if (release)
        {
            _ids.Clear();
            _ids.TrimExcess();
        }

        var engagements = new List<Engagement>();
        var records = new List<InteractionRecord>();
        var names = new AgentDirectory();
        foreach (var events in _byInteraction.Values)
        {
            var array = events.ToArray();
            if (release)
            {
                events.Clear();
                events.TrimExcess();
            }

            var result = Derive.InteractionInPlace(array, settings, nowMs);
            if (!HasCreated(array))
            {
                continue; // kept, but counts for nothing until its interaction.created arrives
            }

            foreach (var e in array)
            {
                names.Observe(e);
            }

            engagements.AddRange(result.Engagements);
            if (result.Record is { } r)
            {
                records.Add(r);
            }
        }

        if (release)
        {
            _byInteraction.Clear();
            _byInteraction.TrimExcess();
        }

        engagements.Sort(Engagement.Compare);
        records.Sort(InteractionRecord.Compare);
        return new DerivedAccount(engagements, records, names);
    }

    private static bool HasCreated(Event[] events)
    {
        foreach (var e in events)
        {
            if (e.Type == EventType.InteractionCreated)
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>Everything an account derives, in report order.</summary>
/// <param name="Engagements">Logged engagements, by start second then engagement id.</param>
/// <param name="Interactions">Interaction records, by start then interaction id.</param>
/// <param name="Names">Agent names.</param>
public sealed record DerivedAccount(IReadOnlyList<Engagement> Engagements, IReadOnlyList<InteractionRecord> Interactions, AgentDirectory Names);
