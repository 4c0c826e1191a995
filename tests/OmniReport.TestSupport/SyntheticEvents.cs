using System.Globalization;
using System.Text;

namespace OmniReport.TestSupport;

/// <summary>
/// Deterministic, realistic-enough event streams for store tests and load: interactions on every channel
/// with offers, messages both ways, transfers, status changes and ends, interleaved in time as a live
/// contact centre would send them. Times within one interaction are strictly increasing, so the records do
/// not depend on which of two concurrent writers stored an event first.
/// </summary>
public static class SyntheticEvents
{
    private static readonly string[] Channels = ["messaging", "chat", "email", "voice", "sms", "whatsapp", "social"];
    private static readonly DateTimeOffset Epoch = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);

    /// <summary>NDJSON lines (no newline) of <paramref name="interactions"/> interactions, in time order.</summary>
    public static List<string> Generate(int interactions, int seed = 1, string prefix = "i", int agents = 50, TimeSpan? spread = null)
    {
        var rng = new Random(seed);
        var all = new List<(long At, int Order, string Json)>(interactions * 14);
        var spreadMs = (long)(spread ?? TimeSpan.FromDays(7)).TotalMilliseconds;
        var order = 0;
        for (var n = 0; n < interactions; n++)
        {
            var id = $"{prefix}{n}";
            var t = Epoch.ToUnixTimeMilliseconds() + (long)(rng.NextDouble() * spreadMs);
            var channel = Channels[rng.Next(Channels.Length)];
            var events = new List<(long, string)>();
            var k = 0;
            void Add(string type, string fields)
            {
                t += 1 + rng.Next(1, 240_000);
                events.Add((t, $"{{\"id\":\"{id}-{k++}\",\"type\":\"{type}\",\"occurred_at\":\"{Time(t)}\",\"interaction_id\":\"{id}\"{fields}}}"));
            }

            var agent = rng.Next(agents);
            Add("interaction.created", $",\"channel\":\"{channel}\",\"requester\":{{\"id\":\"{rng.Next(100000)}\",\"name\":\"Customer {n}\",\"contact\":\"+35191{rng.Next(1000000):D7}\"}},\"group_id\":\"{rng.Next(8)}\",\"group_name\":\"Group {rng.Next(8)}\"");
            if (channel != "voice")
            {
                Add("message.created", ",\"author_type\":\"end_user\"");
            }

            Add("offer.created", $",\"agent_id\":\"{agent}\",\"agent_name\":\"Agent {agent}\"");
            if (rng.Next(6) == 0)
            {
                Add("offer.declined", $",\"agent_id\":\"{agent}\"");
                agent = rng.Next(agents);
                Add("offer.created", $",\"agent_id\":\"{agent}\",\"agent_name\":\"Agent {agent}\"");
            }

            Add("offer.accepted", $",\"agent_id\":\"{agent}\"");
            var turns = rng.Next(1, 6);
            for (var i = 0; i < turns; i++)
            {
                Add("message.created", $",\"author_type\":\"agent\",\"author_id\":\"{agent}\"");
                if (rng.Next(8) == 0)
                {
                    Add("message.created", $",\"author_type\":\"agent\",\"author_id\":\"{agent}\",\"public\":false");
                }

                Add("message.created", ",\"author_type\":\"end_user\"");
                if (rng.Next(10) == 0)
                {
                    var to = rng.Next(agents);
                    Add("transfer.created", $",\"to_agent_id\":\"{to}\",\"agent_name\":\"Agent {to}\"");
                    agent = to;
                }

                if (rng.Next(12) == 0)
                {
                    t += 900_000; // long silence: inactivity ends the engagement on conversational channels
                }
            }

            Add("message.created", $",\"author_type\":\"agent\",\"author_id\":\"{agent}\"");
            switch (rng.Next(4))
            {
                case 0:
                    Add("status.changed", ",\"status\":\"pending\"");
                    Add("message.created", ",\"author_type\":\"end_user\"");
                    Add("status.changed", ",\"status\":\"open\"");
                    Add("status.changed", ",\"status\":\"solved\"");
                    break;
                case 1:
                    Add("conversation.ended", $",\"agent_id\":\"{agent}\"");
                    break;
                case 2:
                    Add("interaction.updated", $",\"disposition\":\"sale\",\"notes\":\"note {n}\",\"external_id\":\"x{n}\"");
                    Add("interaction.ended", ",\"outcome\":\"completed\"");
                    break;
                default:
                    break; // still open
            }

            foreach (var (at, json) in events)
            {
                all.Add((at, order++, json));
            }
        }

        all.Sort((a, b) => a.At != b.At ? a.At.CompareTo(b.At) : a.Order.CompareTo(b.Order));
        return all.ConvertAll(e => e.Json);
    }

    /// <summary>The events as one NDJSON text.</summary>
    public static string Ndjson(IEnumerable<string> lines)
    {
        var sb = new StringBuilder();
        foreach (var l in lines)
        {
            sb.Append(l).Append('\n');
        }

        return sb.ToString();
    }

    private static string Time(long ms) =>
        DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>
    /// <paramref name="interactions"/> synthetic interactions over two days, some of them deleted afterwards, mostly in
    /// order with some late, plus a few duplicates: the random streams of the projection's property tests.
    /// </summary>
    public static List<string> RandomStream(Random rng, int interactions, int seed, string prefix = "i")
    {
        ArgumentNullException.ThrowIfNull(rng);
        var lines = Generate(interactions, seed, prefix, agents: 6, spread: TimeSpan.FromDays(2));
        var ids = lines.Select(l => l[(l.IndexOf("\"interaction_id\":\"", StringComparison.Ordinal) + 18)..].Split('"')[0]).Distinct().ToList();
        foreach (var id in ids.Where(_ => rng.Next(8) == 0))
        {
            lines.Add($"{{\"id\":\"{id}-del\",\"type\":\"status.changed\",\"occurred_at\":\"2026-03-04T00:00:00Z\",\"interaction_id\":\"{id}\",\"status\":\"deleted\"}}");
        }

        var shuffled = lines.OrderBy(_ => rng.Next(4)).ToList(); // mostly in order, some late
        shuffled.AddRange(lines.Where(_ => rng.Next(20) == 0)); // duplicates
        return shuffled;
    }
}
