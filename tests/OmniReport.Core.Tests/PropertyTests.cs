using System.Globalization;
using System.Text.Json.Nodes;
using OmniReport.Core.Derivation;
using OmniReport.Core.Events;
using OmniReport.Core.Reports;
using OmniReport.TestSupport;

namespace OmniReport.Core.Tests;

/// <summary>
/// Random event streams (seeded System.Random): the fold never throws, gives the same records in any arrival
/// order (duplicates included), and keeps the invariants the SPEC implies.
/// </summary>
public sealed class PropertyTests
{
    private const int Seeds = 300;
    private static readonly string[] Channels = ["messaging", "chat", "email", "voice", "sms", "whatsapp", "social"];
    private static readonly string[] Agents = ["7", "8", "a-9"];
    private static readonly string[] Bots = ["b1", "b2"];
    private static readonly string[] Statuses = ["new", "open", "open", "pending", "on_hold", "solved", "solved", "closed", "deleted"];
    private static readonly string[] Vias = ["routing", "sole_agent", "manual", ""];
    private static readonly string[] Outcomes = ["completed", "missed", "abandoned", "voicemail", ""];

    /// <summary>One random account: its events (distinct times, so arrival order never breaks a tie), settings and now.</summary>
    internal sealed record Stream(List<string> Lines, string Settings, string Now, bool EventsBeforeCreated, int MaxDays);

    internal static Stream Generate(int seed)
    {
        var rng = new Random(seed);
        var used = new HashSet<long>();
        var lines = new List<string>();
        var n = 0;
        var before = false;
        var start = EventLog.Ms("2026-03-02T08:00:00Z");
        long last = start;
        var interactions = rng.Next(1, 4);
        for (var i = 0; i < interactions; i++)
        {
            var iid = rng.Next(2) == 0 ? (100 + i).ToString(CultureInfo.InvariantCulture) : $"conv-{i}";
            var channel = Channels[rng.Next(Channels.Length)];
            var t = start + rng.Next(0, 3_600_000);
            t = Unique(t);
            var created = t;
            var created0 = Event("interaction.created", t, iid);
            created0["channel"] = channel;
            if (rng.Next(3) == 0)
            {
                created0["group_id"] = $"g{rng.Next(3)}";
            }

            if (rng.Next(2) == 0)
            {
                created0["requester"] = new JsonObject { ["id"] = $"{500 + rng.Next(3)}", ["name"] = "Req" };
            }

            if (rng.Next(4) == 0)
            {
                created0["group_name"] = rng.Next(3) == 0 ? "" : $"Group {rng.Next(3)}";
            }

            if (rng.Next(4) == 0)
            {
                created0["direction"] = rng.Next(2) == 0 ? "outbound" : "inbound";
                created0["external_id"] = $"x{rng.Next(9)}";
            }

            if (rng.Next(8) == 0)
            {
                created0["status"] = Statuses[rng.Next(Statuses.Length - 1)];
            }

            lines.Add(created0.ToJsonString());
            var count = rng.Next(0, 45);
            for (var k = 0; k < count; k++)
            {
                t += rng.Next(6) switch
                {
                    0 => rng.Next(1, 1000),
                    1 or 2 => rng.Next(1000, 120_000),
                    3 => rng.Next(120_000, 900_000),
                    4 => rng.Next(1, 3) == 1 ? 600_000 : 599_999,
                    _ => rng.Next(900_000, 4 * 3_600_000),
                };
                var at = t;
                if (rng.Next(40) == 0)
                {
                    at = created - rng.Next(1, 600_000); // an event dated before the interaction.created
                    before = true;
                }

                at = Unique(at);
                t = Math.Max(t, at);
                lines.Add(RandomEvent(rng, iid, at).ToJsonString());
            }

            if (rng.Next(10) == 0)
            {
                lines.Add(Event("interaction.created", Unique(created + rng.Next(1, 100_000)), iid, ("channel", Channels[rng.Next(Channels.Length)])).ToJsonString());
            }

            last = Math.Max(last, t);
        }

        var maxDays = rng.Next(4) == 0 ? 1 : 14;
        var settings = new JsonObject
        {
            ["inactivity_timeout_minutes"] = new[] { 1, 5, 10, 30 }[rng.Next(4)],
            ["messaging_activity_routing"] = rng.Next(6) == 0,
            ["inactive_conversations_count_toward_capacity"] = rng.Next(6) == 0,
            ["open_engagement_max_days"] = maxDays,
        };
        if (rng.Next(4) == 0)
        {
            settings["business_hours"] = JsonNode.Parse("""{"timezone": "Europe/Lisbon", "weekly": [{"day": "mon", "start": "09:00", "end": "17:00"}, {"day": "tue", "start": "08:00", "end": "24:00"}, {"day": "wed", "start": "00:00", "end": "24:00"}], "holidays": ["2026-03-04"]}""");
        }

        var now = rng.Next(3) == 0 ? start + (long)(rng.NextDouble() * (last - start + 1)) : EventLog.Ms(EventLog.Later);
        return new Stream(lines, settings.ToJsonString(), DateTimeOffset.FromUnixTimeMilliseconds(now).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture), before, maxDays);

