using System.Runtime.InteropServices;
using OmniReport.Core.Events;
using OmniReport.Core.Settings;

namespace OmniReport.Core.Derivation;

/// <summary>
/// The whole derivation of an account held in memory: events in (any order, duplicates ignored by id),
/// every logged engagement and interaction record out. Used by <c>omnireport derive</c> and as the
/// reference the store is tested against.
/// </summary>
/// <remarks>
/// Events are kept in one array in arrival order, each interaction's events linked by index (first, last,
/// next): adding an event touches no per-interaction object, and an interaction's events are gathered into
/// one reused buffer when it is derived.
/// </remarks>
public sealed class AccountDerivation
{
    private readonly Dictionary<string, Chain> _byInteraction;
    private readonly HashSet<string> _ids;
    private Event?[] _events;
    private int[] _next;
    private int _count;

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
        expectedEvents = Math.Max(0, expectedEvents);
        _ids = new HashSet<string>(expectedEvents, StringComparer.Ordinal);
        _byInteraction = new Dictionary<string, Chain>(expectedEvents / 8, StringComparer.Ordinal);
        _events = new Event?[Math.Max(16, expectedEvents)];
        _next = new int[_events.Length];
    }

    /// <summary>Number of distinct events taken.</summary>
    public long Count => _ids.Count;

    /// <summary>Adds an event in arrival order; false (and ignored) when its id was seen before.</summary>
    public bool Add(Event e) => Add(e, handOver: false);

    /// <summary>
    /// Adds an event in arrival order; false (and ignored) when its id was seen before. With
    /// <paramref name="handOver"/> the caller gives the event up (keeps no reference to it, as a parser's fresh event):
    /// it is numbered in place rather than copied.
    /// </summary>
    public bool Add(Event e, bool handOver)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (!_ids.Add(e.Id))
        {
            return false;
        }

        if (_count == _events.Length)
        {
            Array.Resize(ref _events, _count * 2);
            Array.Resize(ref _next, _count * 2);
        }

        var index = _count++;
        _events[index] = handOver ? e.Sequenced(index) : e.WithSequence(index);
        _next[index] = -1;
        ref var chain = ref CollectionsMarshal.GetValueRefOrAddDefault(_byInteraction, e.InteractionId, out var known);
        if (known)
        {
            _next[chain.Last] = index;
        }
        else
        {
            chain.First = index;
        }

        chain.Last = index;
        chain.Count++;
        return true;
    }

    /// <summary>Derives every interaction at time <paramref name="nowMs"/>; the events stay, so it can run again.</summary>
    public DerivedAccount Run(AccountSettings settings, long nowMs) => Run(settings, nowMs, release: false, workers: 1);

    /// <summary>
    /// Derives every interaction at time <paramref name="nowMs"/>, letting go of each interaction's events (and of
    /// the duplicate check) as soon as they are folded, so a large input is never held twice over: its events and
    /// all the records they give. For one-shot callers (<c>omnireport derive</c>); afterwards this instance is empty.
    /// </summary>
    public DerivedAccount RunAndRelease(AccountSettings settings, long nowMs) => Run(settings, nowMs, release: true, workers: 1);

    /// <summary>
    /// <see cref="RunAndRelease(AccountSettings, long)"/> on up to <paramref name="workers"/> threads: interactions
    /// are derived independently of each other, and what they give is put in report order afterwards, so the result
    /// is the same on any number of threads (names too: the newest sighting wins, whichever thread saw it).
    /// </summary>
    public DerivedAccount RunAndRelease(AccountSettings settings, long nowMs, int workers) => Run(settings, nowMs, release: true, workers);

    private DerivedAccount Run(AccountSettings settings, long nowMs, bool release, int workers)
    {
        if (release)
        {
            _ids.Clear();
            _ids.TrimExcess();
        }

        var chains = new Chain[_byInteraction.Count];
        _byInteraction.Values.CopyTo(chains, 0);
        if (release)
        {
            _byInteraction.Clear();
            _byInteraction.TrimExcess();
        }

        // Some hundreds of interactions a part at least: below that a thread costs more than it saves.
        var parts = Math.Clamp(chains.Length / 512, 1, Math.Max(1, workers));
        var folded = new Folded[parts];
        if (parts == 1)
        {
            folded[0] = Fold(chains, 0, chains.Length, settings, nowMs, release);
        }
        else
        {
            Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, p =>
                folded[p] = Fold(chains, (int)((long)chains.Length * p / parts), (int)((long)chains.Length * (p + 1) / parts), settings, nowMs, release));
        }

        if (release)
        {
            _events = [];
            _next = [];
            _count = 0;
        }

        var engagements = folded[0].Engagements;
        var records = folded[0].Records;
        var names = folded[0].Names;
        for (var p = 1; p < parts; p++)
        {
            engagements.AddRange(folded[p].Engagements);
            records.AddRange(folded[p].Records);
            foreach (var sighting in folded[p].Names.Sightings)
            {
                names.Observe(sighting);
            }
        }

        engagements.Sort(Engagement.Compare);
        records.Sort(InteractionRecord.Compare);
        return new DerivedAccount(engagements, records, names);
    }

    /// <summary>Derives the interactions of chains [from, to) with a projector of its own.</summary>
    private Folded Fold(Chain[] chains, int from, int to, AccountSettings settings, long nowMs, bool release)
    {
        var engagements = new List<Engagement>();
        var records = new List<InteractionRecord>(to - from);
        var names = new AgentDirectory();
        var projector = new Projector(settings, nowMs);
        var buffer = new Event[16];
        for (var c = from; c < to; c++)
        {
            var chain = chains[c];
            if (chain.Count > buffer.Length)
            {
                buffer = new Event[Math.Max(chain.Count, buffer.Length * 2)];
            }

            var n = 0;
            for (var i = chain.First; i >= 0; i = _next[i])
            {
                buffer[n++] = _events[i]!;
                if (release)
                {
                    _events[i] = null;
                }
            }

            var projection = projector.Project(buffer.AsSpan(0, n), 0, null);
            foreach (var sighting in projection.Names)
            {
                names.Observe(sighting);
            }

            engagements.AddRange(projection.Engagements);
            if (projection.Record is { } r)
            {
                records.Add(r);
            }
        }

        return new Folded(engagements, records, names);
    }

    private sealed record Folded(List<Engagement> Engagements, List<InteractionRecord> Records, AgentDirectory Names);

    /// <summary>An interaction's events: the first and last index, and how many.</summary>
    private struct Chain
    {
        public int First;
        public int Last;
        public int Count;
    }
}

/// <summary>Everything an account derives, in report order.</summary>
/// <param name="Engagements">Logged engagements, by start second then engagement id.</param>
/// <param name="Interactions">Interaction records, by start then interaction id.</param>
/// <param name="Names">Agent names.</param>
public sealed record DerivedAccount(IReadOnlyList<Engagement> Engagements, IReadOnlyList<InteractionRecord> Interactions, AgentDirectory Names);
