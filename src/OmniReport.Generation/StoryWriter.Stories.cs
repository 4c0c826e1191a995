using OmniReport.Core.Events;
using Events = OmniReport.Core.Events;

namespace OmniReport.Generation;

internal sealed partial class StoryWriter
{
    // Weights of the stories of each kind, in the order of the switch that writes them.
    private static readonly double[] ConversationStories = [30, 14, 10, 6, 6, 5, 3, 5, 4, 1, 4, 2, 3];
    private static readonly double[] EmailStories = [30, 12, 10, 12, 6, 8, 4, 3];
    private static readonly double[] VoiceStories = [45, 8, 6, 4, 8, 3, 8, 4, 8, 1, 2];
    private static readonly double[] BotStories = [60, 25, 15];

    private static double[] StoryWeights(InteractionKind kind) => kind switch
    {
        InteractionKind.Email => EmailStories,
        InteractionKind.Voice => VoiceStories,
        InteractionKind.BotOnly => BotStories,
        _ => ConversationStories,
    };

    private static Events.Channel ChannelOf(InteractionKind kind) => kind switch
    {
        InteractionKind.Chat => Events.Channel.Chat,
        InteractionKind.Sms => Events.Channel.Sms,
        InteractionKind.WhatsApp => Events.Channel.WhatsApp,
        InteractionKind.Social => Events.Channel.Social,
        _ => Events.Channel.Messaging,
    };

    /// <summary>Messaging, chat, SMS, WhatsApp and social: conversations, where inactivity matters.</summary>
    private void Conversation(InteractionKind kind, int story)
    {
        Created(ChannelOf(kind));
        Wait(200, 3 * Second);
        EndUser();
        if (_random.Chance(0.3))
        {
            Wait(1 * Second, 3 * Second);
            Bot(_bots[_random.Next(_bots.Length)]);
            Wait(5 * Second, 40 * Second);
            EndUser();
        }

        Wait(1 * Second, 60 * Second);
        switch (story)
        {
            case 0: // routed, answered, solved
            {
                var a = Route();
                Exchange(a, 1, 5);
                Closing(a);
                Status(TicketStatus.Solved);
                break;
            }

            case 1: // the agent ends the conversation
            {
                var a = Route();
                Exchange(a, 1, 4);
                Closing(a);
                ConversationEnded(a);
                Wait(1 * Second, 30 * Second);
                Status(TicketStatus.Solved);
                break;
            }

            case 2: // the end user goes quiet: inactivity ends the engagement; they come back, a new one starts
            {
                var a = Route();
                Exchange(a, 1, 3);
                Wait(3 * Second, 60 * Second);
                AgentMessage(a);
                Wait(11 * Minute, 90 * Minute);
                if (_random.Chance(0.7))
                {
                    EndUser();
                    Exchange(a, 1, 2);
                    Closing(a);
                }

                ConversationEnded(a);
                Wait(1 * Second, 30 * Second);
                Status(TicketStatus.Solved);
                break;
            }

            case 3: // transfer to another agent
            {
                var a = Route();
                Exchange(a, 1, 2);
                Wait(5 * Second, 40 * Second);
                var b = OtherAgent(a.Id);
                Transfer(a, b, _random.Chance(0.3) ? Group() : null);
                Exchange(b, 1, 3);
                Closing(b);
                ConversationEnded(b);
                break;
            }

            case 4: // transfer to a group: routing offers it again
            {
                var a = Route();
                Exchange(a, 1, 2);
                Wait(5 * Second, 40 * Second);
                Transfer(a, null, Group());
                Wait(5 * Second, 90 * Second);
                var b = Route();
                Exchange(b, 1, 3);
                Closing(b);
                Status(TicketStatus.Solved);
                break;
            }

            case 5: // a supervisor reassigns it by hand
            {
                var a = Route();
                Exchange(a, 1, 2);
                Wait(10 * Second, 60 * Second);
                var b = OtherAgent(a.Id);
                Assign(b, AssignmentVia.Manual, withGroup: _random.Chance(0.3));
                Exchange(b, 1, 3);
                Closing(b);
                Status(TicketStatus.Solved);
                break;
            }

            case 6: // unassigned, back to the queue, routed again
            {
                var a = Route();
                Exchange(a, 1, 2);
                Wait(10 * Second, 60 * Second);
                Assign(null, AssignmentVia.Manual);
                Wait(20 * Second, 3 * Minute);
                EndUser();
                Wait(5 * Second, 60 * Second);
                var b = Route();
                Exchange(b, 1, 2);
                Closing(b);
                ConversationEnded(b);
                break;
            }

            case 7: // pending while the end user checks something; they answer and the agent reopens it
            {
                var a = Route();
                Exchange(a, 1, 2);
                Closing(a);
                Status(_random.Chance(0.7) ? TicketStatus.Pending : TicketStatus.OnHold);
                Wait(30 * Minute, 5 * Hour);
                EndUser();
                Wait(5 * Second, 60 * Second);
                Status(TicketStatus.Open);
                Exchange(a, 1, 2);
                Closing(a);
                Status(TicketStatus.Solved);
                break;
            }

            case 8: // the platform ends the interaction
            {
                var a = Route();
                Exchange(a, 1, 3);
                Closing(a);
                Ended(Outcome.Completed);
                break;
            }

            case 9: // spam: deleted
            {
                var a = Route();
                Closing(a);
                Wait(5 * Second, 60 * Second);
                Status(TicketStatus.Deleted);
                break;
            }

            case 10: // the end user leaves before anyone answers
                AgentEvent(EventType.OfferCreated, Agent());
                Wait(1 * Minute, 10 * Minute);
                Ended(Outcome.Abandoned);
                break;
            case 11: // still in the queue
                AgentEvent(EventType.OfferCreated, Agent());
                break;
            default: // still chatting
                Exchange(Route(), 1, 3);
                break;
        }
    }

