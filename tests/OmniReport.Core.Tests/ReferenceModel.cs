using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace OmniReport.Core.Tests;

/// <summary>
/// An independent, deliberately plain reading of SPEC §3 (with docs/decisions.md where the SPEC is silent),
/// written from the text alone, to compare the engine's engagements with.
/// </summary>
internal static class ReferenceModel
{
    internal sealed record Eng(
        string EngagementId, string TicketId, string AgentId, string? GroupId, string? RequesterId, long? OfferTime, long? FirstReply,
        int AgentMessages, int Replies, long TotalWait, long? LongestWait, string Channel, string StartReason, long StartMs, long EndMs,
        string StatusStart, string StatusEnd, string EndReason, long? AverageWait, int EndUserMessages, long Duration);

    private sealed class Open
    {
        public required string Agent;
        public long Start;
        public required string Reason;
        public long? Offer;
        public required string StatusStart;
        public string? Group;
        public int AgentMessages;
        public int EndUserMessages;
        public long? WaitStart;
        public long? FirstReply;
        public readonly List<long> Waits = [];
    }

    private sealed record Pending(string Agent, string Reason, long? Offer);

    private static readonly string[] Forbidding = ["pending", "on_hold", "solved", "closed", "deleted"];
    private static readonly string[] Conversational = ["messaging", "chat", "sms", "whatsapp", "social"];

    public static List<Eng> Engagements(IEnumerable<string> lines, int windowMinutes, bool inactivityOff, int maxDays, long now, Func<long, bool>? isOpen = null)
    {
        var byInteraction = ReferenceEvents.ByInteraction(lines);

        var result = new List<Eng>();
        foreach (var (iid, events) in byInteraction)
        {
            var sorted = events.OrderBy(e => e.At).ThenBy(e => e.Seq).ToList();
            var created = sorted.FirstOrDefault(e => e.Type == "interaction.created");
            if (created is null)
            {
                continue;
            }

            result.AddRange(Fold(iid, created, sorted.Where(e => !ReferenceEquals(e, created)).ToList(), windowMinutes * 60_000L, inactivityOff, maxDays * 86_400_000L, now, isOpen ?? (_ => true)));
        }

        return result;
    }

