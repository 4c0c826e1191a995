using System.Globalization;
using OmniReport.Core.Events;
using Events = OmniReport.Core.Events;

namespace OmniReport.Generation;

/// <summary>
/// Writes the events of one interaction at a time, following a story picked by weight for its kind. The
/// first interactions go through every story of every kind in the mix once, so that even a short run
/// derives every start reason, end reason and interaction status.
/// </summary>
internal sealed partial class StoryWriter
{
    private const long Second = 1000;
    private const long Minute = 60 * Second;
    private const long Hour = 60 * Minute;

    private static readonly string[] FirstNames =
        ["Ana", "Luis", "Ines", "Tiago", "Sofia", "Pedro", "Maria", "João", "Zoë", "Chen", "Aisha", "Olivia", "Noah", "Mateo", "Yuki", "Fatima", "Liam", "Emma", "Ravi", "Ingrid"];

    private static readonly string[] LastNames =
        ["Silva", "Santos", "Ferreira", "Costa", "Müller", "García", "Smith", "Nguyen", "Kowalski", "O'Brien", "Rossi", "Tanaka", "Haddad", "Jensen", "Okafor", "Dubois"];

    private static readonly string[] GroupNames =
        ["Tier 1", "Tier 2", "Billing", "Sales", "Returns", "VIP", "Technical", "Onboarding"];

    private static readonly string[] Dispositions = ["resolved", "callback", "escalated", "wrong number", "sale"];

    private readonly GeneratorOptions _options;
    private readonly Xoshiro256 _random;
    private readonly (string Id, string Name)[] _agents;
    private readonly (string Id, string Name)[] _bots = [("bot-1", "Answer Bot"), ("bot-2", "Order Helper")];
    private readonly (string Id, string Name)[] _groups;
    private readonly int _customers;
    private readonly List<(InteractionKind Kind, int Story)> _coverage = [];
    private readonly List<SyntheticEvent> _events = [];

    private string _interactionId = "";
    private int _number;
    private long _t;

    public StoryWriter(GeneratorOptions options, int interactions, Xoshiro256 random)
    {
        _options = options;
        _random = random;
        _agents = new (string, string)[options.Agents];
        for (var i = 0; i < _agents.Length; i++)
        {
            // Mostly numeric ids; every tenth agent has a 24-digit hexadecimal id, as some platforms give.
            var id = i % 10 == 7
                ? $"{random.NextULong():x16}{(uint)random.NextULong():x8}"
                : (9001 + i).ToString(CultureInfo.InvariantCulture);
            _agents[i] = (id, $"{FirstNames[i % FirstNames.Length]} {LastNames[(i / FirstNames.Length + i) % LastNames.Length]}");
        }

        _groups = new (string, string)[options.Groups];
        for (var i = 0; i < _groups.Length; i++)
        {
            var name = i < GroupNames.Length ? GroupNames[i] : $"Group {i + 1}";
            _groups[i] = ((10 * (i + 1)).ToString(CultureInfo.InvariantCulture), name);
        }

        _customers = Math.Max(10, interactions * 2 / 3); // returning customers share a requester id
        foreach (var kind in options.Mix.Kinds)
        {
            for (var s = 0; s < StoryWeights(kind).Length; s++)
            {
                _coverage.Add((kind, s));
            }
        }
    }

    /// <summary>The events of interaction number <paramref name="index"/>, starting at <paramref name="startMs"/>, in time order.</summary>
    public List<SyntheticEvent> Write(int index, long startMs)
    {
        _events.Clear();
        _number = 0;
        _t = startMs;
        var (kind, story) = index < _coverage.Count ? _coverage[index] : Pick();
        _interactionId = kind == InteractionKind.Voice
            ? $"CA{_random.NextULong():x16}" // call ids are not numeric on many voice platforms
            : (100_001 + index).ToString(CultureInfo.InvariantCulture);
        switch (kind)
        {
            case InteractionKind.Email:
                Email(story);
                break;
            case InteractionKind.Voice:
                Voice(story);
                break;
            case InteractionKind.BotOnly:
                BotOnly(story);
                break;
            default:
                Conversation(kind, story);
                break;
        }

        return _events;
    }

    private (InteractionKind, int) Pick()
    {
        var kind = _options.Mix.Pick(_random.NextDouble());
        var weights = StoryWeights(kind);
        var x = _random.NextDouble() * weights.Sum();
        for (var i = 0; i < weights.Length; i++)
        {
            x -= weights[i];
            if (x < 0)
            {
                return (kind, i);
            }
        }

        return (kind, 0);
    }

    // ---- building blocks ----

    private SyntheticEvent Add(EventType type)
    {
        var e = new SyntheticEvent { InteractionId = _interactionId, Number = ++_number, Type = type, OccurredAtMs = _t };
        _events.Add(e);
        return e;
    }

    /// <summary>Moves the clock on by a uniform time between the bounds (milliseconds precise).</summary>
    private void Wait(long minMs, long maxMs) => _t += _random.Between(minMs, maxMs);

    private (string Id, string Name) Agent() => _agents[_random.Next(_agents.Length)];

