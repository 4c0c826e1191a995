using OmniReport.Core.Events;

namespace OmniReport.Core.Derivation;

public sealed partial class InteractionFold
{
    private void StartEngagement(string agent, string reason, long? offerTime, long t)
    {
        // k: engagements of this interaction and agent that started at the same millisecond before this one.
        // Start times never decrease in processing order, so they are at the end of the list.
        var k = 0;
        for (var i = _starts.Count - 1; i >= 0 && _starts[i].StartMs == t; i--)
        {
            if (_starts[i].Agent == agent)
            {
                k++;
            }
        }

        _starts.Add((agent, t));
        var o = _spare ?? new Open();
        _spare = null;
        o.Id = _logsEngagements ? EngagementIds.Compute(_interactionId, agent, t, k) : "";
        o.Agent = agent;
        o.Reason = reason;
        o.StartMs = t;
        o.OfferTime = offerTime;
        o.StatusStart = _status;
        o.GroupId = _groupId;
        o.StartInBusinessHours = _settings.BusinessHours?.IsOpen(t) ?? true;
        o.AgentMessages = 0;
        o.EndUserMessages = 0;
        o.FirstMessageMs = null;
        o.WaitRunning = _endUserSinceHumanAgent;
        o.WaitStartMs = t;
        o.Replies = 0;
        o.TotalWait = 0;
        o.LongestWait = null;
        _open = o;
    }

    private void EndOpen(long t, string reason)
    {
        if (_open is not null)
        {
            End(t, reason);
        }
    }

    private void End(long t, string reason)
    {
        var o = _open!;
        _open = null;
        // Free for the next engagement to open (it is read below and by the caller before any can).
        _spare = o;
        if (t - o.StartMs > _settings.MaxLoggedDurationMs || !_logsEngagements)
        {
            return; // §3.4: never logged (or not asked for)
        }

        _logged.Add(new Engagement
        {
            EngagementId = o.Id,
            TicketId = _interactionId,
            AgentId = o.Agent,
            GroupId = o.GroupId,
            RequesterId = _requesterId, // Result() replaces it if a later event changes the requester's id
            OfferTimeSeconds = o.OfferTime,
            AssignmentToFirstReplyTimeSeconds = o.StartInBusinessHours && o.FirstMessageMs is { } first
                ? Time.Seconds(o.StartMs, first)
                : null,
            AgentMessagesCount = o.AgentMessages,
            AgentRepliesCount = o.Replies,
            TotalRequesterWaitTimeSeconds = o.TotalWait,
            LongestRequesterWaitTimeSeconds = o.LongestWait,
            Channel = _channel,
            StartReason = o.Reason,
            StartMs = o.StartMs,
            EndMs = t,
            StatusStart = o.StatusStart,
            StatusEnd = _status,
            EndReason = reason,
            AverageRequesterWaitTimeSeconds = o.Replies > 0 ? Time.DivRoundHalfAwayFromZero(o.TotalWait, o.Replies) : null,
            EndUserMessagesCount = o.EndUserMessages,
            EngagementDurationSeconds = Time.Seconds(o.StartMs, t),
        });
    }

    /// <summary>The logged engagements and the interaction record (null when deleted or never created).</summary>
    public InteractionResult Result()
    {
        var engagements = new Engagement[_logged.Count];
        for (var i = 0; i < engagements.Length; i++)
        {
            engagements[i] = Final(_logged[i]);
        }

        return new InteractionResult(Record(), engagements, InactivityDeadlineMs, OpenNow(), _groupId);
    }

    /// <summary>
    /// The logged engagements, as <see cref="Result"/> gives them, added to <paramref name="into"/>: for a one-shot
    /// derivation that collects them all and wants nothing else of the interaction (no array, no result per interaction).
    /// </summary>
    internal void AddLogged(List<Engagement> into)
    {
        foreach (var e in _logged)
        {
            into.Add(Final(e));
        }
    }

    /// <summary>A logged engagement with the requester's id as the whole history leaves it (it rarely changes, so rarely needs a copy).</summary>
    private Engagement Final(Engagement e) => e.RequesterId == _requesterId ? e : e with { RequesterId = _requesterId };

