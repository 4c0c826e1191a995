using OmniReport.Core.Events;
using OmniReport.Core.Settings;

namespace OmniReport.Core.Derivation;

/// <summary>Derives one interaction from its events, whatever order they arrived in.</summary>
public static class Derive
{
    /// <summary>
    /// Orders the events (the first <c>interaction.created</c> by (occurred_at, arrival) first, then the rest by
    /// (occurred_at, arrival)) and folds them. Duplicates must already be removed. Without an
    /// <c>interaction.created</c> the events are kept but derive nothing yet.
    /// </summary>
    public static InteractionResult Interaction(IReadOnlyList<Event> events, AccountSettings settings, long nowMs)
    {
        var ordered = new Event[events.Count];
        for (var i = 0; i < ordered.Length; i++)
        {
            ordered[i] = events[i];
        }

        return InteractionInPlace(ordered, settings, nowMs);
    }

    /// <summary>As <see cref="Interaction"/>, sorting the given array in place (no copy).</summary>
    public static InteractionResult InteractionInPlace(Event[] events, AccountSettings settings, long nowMs) =>
        InteractionInPlace(events.AsSpan(), settings, nowMs);

    /// <summary>As <see cref="Interaction"/>, sorting the given events in place (no copy).</summary>
    public static InteractionResult InteractionInPlace(Span<Event> events, AccountSettings settings, long nowMs) =>
        FirstCreated(events) is { } created
            ? InteractionInPlace(events, created, settings, nowMs)
            : new InteractionFold(settings).Result();

    /// <summary>
    /// As <see cref="InteractionInPlace(Span{Event}, AccountSettings, long)"/> when the caller already knows the
    /// interaction's first <c>interaction.created</c> (<see cref="FirstCreated"/>) among <paramref name="events"/>.
    /// </summary>
    public static InteractionResult InteractionInPlace(Span<Event> events, Event created, AccountSettings settings, long nowMs)
    {
        var fold = new InteractionFold(settings);
        FoldInPlace(events, created, fold, nowMs);
        return fold.Result();
    }

    /// <summary>
    /// The fold of <see cref="InteractionInPlace(Span{Event}, Event, AccountSettings, long)"/> into a fold the caller
    /// gives, new or restarted (<see cref="InteractionFold.Restart"/>), which it then reads.
    /// </summary>
    internal static void FoldInPlace(Span<Event> events, Event created, InteractionFold fold, long nowMs)
    {
        if (!InOrder(events))
        {
            events.Sort(ByTimeThenArrivalOrder);
        }

        fold.Create(created);
        foreach (var e in events)
        {
            if (!ReferenceEquals(e, created))
            {
                fold.Apply(e);
            }
        }

        fold.Finish(nowMs);
    }

    // Sorting a span with an IComparer makes a delegate of its Compare on every call (one per interaction folded: a
    // million-event derive made 100,000 of them); this one is made once.
    private static readonly Comparison<Event> ByTimeThenArrivalOrder = ByTimeThenArrival.Instance.Compare;

    /// <summary>
    /// True when the events are in strictly increasing processing order already, as an interaction's events mostly
    /// arrive: a sort would leave them as they are, so none is needed. Two events that compare equal (events made by
    /// hand without arrival numbers) are sorted as before, since the sort need not keep their order.
    /// </summary>
    private static bool InOrder(ReadOnlySpan<Event> events)
    {
        for (var i = 1; i < events.Length; i++)
        {
            if (ByTimeThenArrival.Instance.Compare(events[i - 1], events[i]) >= 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The first <c>interaction.created</c> by (occurred_at, arrival), or null.</summary>
    public static Event? FirstCreated(ReadOnlySpan<Event> events)
    {
        Event? first = null;
        foreach (var e in events)
        {
            if (e.Type == EventType.InteractionCreated && (first is null || ByTimeThenArrival.Instance.Compare(e, first) < 0))
            {
                first = e;
            }
        }

        return first;
    }

    /// <summary>Processing order: occurred_at, then arrival.</summary>
    public sealed class ByTimeThenArrival : IComparer<Event>
    {
        /// <summary>The one instance.</summary>
        public static readonly ByTimeThenArrival Instance = new();

        /// <inheritdoc />
        public int Compare(Event? x, Event? y)
        {
            var c = x!.OccurredAtMs.CompareTo(y!.OccurredAtMs);
            return c != 0 ? c : x.Sequence.CompareTo(y.Sequence);
        }
    }
}
