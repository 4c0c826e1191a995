using OmniReport.Core.Events;
using OmniReport.Core.Settings;

namespace OmniReport.Core.Derivation;

/// <summary>
/// The derivation of one interaction as a fold over its events in processing order (SPEC §1 "Order"):
/// <see cref="Create"/> with the first <c>interaction.created</c>, <see cref="Apply"/> for each later event
/// by (occurred_at, arrival), then <see cref="Finish"/> at the time <c>now</c>. Pure: no clock, no I/O.
/// </summary>
public sealed partial class InteractionFold
{
    private readonly AccountSettings _settings;
    private readonly bool _logsEngagements = true;
    private readonly List<Engagement> _logged = [];
    private readonly List<(string Agent, long StartMs)> _starts = [];
    private List<(string Agent, long Ms)>? _offers;

    private string _interactionId = "";
    private bool _created;
    private Channel _channel;
    private Direction _direction;
    private bool _conversational;
    private long _startMs;
    private TicketStatus _status;
    private bool _closedOnce;
    private bool _ended;
    private long _endedMs;
    private Outcome _outcome;
    private long? _solvedMs;
    private string? _assignee;
    private long? _firstHumanAssignMs;
    private string? _lastHuman;
    private string? _lastBot;
    private string? _groupId;
    private string? _groupName;
    private string? _requesterId;
    private string? _requesterName;
    private string? _requesterContact;
    private string? _externalId;
    private string? _disposition;
    private string? _notes;
    private string? _recordingUrl;
    private string? _transcriptUrl;
    private long? _lastEndUserMs;
    private bool _endUserSinceHumanAgent;
    private Open? _open;
    private Pending? _pending;

    // The last engagement that ended, kept to be the next one opened: a fold that serves interaction after interaction
    // (Restart) opens a hundred thousand engagements, and each would otherwise be an object that dies at once.
    private Open? _spare;

    /// <summary>Creates a fold under the given settings.</summary>
    public InteractionFold(AccountSettings settings) => _settings = settings;

    /// <summary>
    /// A fold that, without <paramref name="logsEngagements"/>, tracks engagements (their starts and ends shape nothing
    /// of the interaction record, but the fold stays one piece) without naming or logging them: no engagement id (a
    /// SHA-256 each) and no <see cref="Engagement"/>. For a derivation that keeps only interaction records
    /// (<see cref="AccountDerivation"/> with <see cref="DerivedParts.Interactions"/>); its <see cref="Result"/> has no
    /// engagements and an open engagement without an id.
    /// </summary>
    internal InteractionFold(AccountSettings settings, bool logsEngagements)
    {
        _settings = settings;
        _logsEngagements = logsEngagements;
    }

    /// <summary>
    /// When an engagement is open and inactivity can end it: the moment it will (last end-user message +
    /// window). The store's sweep re-derives the interaction once this moment has passed.
    /// </summary>
    public long? InactivityDeadlineMs =>
        _open is not null && _conversational && _settings.InactivityEndsEngagements && _lastEndUserMs is { } last
            ? last + _settings.InactivityWindowMs
            : null;

    /// <summary>Takes the interaction's first <c>interaction.created</c>.</summary>
    public void Create(Event e)
    {
        _created = true;
        _interactionId = e.InteractionId;
        _channel = e.Channel;
        _conversational = e.Channel is not (Channel.Email or Channel.Voice);
        _direction = e.Direction;
        _startMs = e.OccurredAtMs;
        _status = e.Status;
        _closedOnce = e.Status == TicketStatus.Closed;
        if (e.Status is TicketStatus.Solved or TicketStatus.Closed)
        {
            _solvedMs = e.OccurredAtMs;
        }

        ApplyDetails(e.Details);
    }