    private (string Id, string Name) OtherAgent(string than)
    {
        while (true)
        {
            var a = Agent();
            if (a.Id != than)
            {
                return a;
            }
        }
    }

    private (string Id, string Name) Group() => _groups[_random.Next(_groups.Length)];

    private SyntheticEvent Created(Events.Channel channel, Direction direction = Direction.Inbound)
    {
        var e = Add(EventType.InteractionCreated);
        e.Channel = channel;
        if (direction == Direction.Outbound)
        {
            e.Direction = direction;
        }

        var customer = _random.Next(_customers);
        var first = FirstNames[customer % FirstNames.Length];
        var last = LastNames[customer / FirstNames.Length % LastNames.Length];
        var contact = channel switch
        {
            Events.Channel.Email => $"{first.ToLowerInvariant()}.{customer}@example.com",
            Events.Channel.Voice or Events.Channel.Sms or Events.Channel.WhatsApp => $"+3519{customer:D8}",
            Events.Channel.Social => $"https://social.example/@{first.ToLowerInvariant()}{customer}",
            _ => $"https://shop.example/account/{customer}",
        };
        e.Requester = ((500_001 + customer).ToString(CultureInfo.InvariantCulture), $"{first} {last}", contact);
        var (groupId, groupName) = Group();
        e.GroupId = groupId;
        e.GroupName = groupName;
        if (_random.Chance(0.3))
        {
            e.ExternalId = $"ORD-{_random.Next(1_000_000):D6}";
        }

        return e;
    }

    private void EndUser() => Add(EventType.MessageCreated).AuthorType = AuthorType.EndUser;

    private void AgentMessage((string Id, string Name) agent, bool note = false)
    {
        var e = Add(EventType.MessageCreated);
        e.AuthorType = AuthorType.Agent;
        e.AgentId = agent.Id;
        e.Internal = note;
        if (_random.Chance(0.2))
        {
            e.AgentName = agent.Name;
        }
    }

    private void Bot((string Id, string Name) bot)
    {
        var e = Add(EventType.MessageCreated);
        e.AuthorType = AuthorType.Bot;
        e.AgentId = bot.Id;
        e.AgentName = bot.Name;
    }

    private void AgentEvent(EventType type, (string Id, string Name) agent, bool named = true)
    {
        var e = Add(type);
        e.AgentId = agent.Id;
        if (named)
        {
            e.AgentName = agent.Name;
        }
    }

    /// <summary>Routing offers the interaction until an agent accepts; sometimes an offer is declined or expires first.</summary>
    private (string Id, string Name) Route(long ringMs = 25 * Second)
    {
        var agent = Agent();
        AgentEvent(EventType.OfferCreated, agent);
        var roll = _random.NextDouble();
        if (roll < 0.25)
        {
            var expires = roll < 0.1;
            Wait(expires ? ringMs : 2 * Second, expires ? ringMs + 5 * Second : 15 * Second);
            AgentEvent(expires ? EventType.OfferExpired : EventType.OfferDeclined, agent, named: false);
            agent = OtherAgent(agent.Id);
            Wait(500, 10 * Second);
            AgentEvent(EventType.OfferCreated, agent);
        }

        Wait(2 * Second, 20 * Second);
        AgentEvent(EventType.OfferAccepted, agent, named: false);
        return agent;
    }

    private void Assign((string Id, string Name)? agent, AssignmentVia via, bool withGroup = false)
    {
        var e = Add(EventType.AssignmentChanged);
        if (agent is { } a)
        {
            e.AgentId = a.Id;
            e.AgentName = a.Name;
            e.Via = via;
        }
        else
        {
            e.Unassign = true;
        }

        if (withGroup)
        {
            (e.GroupId, e.GroupName) = Group();
        }
    }

    private void Transfer((string Id, string Name) from, (string Id, string Name)? to, (string Id, string Name)? group)
    {
        var e = Add(EventType.TransferCreated);
        e.FromAgentId = from.Id;
        if (to is { } a)
        {
            e.AgentId = a.Id;
            e.AgentName = a.Name;
        }

        if (group is { } g)
        {
            (e.GroupId, e.GroupName) = g;
        }
    }

    private void Status(TicketStatus status) => Add(EventType.StatusChanged).Status = status;

    private void ConversationEnded((string Id, string Name) agent) => Add(EventType.ConversationEnded).AgentId = agent.Id;

    private void Ended(Outcome outcome)
    {
        var e = Add(EventType.InteractionEnded);
        if (outcome != Outcome.Completed || _random.Chance(0.5))
        {
            e.Outcome = outcome;
        }
    }

    /// <summary>Agent and end user take turns (ending with the end user's line), with the odd internal note.</summary>
    private void Exchange((string Id, string Name) agent, int minTurns, int maxTurns, long replyMs = 90 * Second, long answerMs = 150 * Second)
    {
        var turns = (int)_random.Between(minTurns, maxTurns);
        for (var i = 0; i < turns; i++)
        {
            Wait(3 * Second, replyMs);
            AgentMessage(agent);
            if (_random.Chance(0.08))
            {
                Wait(1 * Second, 30 * Second);
                AgentMessage(agent, note: true);
            }

            Wait(5 * Second, answerMs);
            EndUser();
        }
    }
}