    private static List<Eng> Fold(string iid, RefEvent created, List<RefEvent> rest, long window, bool inactivityOff, long maxMs, long now, Func<long, bool> isOpen)
    {
        var channel = created.S("channel")!;
        var conversational = Conversational.Contains(channel);
        var status = created.S("status") ?? "new";
        var everClosed = status == "closed";
        string? groupId = null;
        string? requesterId = null;
        string? assignee = null;
        var ended = false;
        long? lastEndUser = null;
        var endUserSinceHuman = false;
        var offers = new Dictionary<string, long>();
        Open? open = null;
        Pending? pending = null;
        var done = new List<(Open O, long End, string Reason, string StatusEnd)>();

        Group(created.J, "group_id");
        Requester(created.J);

        foreach (var e in rest)
        {
            var t = e.At;
            if (open is not null && conversational && !inactivityOff && lastEndUser is { } last && last + window <= t)
            {
                var endAt = last + window;
                var carried = open;
                End(endAt, "Inactivity timeout");
                pending = new Pending(carried.Agent, carried.Reason, null);
            }

            switch (e.Type)
            {
                case "message.created":
                    if (e.J["public"]?.GetValue<bool>() == false)
                    {
                        break;
                    }

                    switch (e.S("author_type"))
                    {
                        case "end_user":
                            lastEndUser = t;
                            endUserSinceHuman = true;
                            if (open is not null)
                            {
                                open.EndUserMessages++;
                                open.WaitStart ??= t;
                            }
                            else if (pending is not null && pending.Agent == assignee && !Forbidding.Contains(status) && !ended)
                            {
                                Start(pending.Agent, pending.Reason, pending.Offer, t);
                                open!.EndUserMessages = 1;
                            }

                            break;
                        case "agent":
                            endUserSinceHuman = false;
                            if (open is not null && open.Agent == e.S("author_id"))
                            {
                                open.AgentMessages++;
                                open.FirstReply ??= ReferenceEvents.Sec(open.Start, t);
                                if (open.WaitStart is { } w)
                                {
                                    open.Waits.Add(ReferenceEvents.Sec(w, t));
                                    open.WaitStart = null;
                                }
                            }

                            break;
                        default:
                            break;
                    }

                    break;
                case "offer.created":
                    offers[e.S("agent_id")!] = t;
                    break;
                case "offer.accepted":
                {
                    var a = e.S("agent_id")!;
                    MakeAssignee(a, "Routing assignment accepted", offers.TryGetValue(a, out var o) ? ReferenceEvents.Sec(o, t) : null, t);
                    break;
                }

                case "assignment.changed":
                {
                    Group(e.J, "group_id");
                    var a = e.S("agent_id");
                    if (a is null)
                    {
                        if (open is not null)
                        {
                            End(t, "Removed");
                        }

                        assignee = null;
                        pending = null;
                    }
                    else
                    {
                        var reason = (e.S("via") ?? "manual") switch
                        {
                            "routing" => "Routing assignment accepted",
                            "sole_agent" => "Assigned",
                            _ => "Manual assignment",
                        };
                        MakeAssignee(a, reason, null, t);
                    }

                    break;
                }

                case "transfer.created":
                {
                    if (open is not null)
                    {
                        End(t, "Transferred");
                    }

                    Group(e.J, "to_group_id");
                    pending = null;
                    assignee = e.S("to_agent_id");
                    if (assignee is not null)
                    {
                        Trigger(assignee, "Transferred", null, t);
                    }

                    break;
                }

                case "status.changed":
                {
                    var s = e.S("status")!;
                    if (everClosed && s != "deleted")
                    {
                        break; // "Once closed, only a change to deleted takes effect": from then on, for good.
                    }

                    everClosed |= s == "closed";

                    var previous = status;
                    status = s;
                    if (open is not null)
                    {
                        var reason = s switch
                        {
                            "pending" or "on_hold" => "Ticket status updated - Pending/On Hold",
                            "solved" or "closed" => "Ticket status updated - Solved",
                            "deleted" => "Removed",
                            _ => null,
                        };
                        if (reason is not null)
                        {
                            End(t, reason);
                        }
                    }

                    if (s == "open" && previous is "pending" or "on_hold" or "solved" && assignee is not null)
                    {
                        Trigger(assignee, "Reopened", null, t);
                    }

                    break;
                }

                case "conversation.ended":
                    if (open is not null)
                    {
                        End(t, "Agent closed conversation");
                    }

                    pending = null;
                    break;
                case "interaction.ended":
                    ended = true;
                    if (open is not null)
                    {
                        End(t, "Interaction ended");
                    }

                    pending = null;
                    break;
                case "interaction.updated":
                    Group(e.J, "group_id");
                    Requester(e.J);
                    break;
                default:
                    break;
            }
        }

        if (open is not null && conversational && !inactivityOff && lastEndUser is { } final && final + window <= now)
        {
            End(final + window, "Inactivity timeout");
        }

        var list = new List<Eng>();
        var starts = new Dictionary<(string, long), int>();
        foreach (var (o, end, reason, statusEnd) in done)
        {
            var k = starts.GetValueOrDefault((o.Agent, o.Start));
            starts[(o.Agent, o.Start)] = k + 1;
            if (end - o.Start > maxMs)
            {
                continue;
            }

            var text = $"{iid}\n{o.Agent}\n{o.Start}" + (k > 0 ? $"\n{k}" : "");
            var id = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32];
            var replies = o.Waits.Count;
            var total = o.Waits.Sum();
            list.Add(new Eng(id, iid, o.Agent, o.Group, requesterId, o.Offer, isOpen(o.Start) ? o.FirstReply : null, o.AgentMessages, replies, total,
                replies == 0 ? null : o.Waits.Max(), channel, o.Reason, o.Start, end, o.StatusStart, statusEnd, reason,
                replies == 0 ? null : (long)Math.Round((double)total / replies, MidpointRounding.AwayFromZero), o.EndUserMessages, ReferenceEvents.Sec(o.Start, end)));
        }

        return list;

        void MakeAssignee(string a, string reason, long? offer, long t)
        {
            if (assignee == a)
            {
                if (open is null)
                {
                    Trigger(a, reason, offer, t);
                }

                return;
            }

            if (open is not null)
            {
                End(t, "Manual reassignment");
            }

            pending = null;
            assignee = a;
            Trigger(a, reason, offer, t);
        }

        void Trigger(string a, string reason, long? offer, long t)
        {
            if (Forbidding.Contains(status) || ended)
            {
                return;
            }

            var active = !conversational || (lastEndUser is { } l && l > t - window && l <= t);
            if (active)
            {
                Start(a, reason, offer, t);
            }
            else
            {
                pending = new Pending(a, reason, offer);
            }
        }

        void Start(string a, string reason, long? offer, long t)
        {
            pending = null;
            open = new Open
            {
                Agent = a, Start = t, Reason = reason, Offer = offer, StatusStart = status, Group = groupId,
                WaitStart = endUserSinceHuman ? t : null,
            };
        }

        void End(long t, string reason)
        {
            done.Add((open!, t, reason, status));
            open = null;
            pending = null;
        }

        void Group(JsonObject j, string idKey)
        {
            if (j[idKey] is JsonValue v && v.TryGetValue<string>(out var g))
            {
                groupId = g;
            }
        }

        void Requester(JsonObject j)
        {
            if (j["requester"] is JsonObject r && r["id"] is JsonValue v && v.TryGetValue<string>(out var id))
            {
                requesterId = id;
            }
        }
    }
}