    /// <summary>Applies one later event (any type but the first interaction.created).</summary>
    public void Apply(Event e)
    {
        var t = e.OccurredAtMs;
        ReachTime(t);
        switch (e.Type)
        {
            case EventType.MessageCreated:
                Message(e, t);
                break;
            case EventType.OfferCreated:
                Offered(e.AgentId!, t);
                break;
            case EventType.OfferAccepted:
                var offerTime = LatestOffer(e.AgentId!) is { } offered ? Time.Seconds(offered, t) : (long?)null;
                ChangeAssignee(e.AgentId, t, Reasons.ManualReassignment);
                Trigger(Reasons.RoutingAssignmentAccepted, offerTime, t);
                break;
            case EventType.AssignmentChanged:
                ApplyGroup(e.Details);
                if (e.AgentId is null)
                {
                    ChangeAssignee(null, t, Reasons.Removed);
                }
                else
                {
                    ChangeAssignee(e.AgentId, t, Reasons.ManualReassignment);
                    Trigger(StartReason(e.Via), null, t);
                }

                break;
            case EventType.TransferCreated:
                ApplyGroup(e.Details);
                EndOpen(t, Reasons.Transferred);
                ChangeAssignee(e.AgentId, t, Reasons.Transferred);
                if (e.AgentId is not null)
                {
                    Trigger(Reasons.Transferred, null, t);
                }

                break;
            case EventType.StatusChanged:
                StatusChanged(e.Status, t);
                break;
            case EventType.ConversationEnded:
                EndOpen(t, Reasons.AgentClosedConversation);
                _pending = null;
                break;
            case EventType.InteractionEnded:
                if (!_ended)
                {
                    _ended = true;
                    _endedMs = t;
                    _outcome = e.Outcome;
                }

                EndOpen(t, Reasons.InteractionEnded);
                _pending = null;
                break;
            case EventType.InteractionUpdated:
                ApplyDetails(e.Details);
                break;
            case EventType.InteractionCreated:
                // A later interaction.created counts for nothing (SPEC §1).
                break;
            default:
                // offer.declined and offer.expired: the offer is gone; nothing to derive.
                break;
        }
    }

    /// <summary>Applies the inactivity end that <paramref name="nowMs"/> has reached, if any.</summary>
    public void Finish(long nowMs) => ReachTime(nowMs);

    /// <summary>
    /// Forgets the interaction folded so far, so this instance can fold the next one as a new fold would: a one-shot
    /// derivation (<see cref="AccountDerivation"/>) keeps one fold a thread instead of an object, two lists and their
    /// arrays per interaction. Every field of the state is reset here (a test compares a restarted fold with a new one
    /// field by field).
    /// </summary>
    internal void Restart()
    {
        _logged.Clear();
        _starts.Clear();
        _offers?.Clear();
        _interactionId = "";
        _created = false;
        _channel = default;
        _direction = default;
        _conversational = false;
        _startMs = 0;
        _status = default;
        _closedOnce = false;
        _ended = false;
        _endedMs = 0;
        _outcome = default;
        _solvedMs = null;
        _assignee = null;
        _firstHumanAssignMs = null;
        _lastHuman = null;
        _lastBot = null;
        _groupId = null;
        _groupName = null;
        _requesterId = null;
        _requesterName = null;
        _requesterContact = null;
        _externalId = null;
        _disposition = null;
        _notes = null;
        _recordingUrl = null;
        _transcriptUrl = null;
        _lastEndUserMs = null;
        _endUserSinceHumanAgent = false;
        _spare = _open ?? _spare;
        _open = null;
        _pending = null;
    }

    private static string StartReason(AssignmentVia via) => via switch
    {
        AssignmentVia.Routing => Reasons.RoutingAssignmentAccepted,
        AssignmentVia.SoleAgent => Reasons.Assigned,
        _ => Reasons.ManualAssignment,
    };

    /// <summary>Ends an open engagement by inactivity when its moment is at or before <paramref name="t"/>.</summary>
    private void ReachTime(long t)
    {
        if (InactivityDeadlineMs is { } deadline && deadline <= t)
        {
            var o = _open!;
            End(deadline, Reasons.InactivityTimeout);
            // The next end-user message starts a new engagement of the same agent with the same reason.
            _pending = new Pending(o.Agent, o.Reason, null);
        }
    }

    private void Message(Event e, long t)
    {
        if (!e.IsPublic)
        {
            return;
        }

        switch (e.AuthorType)
        {
            case AuthorType.EndUser:
                _lastEndUserMs = t;
                _endUserSinceHumanAgent = true;
                if (_open is null && _pending is { } p && p.Agent == _assignee && StatusAllowsStart)
                {
                    _pending = null;
                    StartEngagement(p.Agent, p.Reason, p.OfferTime, t);
                }

                if (_open is { } o)
                {
                    o.EndUserMessages++;
                    if (!o.WaitRunning)
                    {
                        o.WaitRunning = true;
                        o.WaitStartMs = t;
                    }
                }

                break;
            case AuthorType.Agent:
                _endUserSinceHumanAgent = false;
                if (_open is { } a && a.Agent == e.AgentId)
                {
                    a.AgentMessages++;
                    a.FirstMessageMs ??= t;
                    if (a.WaitRunning)
                    {
                        var wait = Time.Seconds(a.WaitStartMs, t);
                        a.WaitRunning = false;
                        a.Replies++;
                        a.TotalWait += wait;
                        a.LongestWait = Math.Max(a.LongestWait ?? long.MinValue, wait);
                    }
                }

                break;
            default:
                _lastBot = e.AgentId;
                break;
        }
    }