    /// <summary>The engagement open at the end of the fold, with its metrics so far; null when none is open.</summary>
    private OpenEngagement? OpenNow() => _open is not { } o || _status == TicketStatus.Deleted
        ? null
        : new OpenEngagement
        {
            EngagementId = o.Id,
            TicketId = _interactionId,
            AgentId = o.Agent,
            GroupId = o.GroupId,
            RequesterId = _requesterId,
            OfferTimeSeconds = o.OfferTime,
            AssignmentToFirstReplyTimeSeconds = o.StartInBusinessHours && o.FirstMessageMs is { } first ? Time.Seconds(o.StartMs, first) : null,
            AgentMessagesCount = o.AgentMessages,
            AgentRepliesCount = o.Replies,
            TotalRequesterWaitTimeSeconds = o.TotalWait,
            LongestRequesterWaitTimeSeconds = o.LongestWait,
            Channel = _channel,
            StartReason = o.Reason,
            StartMs = o.StartMs,
            StatusStart = o.StatusStart,
            AverageRequesterWaitTimeSeconds = o.Replies > 0 ? Time.DivRoundHalfAwayFromZero(o.TotalWait, o.Replies) : null,
            EndUserMessagesCount = o.EndUserMessages,
        };

    /// <summary>The interaction record as <see cref="Result"/> gives it; null when deleted or never created.</summary>
    internal InteractionRecord? Record()
    {
        if (!_created || _status == TicketStatus.Deleted)
        {
            return null;
        }

        long? endMs = _ended ? _endedMs : _status is TicketStatus.Solved or TicketStatus.Closed ? _solvedMs : null;
        long? waiting = _firstHumanAssignMs is { } first ? Time.Seconds(_startMs, first)
            : endMs is { } end ? Time.Seconds(_startMs, end)
            : null;
        var status = _ended
            ? _outcome switch
            {
                Outcome.Missed => "MISSED",
                Outcome.Abandoned => "ABANDONED",
                Outcome.Voicemail => "VOICEMAIL",
                _ => _channel == Channel.Voice && _lastHuman is null ? "MISSED" : "FINISHED",
            }
            : _status is TicketStatus.Solved or TicketStatus.Closed ? "FINISHED"
            : _assignee is not null ? "ASSIGNED"
            : "OFFERED";
        return new InteractionRecord
        {
            InteractionId = _interactionId,
            WaitingTime = waiting,
            StartMs = _startMs,
            EndMs = endMs,
            Duration = endMs is { } e ? Time.Seconds(_startMs, e) : null,
            Channel = _channel,
            Status = status,
            Direction = _direction,
            AgentType = _lastHuman is not null ? "USER" : _lastBot is not null ? "VIRTUAL_AGENT" : "",
            AgentId = _lastHuman ?? _lastBot ?? "",
            Groups = !string.IsNullOrEmpty(_groupName) ? _groupName : _groupId ?? "",
            ExternalId = _externalId ?? "",
            Name = _requesterName ?? "",
            Contact = _requesterContact ?? "",
            ContactId = _requesterId ?? "",
            DispositionName = _disposition ?? "",
            Notes = _notes ?? "",
            TranscriptionRecording = _recordingUrl ?? _transcriptUrl ?? "",
        };
    }
}

/// <summary>What one interaction derives.</summary>
/// <param name="Record">The interaction record, or null when the interaction is deleted or never created.</param>
/// <param name="Engagements">The logged engagements, in the order they ended.</param>
/// <param name="InactivityDeadlineMs">When the open engagement will end by inactivity, if it can.</param>
/// <param name="Open">The engagement still open at <c>now</c>, if any.</param>
/// <param name="GroupId">
/// The interaction's group id as its events leave it (the record's <c>groups</c> prefers the name): the "now" view
/// (SPEC §9) filters waiting interactions by it.
/// </param>
public sealed record InteractionResult(InteractionRecord? Record, IReadOnlyList<Engagement> Engagements, long? InactivityDeadlineMs, OpenEngagement? Open = null, string? GroupId = null);