    /// <summary>E-mail: slower, status-driven, always active.</summary>
    private void Email(int story)
    {
        Created(Events.Channel.Email);
        Wait(100, 2 * Second);
        EndUser();
        Wait(2 * Minute, 3 * Hour);
        var a = EmailAssign();
        Wait(5 * Minute, 2 * Hour);
        AgentMessage(a);
        if (_random.Chance(0.15))
        {
            Wait(10 * Second, 5 * Minute);
            AgentMessage(a, note: true);
        }

        Wait(10 * Second, 2 * Minute);
        switch (story)
        {
            case 0: // waits for the customer, who answers; reopened, solved, later closed
                Status(TicketStatus.Pending);
                Wait(1 * Hour, 30 * Hour);
                EndUser();
                Wait(1 * Minute, 30 * Minute);
                Status(TicketStatus.Open);
                Wait(5 * Minute, 3 * Hour);
                AgentMessage(a);
                Wait(10 * Second, 2 * Minute);
                Status(TicketStatus.Solved);
                if (_random.Chance(0.3))
                {
                    Wait(4 * Hour, 30 * Hour);
                    Status(TicketStatus.Closed);
                }

                break;
            case 1: // on hold for a third party
                Status(TicketStatus.OnHold);
                Wait(1 * Hour, 20 * Hour);
                Status(TicketStatus.Open);
                Wait(5 * Minute, 1 * Hour);
                AgentMessage(a);
                Wait(10 * Second, 2 * Minute);
                Status(TicketStatus.Solved);
                break;
            case 2: // solved, the customer writes again: reopened
                Status(TicketStatus.Solved);
                Wait(2 * Hour, 30 * Hour);
                EndUser();
                Wait(1 * Minute, 1 * Hour);
                Status(TicketStatus.Open);
                Wait(5 * Minute, 2 * Hour);
                AgentMessage(a);
                Wait(10 * Second, 2 * Minute);
                Status(TicketStatus.Solved);
                break;
            case 3: // solved at once
                Status(TicketStatus.Solved);
                break;
            case 4: // handed to a colleague
            {
                var b = OtherAgent(a.Id);
                if (_random.Chance(0.5))
                {
                    Assign(b, AssignmentVia.Manual, withGroup: true);
                }
                else
                {
                    Transfer(a, b, null);
                }

                Wait(10 * Minute, 3 * Hour);
                AgentMessage(b);
                Wait(10 * Second, 2 * Minute);
                Status(TicketStatus.Solved);
                break;
            }

            case 5: // still waiting for the customer
                Status(TicketStatus.Pending);
                break;
            case 6: // still being worked on
                break;
            default: // taken off the agent and left in a group queue
                if (_random.Chance(0.5))
                {
                    Assign(null, AssignmentVia.Manual, withGroup: true);
                }
                else
                {
                    Transfer(a, null, Group());
                }

                break;
        }
    }

    private (string Id, string Name) EmailAssign()
    {
        var roll = _random.NextDouble();
        if (roll < 0.35)
        {
            return Route(ringMs: 2 * Minute);
        }

        var a = Agent();
        Assign(a, roll < 0.6 ? AssignmentVia.Routing : roll < 0.8 ? AssignmentVia.SoleAgent : AssignmentVia.Manual, withGroup: _random.Chance(0.2));
        return a;
    }

