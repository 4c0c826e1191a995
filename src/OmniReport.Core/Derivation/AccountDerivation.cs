using System.Runtime.InteropServices;
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
    private readonly Dictionary<string, List<Event>> _byInteraction;
    private readonly HashSet<string> _ids;
    private long _sequence;

    /// <summary>An empty derivation.</summary>
    public AccountDerivation()
        : this(0)
    {
    }

    /// <summary>
    /// An empty derivation sized for about <paramref name="expectedEvents"/> events, so that the duplicate check
    /// and the grouping are not rebuilt again and again as they grow (a hint: more events are fine).
    /// </summary>
    public AccountDerivation(int expectedEvents)
    {
        _ids = new HashSet<string>(Math.Max(0, expectedEvents), StringComparer.Ordinal);
        _byInteraction = new Dictionary<string, List<Event>>(Math.Max(0, expectedEvents / 8), StringComparer.Ordinal);
    }

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
        ref var list = ref CollectionsMarshal.GetValueRefOrAddDefault(_byInteraction, e.InteractionId, out _);
        (list ??= new List<Event>(8)).Add(e);
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
        foreach (var list in _byInteraction.Values)
        {
            // Sorted in place: a list's order means nothing (arrival is each event's Sequence), so no copy is needed
            // even when the derivation runs again.
            var events = CollectionsMarshal.AsSpan(list);
            if (Derive.FirstCreated(events) is null)
            {
                continue; // kept, but counts for nothing until its interaction.created arrives
            }

            var result = Derive.InteractionInPlace(events, settings, nowMs);
            foreach (var e in events)
            {
                names.Observe(e);
            }

            if (release)
            {
                list.Clear();
                list.TrimExcess();
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
}

/// <summary>Everything an account derives, in report order.</summary>
/// <param name="Engagements">Logged engagements, by start second then engagement id.</param>
/// <param name="Interactions">Interaction records, by start then interaction id.</param>
/// <param name="Names">Agent names.</param>
public sealed record DerivedAccount(IReadOnlyList<Engagement> Engagements, IReadOnlyList<InteractionRecord> Interactions, AgentDirectory Names);
