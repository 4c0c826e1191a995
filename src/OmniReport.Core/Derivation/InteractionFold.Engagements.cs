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
        _open = new Open
        {
            Id = EngagementIds.Compute(_interactionId, agent, t, k),
            Agent = agent,
            Reason = reason,
            StartMs = t,
            OfferTime = offerTime,
            StatusStart = _status,
            GroupId = _groupId,
            StartInBusinessHours = _settings.BusinessHours?.IsOpen(t) ?? true,
            WaitRunning = _endUserSinceHumanAgent,
            WaitStartMs = t,
        };
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
        if (t - o.StartMs > _settings.MaxLoggedDurationMs)
        {
            return; // §3.4: never logged
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
            // The requester's id as the whole history leaves it; it rarely changes, so rarely needs a copy.
            var e = _logged[i];
            engagements[i] = e.RequesterId == _requesterId ? e : e with { RequesterId = _requesterId };
        }

        return new InteractionResult(Record(), engagements, InactivityDeadlineMs, OpenNow(), _groupId);
    }

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

    private InteractionRecord? Record()
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
