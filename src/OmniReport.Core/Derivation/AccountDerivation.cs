using OmniReport.Core.Events;
using OmniReport.Core.Settings;

namespace OmniReport.Core.Derivation;

/// <summary>
/// The whole derivation of an account held in memory: events in (any order, duplicates ignored by id),
/// every logged engagement and interaction record out. Used by <c>omnireport derive</c> and as the
/// reference the store is tested against.
/// </summary>
/// <remarks>
/// Events are kept in one array in arrival order, not as objects: each as a <see cref="Held"/> struct of numbers, each
/// interaction's events linked by index (first, last, next). The ids live as UTF-8 in <see cref="IdSet"/>s (the
/// event ids only for the duplicate check, the interaction ids numbered, their chains in an array by that number), the
/// repeated words and the details' texts in <see cref="HeldStrings"/>. So nothing of what was read is an object the
/// collector must trace or copy: the parser's events and strings die young, and every collection during the read finds
/// a few large arrays instead of a million objects that survive (docs/performance.md, issue 18). An interaction's events
/// become <see cref="Event"/>s again, briefly, when it is derived.
/// </remarks>
public sealed class AccountDerivation
{
    private readonly IdSet _ids;
    private readonly LateDuplicateCheck? _late;
    private readonly IdSet _interactions;
    private readonly HeldStrings _strings = new();
    private Chain[] _chains;
    // The chains of interaction ids met lately.
    private readonly RecentCodes _recentChains = new(bits: 12);
    private Held[] _events;
    private int[] _next;
    private int _count;

    // With the late check: which events are duplicates, and how many, as of the event count checked.
    private bool[]? _duplicate;
    private int _duplicates;
    private int _checked;

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
        : this(expectedEvents, duplicatesLast: false)
    {
    }

    /// <summary>
    /// An empty derivation sized for about <paramref name="expectedEvents"/> events; with
    /// <paramref name="duplicatesLast"/>, duplicates are found all at once when they matter — by <see cref="Count"/> or
    /// the fold — instead of one event at a time, which is cheaper for a large input (docs/performance.md, issue 18).
    /// The same events count either way (the first arrival of each id), but <see cref="Add(Event)"/> then takes every event
    /// and returns true, since it does not know yet.
    /// </summary>
    public AccountDerivation(int expectedEvents, bool duplicatesLast)
    {
        expectedEvents = Math.Max(0, expectedEvents);
        _ids = new IdSet(duplicatesLast ? 0 : expectedEvents);
        _late = duplicatesLast ? new LateDuplicateCheck(expectedEvents) : null;
        _interactions = new IdSet(expectedEvents / 8);
        _chains = new Chain[Math.Max(16, expectedEvents / 8)];
        _events = new Held[Math.Max(16, expectedEvents)];
        _next = new int[_events.Length];
    }

    /// <summary>Number of distinct events taken.</summary>
    public long Count => _count - FindDuplicates(workers: 1);

    /// <summary>
    /// <see cref="Count"/>, the late duplicate check (when there is one) on up to <paramref name="workers"/> threads.
    /// </summary>
    public long CountOn(int workers) => _count - FindDuplicates(workers);

    /// <summary>
    /// Adds an event in arrival order; false (and ignored) when its id was seen before. The event is copied: the
    /// caller keeps it unchanged and may drop it. (With the late duplicate check, every event is taken and true
    /// returned; the duplicates are left out when the fold comes.)
    /// </summary>
    public bool Add(Event e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (_late is null && !_ids.Add(e.Id))
        {
            return false;
        }

        // Made before anything else changes: text UTF-8 cannot hold is refused here, and the derivation stays whole.
        var held = new Held(e, _strings);
        _late?.Add(e.Id);
        Link(e, held);
        return true;
    }