    /// <summary>Voice: calls that ring, are answered, transferred, missed, abandoned or go to voicemail.</summary>
    private void Voice(int story)
    {
        var outbound = story == 7;
        Created(Events.Channel.Voice, outbound ? Direction.Outbound : Direction.Inbound);
        Wait(1 * Second, outbound ? 2 * Second : 40 * Second);
        switch (story)
        {
            case 0: // answered
                Talk(Route());
                Ended(Outcome.Completed);
                AfterCall();
                break;
            case 1: // transferred to a colleague
            {
                var a = Route();
                Talk(a);
                var b = OtherAgent(a.Id);
                Transfer(a, b, null);
                Talk(b);
                Ended(Outcome.Completed);
                AfterCall();
                break;
            }

            case 2: // transferred to another queue
            {
                var a = Route();
                Talk(a);
                Transfer(a, null, Group());
                Wait(5 * Second, 60 * Second);
                Talk(Route());
                Ended(Outcome.Completed);
                AfterCall();
                break;
            }

            case 3: // rang and rang: missed
            {
                var a = Agent();
                AgentEvent(EventType.OfferCreated, a);
                Wait(20 * Second, 30 * Second);
                AgentEvent(EventType.OfferExpired, a, named: false);
                Wait(1 * Second, 20 * Second);
                Ended(_random.Chance(0.5) ? Outcome.Missed : Outcome.Completed);
                break;
            }

            case 4: // the caller hangs up in the queue
                Wait(5 * Second, 3 * Minute);
                Ended(Outcome.Abandoned);
                break;
            case 5: // declined, then nobody: the caller hangs up
            {
                var a = Agent();
                AgentEvent(EventType.OfferCreated, a);
                Wait(2 * Second, 10 * Second);
                AgentEvent(EventType.OfferDeclined, a, named: false);
                Wait(10 * Second, 2 * Minute);
                Ended(Outcome.Abandoned);
                break;
            }

            case 6: // nobody free: voicemail
            {
                var a = Agent();
                AgentEvent(EventType.OfferCreated, a);
                Wait(20 * Second, 30 * Second);
                AgentEvent(EventType.OfferExpired, a, named: false);
                Wait(20 * Second, 2 * Minute);
                Ended(Outcome.Voicemail);
                Wait(1 * Second, 10 * Second);
                Add(EventType.InteractionUpdated).RecordingUrl = $"https://recordings.example/{_interactionId}.mp3";
                break;
            }

            case 7: // an outbound call an agent places
            {
                var a = Agent();
                Assign(a, AssignmentVia.Manual);
                Talk(a);
                Ended(Outcome.Completed);
                AfterCall();
                break;
            }

            case 8: // a supervisor moves the call to someone else
            {
                var a = Route();
                Talk(a);
                var b = OtherAgent(a.Id);
                Assign(b, AssignmentVia.Manual);
                Talk(b);
                Ended(Outcome.Completed);
                AfterCall();
                break;
            }

            case 9: // still ringing
                AgentEvent(EventType.OfferCreated, Agent());
                break;
            default: // still on the phone
                Route();
                break;
        }
    }

    private void Talk((string Id, string Name) agent)
    {
        Wait(20 * Second, 12 * Minute);
        if (_random.Chance(0.1))
        {
            AgentMessage(agent, note: true); // a note typed during the call
            Wait(1 * Second, 30 * Second);
        }
    }

    private void AfterCall()
    {
        Wait(1 * Second, 20 * Second);
        var e = Add(EventType.InteractionUpdated);
        e.RecordingUrl = _random.Chance(0.8) ? $"https://recordings.example/{_interactionId}.mp3" : null;
        e.TranscriptUrl = _random.Chance(0.4) ? $"https://transcripts.example/{_interactionId}.txt" : null;
        e.Disposition = Dispositions[_random.Next(Dispositions.Length)];
        if (_random.Chance(0.3))
        {
            e.Notes = "Customer asked for a follow-up, \"soon\"";
        }
    }

    /// <summary>Messaging that only a bot answers.</summary>
    private void BotOnly(int story)
    {
        Created(Events.Channel.Messaging);
        var bot = _bots[_random.Next(_bots.Length)];
        var turns = (int)_random.Between(1, 4);
        for (var i = 0; i < turns; i++)
        {
            Wait(200, 40 * Second);
            EndUser();
            Wait(500, 3 * Second);
            Bot(bot);
        }

        Wait(5 * Second, 2 * Minute);
        switch (story)
        {
            case 0:
                Ended(Outcome.Completed);
                break;
            case 1:
                Status(TicketStatus.Solved);
                break;
            default:
                Ended(Outcome.Abandoned);
                break;
        }
    }

    /// <summary>The agent's last line ("anything else?"), a little after the end user's.</summary>
    private void Closing((string Id, string Name) agent)
    {
        Wait(3 * Second, 60 * Second);
        AgentMessage(agent);
        Wait(5 * Second, 60 * Second);
    }
}