        long Unique(long x)
        {
            while (!used.Add(x))
            {
                x++;
            }

            return x;
        }

        JsonObject Event(string type, long at, string iid, params (string Key, JsonNode? Value)[] fields)
        {
            var e = new JsonObject
            {
                ["id"] = $"s{seed}-{n++}",
                ["type"] = type,
                ["occurred_at"] = DateTimeOffset.FromUnixTimeMilliseconds(at).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
                ["interaction_id"] = iid,
            };
            foreach (var (k, v) in fields)
            {
                e[k] = v;
            }

            return e;
        }

        JsonObject RandomEvent(Random r, string iid, long at)
        {
            var agent = Agents[r.Next(Agents.Length)];
            JsonObject e;
            switch (r.Next(20))
            {
                case 0 or 1 or 2 or 3 or 4:
                    e = Event("message.created", at, iid, ("author_type", "end_user"));
                    break;
                case 5 or 6 or 7:
                    e = Event("message.created", at, iid, ("author_type", "agent"), ("author_id", agent), ("author_name", r.Next(4) == 0 ? $"Name {r.Next(5)}" : null));
                    break;
                case 8:
                    e = Event("message.created", at, iid, ("author_type", "bot"), ("author_id", Bots[r.Next(Bots.Length)]), ("author_name", $"Bot {r.Next(3)}"));
                    break;
                case 9:
                    e = Event("offer.created", at, iid, ("agent_id", agent), ("agent_name", $"Name {r.Next(5)}"));
                    break;
                case 10:
                    e = Event("offer.accepted", at, iid, ("agent_id", agent));
                    if (r.Next(3) == 0)
                    {
                        e["agent_name"] = $"Name {r.Next(5)}";
                    }

                    break;
                case 11:
                    e = Event(r.Next(2) == 0 ? "offer.declined" : "offer.expired", at, iid, ("agent_id", agent));
                    break;
                case 12 or 13:
                    e = Event("assignment.changed", at, iid, ("agent_id", r.Next(6) == 0 ? null : agent));
                    var via = Vias[r.Next(Vias.Length)];
                    if (via.Length > 0)
                    {
                        e["via"] = via;
                    }

                    if (r.Next(4) == 0)
                    {
                        e["group_id"] = $"g{r.Next(3)}";
                    }

                    if (r.Next(5) == 0)
                    {
                        e["group_name"] = $"Group {r.Next(3)}";
                    }

                    if (r.Next(3) == 0)
                    {
                        e["agent_name"] = $"Name {r.Next(5)}";
                    }

                    break;
                case 14:
                    e = r.Next(3) switch
                    {
                        0 => Event("transfer.created", at, iid, ("to_group_id", $"g{r.Next(3)}"), ("to_group_name", r.Next(2) == 0 ? null : $"Group {r.Next(3)}")),
                        1 => Event("transfer.created", at, iid, ("to_agent_id", agent), ("to_group_id", $"g{r.Next(3)}")),
                        _ => Event("transfer.created", at, iid, ("to_agent_id", agent), ("agent_name", $"Name {r.Next(5)}")),
                    };
                    break;
                case 15 or 16:
                    e = Event("status.changed", at, iid, ("status", Statuses[r.Next(r.Next(15) == 0 ? Statuses.Length : Statuses.Length - 1)]));
                    break;
                case 17:
                    e = Event("conversation.ended", at, iid, ("agent_id", agent));
                    break;
                case 18:
                    e = r.Next(4) == 0 ? Event("interaction.ended", at, iid) : Event("interaction.updated", at, iid);
                    if (e["type"]!.GetValue<string>() == "interaction.updated")
                    {
                        string[] keys = ["notes", "group_id", "group_name", "external_id", "disposition", "recording_url", "transcript_url", "requester"];
                        foreach (var key in keys.Where(_ => r.Next(3) == 0))
                        {
                            e[key] = key == "requester"
                                ? new JsonObject { [new[] { "id", "name", "contact" }[r.Next(3)]] = $"r{r.Next(4)}" }
                                : $"{key[0]}{r.Next(4)}";
                        }
                    }

                    var outcome = Outcomes[r.Next(Outcomes.Length)];
                    if (e["type"]!.GetValue<string>() == "interaction.ended" && outcome.Length > 0)
                    {
                        e["outcome"] = outcome;
                    }

                    break;
                default:
                    e = Event("message.created", at, iid, ("author_type", r.Next(2) == 0 ? "end_user" : "agent"), ("author_id", agent), ("author_name", $"Secret {r.Next(3)}"), ("public", false));
                    break;
            }

            return e;
        }
    }

    private static (Derived Derived, string Text) Run(Stream s, IEnumerable<int> order)
    {
        var d = Derived.From(order.Select(i => s.Lines[i]), s.Settings, s.Now);
        var text = d.Engagements.ToJsonString() + "\n" + d.Interactions.ToJsonString() + "\n"
            + ReportFiles.Write(d.Account, ReportType.Engagements, ReportFormat.Csv, "Europe/Lisbon")
            + ReportFiles.Write(d.Account, ReportType.Interactions, ReportFormat.Csv, "America/New_York");
        return (d, text);
    }

    [Fact]
    public void Random_streams_give_the_same_records_in_any_arrival_order_with_duplicates()
    {
        for (var seed = 0; seed < Seeds; seed++)
        {
            var s = Generate(seed);
            var rng = new Random(seed * 7919);
            var n = s.Lines.Count;
            var (_, expected) = Run(s, Enumerable.Range(0, n));
            for (var round = 0; round < 3; round++)
            {
                var order = Enumerable.Range(0, n).Concat(Enumerable.Range(0, n).Where(_ => round > 0 && rng.Next(3) == 0)).OrderBy(_ => rng.Next()).ToList();
                var (_, got) = Run(s, order);
                Assert.True(expected == got, $"seed {seed}, round {round}: records differ\n{string.Join("\n", s.Lines)}");
            }
        }
    }

    [Fact]
    public void Random_streams_keep_the_invariants()
    {
        var starts = new HashSet<string>();
        var ends = new HashSet<string>();
        var count = 0;
        for (var seed = 0; seed < Seeds; seed++)
        {
            var s = Generate(seed);
            var (d, _) = Run(s, Enumerable.Range(0, s.Lines.Count));
            count += d.Account.Engagements.Count;
            starts.UnionWith(d.Account.Engagements.Select(e => e.StartReason));
            ends.UnionWith(d.Account.Engagements.Select(e => e.EndReason));
            try
            {
                CheckInvariants(s, d);
            }
            catch (Exception ex) when (ex is Xunit.Sdk.XunitException)
            {
                throw new Xunit.Sdk.XunitException($"seed {seed}: {ex.Message}\nsettings {s.Settings} now {s.Now}\n{string.Join("\n", s.Lines)}");
            }
        }

        // The generator reaches every reason, so the invariants are checked on every kind of engagement.
        Assert.True(count > Seeds, $"only {count} engagements");
        Assert.Equal(Reasons.AllStart.Order(StringComparer.Ordinal), starts.Order(StringComparer.Ordinal));
        Assert.Equal(Reasons.AllEnd.Order(StringComparer.Ordinal), ends.Order(StringComparer.Ordinal));
    }

    private static void CheckInvariants(Stream s, Derived d)
    {
        var hasBusinessHours = s.Settings.Contains("business_hours", StringComparison.Ordinal);
        var inactivityOff = s.Settings.Contains("\"messaging_activity_routing\":true", StringComparison.Ordinal)
            || s.Settings.Contains("\"inactive_conversations_count_toward_capacity\":true", StringComparison.Ordinal);
        var records = d.Account.Interactions.ToDictionary(r => r.InteractionId);
        Assert.Equal(d.Account.Engagements.Count, d.Account.Engagements.Select(e => e.EngagementId).Distinct().Count());
        foreach (var e in d.Account.Engagements)
        {
            Assert.True(e.StartMs <= e.EndMs, "start ≤ end");
            Assert.Equal(Time.FloorDiv(e.EndMs - e.StartMs, 1000), e.EngagementDurationSeconds);
            Assert.True(e.EndMs - e.StartMs <= s.MaxDays * 86_400_000L, "logged engagements are never longer than the limit");
            Assert.True(e.AgentMessagesCount >= 0 && e.EndUserMessagesCount >= 0 && e.AgentRepliesCount >= 0, "counts are never negative");
            Assert.True(e.AgentRepliesCount <= e.AgentMessagesCount, "replies ≤ agent messages");
            Assert.Equal(e.AgentRepliesCount == 0, e.LongestRequesterWaitTimeSeconds is null);
            Assert.Equal(e.AgentRepliesCount == 0, e.AverageRequesterWaitTimeSeconds is null);
            if (e.AgentRepliesCount == 0)
            {
                Assert.Equal(0, e.TotalRequesterWaitTimeSeconds);
            }
            else
            {
                // Waits lie within the engagement and never overlap: longest ≤ total ≤ duration.
                Assert.InRange(e.LongestRequesterWaitTimeSeconds!.Value, 0, e.TotalRequesterWaitTimeSeconds);
                Assert.True(e.TotalRequesterWaitTimeSeconds <= e.EngagementDurationSeconds, "total wait ≤ duration");
                Assert.True(e.LongestRequesterWaitTimeSeconds * e.AgentRepliesCount >= e.TotalRequesterWaitTimeSeconds, "longest ≥ mean");
                var r = e.AgentRepliesCount;
                Assert.Equal(((2 * e.TotalRequesterWaitTimeSeconds) + r) / (2 * r), e.AverageRequesterWaitTimeSeconds);
            }

            if (e.AssignmentToFirstReplyTimeSeconds is { } fr)
            {
                Assert.InRange(fr, 0, e.EngagementDurationSeconds);
                Assert.True(e.AgentMessagesCount > 0, "a first reply is a message of the agent");
            }
            else if (!hasBusinessHours)
            {
                Assert.Equal(0, e.AgentMessagesCount);
            }

            if (e.OfferTimeSeconds is { } ot)
            {
                Assert.True(ot >= 0, "offer time ≥ 0");
                Assert.Equal(Reasons.RoutingAssignmentAccepted, e.StartReason);
            }

            Assert.Contains(e.StartReason, Reasons.AllStart);
            Assert.Contains(e.EndReason, Reasons.AllEnd);
            if (e.EndReason == Reasons.InactivityTimeout)
            {
                Assert.False(inactivityOff || e.Channel is Channel.Email or Channel.Voice, "inactivity ends only conversational engagements with the settings off");
            }

            // A pending or carried-over Reopened start may come after open → new, so only the forbidding statuses are excluded.
            Assert.DoesNotContain(e.StatusStart, new[] { TicketStatus.Pending, TicketStatus.OnHold, TicketStatus.Solved, TicketStatus.Closed, TicketStatus.Deleted });
            switch (e.EndReason)
            {
                case Reasons.StatusPendingOnHold:
                    Assert.Contains(e.StatusEnd, new[] { TicketStatus.Pending, TicketStatus.OnHold });
                    break;
                case Reasons.StatusSolved:
                    Assert.Contains(e.StatusEnd, new[] { TicketStatus.Solved, TicketStatus.Closed });
                    break;
                default:
                    break;
            }

            if (records.TryGetValue(e.TicketId, out var record))
            {
                Assert.Equal("USER", record.AgentType);
                Assert.Equal(e.Channel, record.Channel);
            }
        }

        foreach (var group in d.Account.Engagements.GroupBy(e => e.TicketId))
        {
            var list = group.OrderBy(e => e.StartMs).ThenBy(e => e.EndMs).ToList();
            for (var i = 1; i < list.Count; i++)
            {
                Assert.True(list[i - 1].EndMs <= list[i].StartMs, $"at most one open engagement at a time ({group.Key})");
            }
        }

        foreach (var r in d.Account.Interactions)
        {
            Assert.Contains(r.Status, new[] { "FINISHED", "MISSED", "ABANDONED", "VOICEMAIL", "ASSIGNED", "OFFERED" });
            Assert.Contains(r.AgentType, new[] { "USER", "VIRTUAL_AGENT", "" });
            Assert.Equal(r.EndMs is null, r.Duration is null);
            Assert.Equal(r.AgentType == "", r.AgentId == "");
            if (r.Status == "ASSIGNED")
            {
                Assert.Equal("USER", r.AgentType);
            }

            if (r.EndMs is null)
            {
                Assert.Contains(r.Status, new[] { "ASSIGNED", "OFFERED" });
            }
            else if (!s.EventsBeforeCreated)
            {
                Assert.True(r.Duration >= 0, "duration ≥ 0");
                Assert.True(r.WaitingTime is null or >= 0, "waiting time ≥ 0");
            }
        }
    }

    [Fact]
    public void Mutated_events_never_make_the_parser_or_the_fold_throw()
    {
        JsonNode?[] values = [null, 0, -1, 1.5, true, "", "x", "\u0001", "2026-03-02T09:00:00Z", "end_user", "bot", "closed", new JsonObject(), new JsonArray(), new JsonObject { ["id"] = 5 }];
        for (var seed = 0; seed < 100; seed++)
        {
            var s = Generate(seed);
            var rng = new Random(seed);
            var parser = new EventParser();
            var account = new AccountDerivation();
            for (var i = 0; i < s.Lines.Count; i++)
            {
                var e = JsonNode.Parse(s.Lines[i])!.AsObject();
                var readableId = e["id"]!.GetValue<string>();
                if (rng.Next(3) == 0)
                {
                    var keys = e.Select(p => p.Key).Concat(["channel", "agent_id", "author_type", "status", "requester", "via", "to_agent_id", "outcome"]).ToList();
                    var key = keys[rng.Next(keys.Count)];
                    if (rng.Next(4) == 0)
                    {
                        e.Remove(key);
                    }
                    else
                    {
                        e[key] = values[rng.Next(values.Length)]?.DeepClone();
                    }
                }

                var json = e.ToJsonString();
                if (rng.Next(30) == 0)
                {
                    json = json[..rng.Next(json.Length)];
                }

                if (parser.TryParse(json, i, out var ev, out var error))
                {
                    Assert.Null(error);
                    account.Add(ev!);
                }
                else
                {
                    Assert.Null(ev);
                    Assert.Equal(i, error!.Index);
                    Assert.True(error.Id is null || error.Id == readableId || e["id"] is JsonValue, "the error names the event's own id");
                }
            }

            var derived = account.Run(OmniReport.Core.Settings.AccountSettings.Default, EventLog.Ms(EventLog.Later));
            var text = ReportFiles.Write(derived, ReportType.Engagements, ReportFormat.Csv) + ReportFiles.Write(derived, ReportType.Interactions, ReportFormat.JsonBulk);
            Assert.NotNull(text);
        }
    }
}