    /// <summary>
    /// <see cref="Add(Event)"/> for an event whose id is given as its UTF-8 bytes, as <c>derive</c>'s parser hands it over
    /// (<see cref="ParallelEventReader.ReadHeld"/>): <see cref="Event.Id"/> is not read. The same event counts as with
    /// its id as text.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="idUtf8"/> is not UTF-8; nothing is taken.</exception>
    public bool Add(Event e, ReadOnlySpan<byte> idUtf8)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (!System.Text.Unicode.Utf8.IsValid(idUtf8))
        {
            throw new ArgumentException("the event id is not UTF-8", nameof(idUtf8));
        }

        if (_late is null)
        {
            _ids.Add(idUtf8, out var added);
            if (!added)
            {
                return false;
            }
        }

        var held = new Held(e, _strings);
        _late?.Add(idUtf8);
        Link(e, held);
        return true;
    }

    /// <summary>Keeps the event, numbered by its arrival, at the end of its interaction's chain.</summary>
    private void Link(Event e, in Held held)
    {
        // An interaction's events come close together (a few hundred interactions are open at a time), and the parser
        // gives an id one string while it is recent: an id met lately is found by a glance at a small table, not by
        // encoding, hashing and probing the table of every interaction (docs/performance.md, issue 18, seventh part).
        var added = false;
        if (!_recentChains.TryFind(e.InteractionId, out var c))
        {
            c = _interactions.Add(e.InteractionId, out added);
            _recentChains.Remember(e.InteractionId, c);
        }

        if (_count == _events.Length)
        {
            Array.Resize(ref _events, _count * 2);
            Array.Resize(ref _next, _count * 2);
        }

        var index = _count++;
        _events[index] = held;
        _next[index] = -1;
        if (c == _chains.Length)
        {
            Array.Resize(ref _chains, c * 2);
        }

        ref var chain = ref _chains[c];
        if (added)
        {
            chain.First = index;
        }
        else
        {
            _next[chain.Last] = index;
        }

        chain.Last = index;
        chain.Count++;
    }

    /// <summary>Derives every interaction at time <paramref name="nowMs"/>; the events stay, so it can run again.</summary>
    public DerivedAccount Run(AccountSettings settings, long nowMs) => Run(settings, nowMs, release: false, workers: 1, DerivedParts.All);

    /// <summary>
    /// Derives every interaction at time <paramref name="nowMs"/>, letting go of the duplicate check before the fold
    /// and of the events after it, so a large input is never held twice over: its events and all the records they
    /// give. For one-shot callers (<c>omnireport derive</c>); afterwards this instance is empty.
    /// </summary>
    public DerivedAccount RunAndRelease(AccountSettings settings, long nowMs) => Run(settings, nowMs, release: true, workers: 1, DerivedParts.All);

    /// <summary>
    /// <see cref="RunAndRelease(AccountSettings, long)"/> on up to <paramref name="workers"/> threads: interactions
    /// are derived independently of each other, and what they give is put in report order afterwards, so the result
    /// is the same on any number of threads (names too: the newest sighting wins, whichever thread saw it).
    /// </summary>
    public DerivedAccount RunAndRelease(AccountSettings settings, long nowMs, int workers) => Run(settings, nowMs, release: true, workers, DerivedParts.All);

    /// <summary>
    /// <see cref="RunAndRelease(AccountSettings, long, int)"/> keeping only <paramref name="parts"/>: the lists (and
    /// names) not asked for are left empty, never made — <c>omnireport derive</c> writes one report.
    /// </summary>
    public DerivedAccount RunAndRelease(AccountSettings settings, long nowMs, int workers, DerivedParts parts) => Run(settings, nowMs, release: true, workers, parts);

    private DerivedAccount Run(AccountSettings settings, long nowMs, bool release, int workers, DerivedParts wanted)
    {
        FindDuplicates(workers);
        if (release)
        {
            _ids.Clear();
            _late?.Clear();
        }

        // Interactions in the order they first came, as the chains are numbered.
        var chains = _interactions.Count;

        // Some hundreds of interactions a part at least: below that a thread costs more than it saves.
        // Four parts a thread, taken as threads come free: a thread that falls behind (the other work of the machine,
        // a part of longer interactions) leaves its later parts to the others instead of holding up the end.
        workers = Math.Max(1, workers);
        var parts = Math.Clamp(chains / 512, 1, workers == 1 ? 1 : workers * 4);
        // Engagements equal in report order (start second, id) keep the order that one sort of them all, in the order
        // their interactions came, gives them: the one-thread order. Sorted apart and merged, the parts would put them
        // otherwise, so then the parts' engagements are joined unsorted and sorted at once. Two engagements have one id
        // only when an interaction's or an agent's id holds a line feed (§3.6 joins them with one), which is looked for
        // before the fold, while the ids are held.
        var sortParts = parts == 1 || (wanted & DerivedParts.Engagements) == 0 || !MayShareEngagementIds();
        var folded = new Folded[parts];
        if (parts == 1)
        {
            folded[0] = Fold(0, chains, settings, nowMs, wanted, sortEngagements: true);
        }
        else
        {
            Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = workers }, p =>
                folded[p] = Fold((int)((long)chains * p / parts), (int)((long)chains * (p + 1) / parts), settings, nowMs, wanted, sortParts));
        }

        if (release)
        {
            _events = [];
            _next = [];
            _chains = [];
            _interactions.Clear();
            _strings.Clear();
            _recentChains.Clear();
            _count = 0;
            (_duplicate, _duplicates, _checked) = (null, 0, 0);
        }

        // Each part is in report order already (sorted on its fold's thread): merged, a pair of parts at a time.
        var names = folded[0].Names;
        for (var p = 1; p < parts; p++)
        {
            foreach (var sighting in folded[p].Names.Sightings)
            {
                names.Observe(sighting);
            }
        }

        return new DerivedAccount(
            sortParts ? SortedRuns.Merge(Array.ConvertAll(folded, f => f.Engagements), Engagement.Compare, workers) : SortedAtOnce(folded),
            SortedRuns.Merge(Array.ConvertAll(folded, f => f.Records), InteractionRecord.Compare, workers),
            names);
    }

    /// <summary>Whether an interaction's or a word's id (agents' ids are words) holds a line feed: then two engagements may share an id.</summary>
    private bool MayShareEngagementIds()
    {
        for (var c = 0; c < _interactions.Count; c++)
        {
            if (_interactions.HasLineFeed(c))
            {
                return true;
            }
        }

        return _strings.AnyWordHasLineFeed();
    }

    /// <summary>The parts' engagements, unsorted in the order their interactions came, joined and sorted at once.</summary>
    private static List<Engagement> SortedAtOnce(Folded[] folded)
    {
        var engagements = new List<Engagement>(folded.Sum(f => f.Engagements.Count));
        foreach (var part in folded)
        {
            engagements.AddRange(part.Engagements);
        }

        engagements.Sort(Engagement.Compare);
        return engagements;
    }

    /// <summary>
    /// Derives the interactions of chains [from, to) with a projector and a fold of its own, and puts what it keeps of
    /// them (<paramref name="wanted"/>) in report order — on the thread that folds, so the sorts run on every core. The
    /// engagements are left in the order their interactions came without <paramref name="sortEngagements"/>.
    /// </summary>
    private Folded Fold(int from, int to, AccountSettings settings, long nowMs, DerivedParts wanted, bool sortEngagements)
    {
        var keepEngagements = (wanted & DerivedParts.Engagements) != 0;
        var keepRecords = (wanted & DerivedParts.Interactions) != 0;
        // About as many engagements as interactions in generated traffic (115,219 engagements from 1,000,000 events):
        // presized so, the list grows once at most.
        var engagements = new List<Engagement>(keepEngagements ? to - from : 0);
        var records = new List<InteractionRecord>(keepRecords ? to - from : 0);
        var names = new AgentDirectory();
        var projector = new Projector(settings, nowMs);
        var fold = new InteractionFold(settings, logsEngagements: keepEngagements);
        // The events of one interaction at a time, refilled from the held structs: the fold keeps none of them (only
        // their strings and details), so the same few instances serve every interaction instead of a million
        // short-lived copies (~100 MB that the collector would clear and sweep).
        var buffer = new Event[16];
        for (var c = from; c < to; c++)
        {
            var chain = _chains[c];
            var interactionId = _interactions.Text(c);
            if (chain.Count > buffer.Length)
            {
                Array.Resize(ref buffer, Math.Max(chain.Count, buffer.Length * 2));
            }

            var n = 0;
            for (var i = chain.First; i >= 0; i = _next[i])
            {
                // Arrival numbers keep counting the duplicates left out: they only order events, and keep the same order.
                if (_duplicate is null || !_duplicate[i])
                {
                    _events[i].Load(buffer[n++] ??= Blank(), interactionId, i, _strings, recordTexts: keepRecords);
                }
            }

            // Names are written with the interaction records only.
            if (projector.DeriveAll(buffer.AsSpan(0, n), keepRecords ? names : null, fold))
            {
                if (keepEngagements)
                {
                    fold.AddLogged(engagements);
                }

                if (keepRecords && fold.Record() is { } r)
                {
                    records.Add(r);
                }
            }
        }

        if (sortEngagements)
        {
            engagements.Sort(Engagement.Compare);
        }

        records.Sort(InteractionRecord.Compare);
        return new Folded(engagements, records, names);
    }

    /// <summary>The late duplicate check, when there is one and events came since it last ran: how many duplicates.</summary>
    private int FindDuplicates(int workers)
    {
        if (_late is not null && _checked != _count)
        {
            _duplicate = _late.Find(workers, out _duplicates);
            _checked = _count;
        }

        return _duplicates;
    }

    private static Event Blank() => new() { Id = "", Type = default, OccurredAtMs = 0, InteractionId = "" };

    private sealed record Folded(List<Engagement> Engagements, List<InteractionRecord> Records, AgentDirectory Names);

    /// <summary>
    /// An event as it waits for its interaction's fold, in the array itself: its time, its enumerations, and its
    /// strings as numbers in <see cref="HeldStrings"/> (no reference the collector would follow). Its id and interaction
    /// id are not kept: the duplicate check and the chain hold those.
    /// </summary>
    private readonly struct Held
    {
        private readonly long _occurredAtMs;
        private readonly int _agentId;
        private readonly int _agentName;
        private readonly uint _details;
        private readonly EventType _type;
        private readonly AuthorType _authorType;
        private readonly bool _isPublic;
        private readonly Channel _channel;
        private readonly Direction _direction;
        private readonly TicketStatus _status;
        private readonly Outcome _outcome;
        private readonly AssignmentVia _via;

        public Held(Event e, HeldStrings strings)
        {
            _occurredAtMs = e.OccurredAtMs;
            _agentId = strings.Word(e.AgentId);
            _agentName = strings.Word(e.AgentName);
            _details = strings.Keep(e.Details);
            _type = e.Type;
            _authorType = e.AuthorType;
            _isPublic = e.IsPublic;
            _channel = e.Channel;
            _direction = e.Direction;
            _status = e.Status;
            _outcome = e.Outcome;
            _via = e.Via;
        }

        /// <summary>
        /// The event again in <paramref name="target"/>, numbered by its arrival. Its id is left empty: the fold never
        /// reads an event's id (ids only decide duplicates, and that was decided when the event was added). Without
        /// <paramref name="recordTexts"/>, its details lack the texts only an interaction record shows.
        /// </summary>
        public void Load(Event target, string interactionId, long sequence, HeldStrings strings, bool recordTexts) => target.Reload(
            "", _type, _occurredAtMs, interactionId, sequence, strings.Word(_agentId), strings.Word(_agentName), _authorType, _isPublic, _channel,
            _direction, _status, _outcome, _via, strings.Details(_details, recordTexts));
    }

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