    private void StatusChanged(TicketStatus s, long t)
    {
        if (_closedOnce && s != TicketStatus.Deleted)
        {
            return; // once closed, only a change to deleted takes effect
        }

        var previous = _status;
        _status = s;
        _closedOnce |= s == TicketStatus.Closed;
        if (s is TicketStatus.Solved or TicketStatus.Closed && previous is not (TicketStatus.Solved or TicketStatus.Closed))
        {
            _solvedMs = t;
        }

        switch (s)
        {
            case TicketStatus.Pending or TicketStatus.OnHold:
                EndOpen(t, Reasons.StatusPendingOnHold);
                break;
            case TicketStatus.Solved or TicketStatus.Closed:
                EndOpen(t, Reasons.StatusSolved);
                break;
            case TicketStatus.Deleted:
                EndOpen(t, Reasons.Removed);
                break;
            case TicketStatus.Open when previous is TicketStatus.Pending or TicketStatus.OnHold or TicketStatus.Solved:
                Trigger(Reasons.Reopened, null, t);
                break;
        }
    }

    private bool StatusAllowsStart => _status is TicketStatus.New or TicketStatus.Open && !_ended;

    private bool IsActive(long t) =>
        !_conversational || (_lastEndUserMs is { } last && t - last < _settings.InactivityWindowMs);

    /// <summary>
    /// Makes <paramref name="agent"/> the assignee. A change ends the open engagement with
    /// <paramref name="endReason"/> and cancels a pending one; naming the current assignee again changes nothing.
    /// </summary>
    private void ChangeAssignee(string? agent, long t, string endReason)
    {
        if (agent == _assignee)
        {
            return;
        }

        EndOpen(t, endReason);
        _pending = null;
        _assignee = agent;
        if (agent is not null)
        {
            _firstHumanAssignMs ??= t;
            _lastHuman = agent;
        }
    }

    /// <summary>A start trigger of §3.2 for the current assignee.</summary>
    private void Trigger(string reason, long? offerTime, long t)
    {
        if (_open is not null || _assignee is null || !StatusAllowsStart)
        {
            return;
        }

        if (IsActive(t))
        {
            _pending = null;
            StartEngagement(_assignee, reason, offerTime, t);
        }
        else
        {
            _pending = new Pending(_assignee, reason, offerTime);
        }
    }

    private void Offered(string agent, long t)
    {
        _offers ??= [];
        for (var i = 0; i < _offers.Count; i++)
        {
            if (_offers[i].Agent == agent)
            {
                _offers[i] = (agent, t);
                return;
            }
        }

        _offers.Add((agent, t));
    }

    private long? LatestOffer(string agent)
    {
        if (_offers is null)
        {
            return null;
        }

        foreach (var (a, ms) in _offers)
        {
            if (a == agent)
            {
                return ms;
            }
        }

        return null;
    }

    private void ApplyDetails(EventDetails? d)
    {
        if (d is null)
        {
            return;
        }

        ApplyGroup(d);
        _requesterId = d.RequesterId ?? _requesterId;
        _requesterName = d.RequesterName ?? _requesterName;
        _requesterContact = d.RequesterContact ?? _requesterContact;
        _externalId = d.ExternalId ?? _externalId;
        _disposition = d.Disposition ?? _disposition;
        _notes = d.Notes ?? _notes;
        _recordingUrl = d.RecordingUrl ?? _recordingUrl;
        _transcriptUrl = d.TranscriptUrl ?? _transcriptUrl;
    }

    /// <summary>A group id given without a name forgets the previous group's name (SPEC §1).</summary>
    private void ApplyGroup(EventDetails? d)
    {
        if (d?.GroupId is { } id)
        {
            _groupId = id;
            _groupName = d.GroupName;
        }
        else if (d?.GroupName is { } name)
        {
            _groupName = name;
        }
    }

    private sealed record Pending(string Agent, string Reason, long? OfferTime);

    /// <summary>The open engagement; reused (<see cref="_spare"/>), so every field is set when one opens.</summary>
    private sealed class Open
    {
        public string Id { get; set; } = "";
        public string Agent { get; set; } = "";
        public string Reason { get; set; } = "";
        public long StartMs { get; set; }
        public long? OfferTime { get; set; }
        public TicketStatus StatusStart { get; set; }
        public string? GroupId { get; set; }
        public bool StartInBusinessHours { get; set; }
        public int AgentMessages { get; set; }
        public int EndUserMessages { get; set; }
        public long? FirstMessageMs { get; set; }
        public bool WaitRunning { get; set; }
        public long WaitStartMs { get; set; }
        public int Replies { get; set; }
        public long TotalWait { get; set; }
        public long? LongestWait { get; set; }
    }
}
