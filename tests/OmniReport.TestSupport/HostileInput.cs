using System.Text;
using OmniReport.Core.Events;

namespace OmniReport.TestSupport;

/// <summary>
/// Bodies of SPEC §1's "Bad input" cases, and the fuzzer that mutates valid bodies, shared by the HTTP and the
/// command-line tests so that every entry point is held to the same expectations.
/// </summary>
public static class HostileInput
{
    /// <summary>One line of the mixed body: its bytes, and the field its rejection names (null: a valid event).</summary>
    public sealed record Line(string Name, byte[] Bytes, string? Field, string? Id);

    private static byte[] B(params object[] parts)
    {
        var list = new List<byte>();
        foreach (var p in parts)
        {
            list.AddRange(p is string s ? Encoding.UTF8.GetBytes(s) : (byte[])p);
        }

        return [.. list];
    }

    private static string Created(string id, string iid) =>
        $"{{\"id\":\"{id}\",\"type\":\"interaction.created\",\"occurred_at\":\"2026-03-02T09:00:00Z\",\"interaction_id\":\"{iid}\",\"channel\":\"chat\"}}";

    private static string Head(string id, string type) =>
        $"{{\"id\":\"{id}\",\"type\":\"{type}\",\"occurred_at\":\"2026-03-02T09:01:00Z\",\"interaction_id\":\"i-1\"";

    /// <summary>The PostgreSQL 22021 cases, the UTF-8 cases, a duplicate member, year 10000, a huge id, and valid events between them.</summary>
    public static IReadOnlyList<Line> Mixed { get; } =
    [
        new("valid created", B(Created("v-1", "i-1")), null, "v-1"),
        new("FF FE", B(Head("h-1", "offer.created"), ",\"agent_id\":\"7\",\"agent_name\":\"A", new byte[] { 0xFF, 0xFE }, "\"}"), "agent_name", "h-1"),
        new("overlong C0 AF", B(Head("h-2", "offer.created"), ",\"agent_id\":\"7", new byte[] { 0xC0, 0xAF }, "\"}"), "agent_id", "h-2"),
        new("encoded surrogate ED A0 80", B(Head("h-3", "interaction.updated"), ",\"requester\":{\"name\":\"", new byte[] { 0xED, 0xA0, 0x80 }, "\"}}"), "requester.name", "h-3"),
        new("escaped lone surrogate", B(Head("h-4", "message.created"), ",\"author_type\":\"agent\",\"author_id\":\"7\",\"author_name\":\"\\ud800\"}"), "author_name", "h-4"),
        new("U+0000 in interaction_id", B("{\"id\":\"h-5\",\"type\":\"interaction.created\",\"occurred_at\":\"2026-03-02T09:00:00Z\",\"interaction_id\":\"i\\u0000\",\"channel\":\"chat\"}"), "interaction_id", "h-5"),
        new("U+0000 in agent_name", B(Head("h-6", "offer.accepted"), ",\"agent_id\":\"7\",\"agent_name\":\"\\u0000\"}"), "agent_name", "h-6"),
        new("U+0000 in author_name", B(Head("h-7", "message.created"), ",\"author_type\":\"agent\",\"author_id\":\"7\",\"author_name\":\"A\\u0000\"}"), "author_name", "h-7"),
        new("U+0000 in to_agent_id", B(Head("h-8", "transfer.created"), ",\"to_agent_id\":\"8\\u0000\"}"), "to_agent_id", "h-8"),
        new("U+0000 in an assignment's agent_id", B(Head("h-9", "assignment.changed"), ",\"agent_id\":\"\\u00007\"}"), "agent_id", "h-9"),
        new("valid message", B(Head("v-2", "message.created"), ",\"author_type\":\"end_user\"}"), null, "v-2"),
        new("member given twice", B(Head("h-10", "offer.created"), ",\"agent_id\":\"7\",\"agent_id\":\"8\"}"), "agent_id", "h-10"),
        new("year 10000 in UTC", B("{\"id\":\"h-11\",\"type\":\"interaction.ended\",\"occurred_at\":\"9999-12-31T23:51:00-01:00\",\"interaction_id\":\"i-1\"}"), "occurred_at", "h-11"),
        new("huge id", B("{\"id\":\"", new string('x', 200_000), "\",\"type\":\"interaction.ended\",\"occurred_at\":\"2026-03-02T09:05:00Z\",\"interaction_id\":\"i-1\"}"), "id", new string('x', 100)),
        new("not JSON", B("{\"id\":\"h-12\", this is not json}"), null, "h-12"),
        new("valid assignment", B(Head("v-3", "assignment.changed"), ",\"agent_id\":\"7\",\"agent_name\":\"Ann \\ud83d\\ude00\"}"), null, "v-3"),
    ];

    /// <summary>True for the lines of <see cref="Mixed"/> that are valid events.</summary>
    public static bool IsValid(Line line) => line.Field is null && line.Name.StartsWith("valid", StringComparison.Ordinal);

    /// <summary>NDJSON of the lines, with a byte-order mark in front.</summary>
    public static byte[] Ndjson(IEnumerable<Line> lines) => B(new byte[] { 0xEF, 0xBB, 0xBF }, string.Empty).Concat(Join(lines.Select(l => l.Bytes), "\n"u8.ToArray())).ToArray();

    /// <summary>A JSON array of the lines, with a byte-order mark in front.</summary>
    public static byte[] Array(IEnumerable<Line> lines) => B(new byte[] { 0xEF, 0xBB, 0xBF }, "[", Join(lines.Select(l => l.Bytes), ",\n"u8.ToArray()), "]");

    private static byte[] Join(IEnumerable<byte[]> parts, byte[] separator)
    {
        var list = new List<byte>();
        var first = true;
        foreach (var p in parts)
        {
            if (!first)
            {
                list.AddRange(separator);
            }

            list.AddRange(p);
            first = false;
        }

        return [.. list];
    }

    /// <summary>One record of a body as the reference reads it: each record parsed alone by a fresh parser.</summary>
    public sealed record Record(long Index, byte[] Json, Event? Event, EventError? Error);

    /// <summary>
    /// The records of an NDJSON body, split independently of the server (lines; blank ones skipped; a trailing CR
    /// dropped; a leading byte-order mark skipped), each parsed alone.
    /// </summary>
    public static List<Record> NdjsonRecords(byte[] body)
    {
        var span = body.AsSpan();
        if (span.StartsWith("\uFEFF"u8))
        {
            span = span[3..];
        }

        var records = new List<Record>();
        long line = 0;
        foreach (var raw in Encoding.Latin1.GetString(span).Split('\n'))
        {
            var bytes = Encoding.Latin1.GetBytes(raw.EndsWith('\r') ? raw[..^1] : raw);
            if (raw.Trim(' ', '\t', '\r').Length > 0)
            {
                records.Add(Parse(line, bytes));
            }

            line++;
        }

        return records;
    }

    /// <summary>The records of a JSON array body as the array splitter cuts them, each parsed alone; null when no element is whole.</summary>
    public static (List<Record> Records, bool Broken) ArrayRecords(byte[] body)
    {
        var at = body.AsSpan().StartsWith("\uFEFF"u8) ? 3 : 0;
        while (at < body.Length && body[at] is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t')
        {
            at++;
        }

        var records = new List<Record>();
        if (at >= body.Length || body[at] != (byte)'[')
        {
            return (records, true);
        }

        var outcome = EventArray.Split(body, at, (i, s, l) =>
        {
            records.Add(Parse(i, body.AsSpan(s, l).ToArray()));
            return true;
        });
        var trailing = outcome.Problem is null && body.AsSpan(outcome.End).Trim(" \t\r\n"u8).Length > 0;
        return (records, outcome.Problem is not null || trailing);
    }

    /// <summary>
    /// The records of a file as <c>import</c> and <c>derive</c> read it: a JSON array when its first byte after a
    /// byte-order mark and white space is <c>[</c>, else NDJSON. Broken is true for an array that breaks off.
    /// </summary>
    public static (List<Record> Records, bool Broken) FileRecords(byte[] body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var rest = body.AsSpan(body.AsSpan().StartsWith("\uFEFF"u8) ? 3 : 0).TrimStart(" \t\r\n"u8);
        return !rest.IsEmpty && rest[0] == (byte)'[' ? ArrayRecords(body) : (NdjsonRecords(body), false);
    }

    private static Record Parse(long index, byte[] json) =>
        new EventParser().TryParse(json, index, out var ev, out var error) ? new Record(index, json, ev, null) : new Record(index, json, null, error);

    /// <summary>
    /// A valid body of <paramref name="count"/> events of several types, then mutated by <paramref name="random"/>:
    /// byte flips, truncation, inserted invalid UTF-8, NUL, surrogate escapes, duplicate keys, extreme numbers and times.
    /// Ids carry <paramref name="tag"/> so that bodies never share ids by chance.
    /// </summary>
    public static byte[] Mutated(Random random, bool ndjson, int count, string tag)
    {
        ArgumentNullException.ThrowIfNull(random);
        var lines = new List<byte[]>();
        for (var i = 0; i < count; i++)
        {
            var id = $"{tag}-{i}";
            var iid = $"{tag}-i{i % 3}";
            var text = (i % 4) switch
            {
                0 => $"{{\"id\":\"{id}\",\"type\":\"interaction.created\",\"occurred_at\":\"2026-03-02T09:{i % 60:00}:00Z\",\"interaction_id\":\"{iid}\",\"channel\":\"chat\",\"requester\":{{\"id\":\"r{i}\",\"name\":\"Zoë\"}}}}",
                1 => $"{{\"id\":\"{id}\",\"type\":\"offer.accepted\",\"occurred_at\":\"2026-03-02T09:{i % 60:00}:01.5+01:00\",\"interaction_id\":\"{iid}\",\"agent_id\":\"{i}\",\"agent_name\":\"Ann\"}}",
                2 => $"{{\"id\":\"{id}\",\"type\":\"message.created\",\"occurred_at\":\"2026-03-02T09:{i % 60:00}:02Z\",\"interaction_id\":\"{iid}\",\"author_type\":\"end_user\",\"public\":true,\"x\":[1,2.5e3]}}",
                _ => $"{{\"id\":\"{id}\",\"type\":\"status.changed\",\"occurred_at\":\"2026-03-02T09:{i % 60:00}:03Z\",\"interaction_id\":\"{iid}\",\"status\":\"open\"}}",
            };
            lines.Add(Encoding.UTF8.GetBytes(text));
        }

        var body = new List<byte>(ndjson ? Join(lines, "\n"u8.ToArray()) : B("[", Join(lines, ",\n"u8.ToArray()), "]"));
        var mutations = random.Next(1, 6);
        for (var m = 0; m < mutations && body.Count > 0; m++)
        {
            var at = random.Next(body.Count);
            switch (random.Next(11))
            {
                case 0:
                    body[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    body.RemoveRange(at, body.Count - at);
                    break;
                case 2:
                    body.InsertRange(at, Pick(random, [[0xFF, 0xFE], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xE2, 0x82], [0x80]]));
                    break;
                case 3:
                    body.InsertRange(at, Pick(random, ["\\u0000"u8.ToArray(), [0x00]]));
                    break;
                case 4:
                    body.InsertRange(at, Pick(random, ["\\ud800"u8.ToArray(), "\\udfff"u8.ToArray(), "\\ud83d\\ude00"u8.ToArray()]));
                    break;
                case 5:
                    InsertAfterBrace(body, at, Pick(random, ["\"id\":\"dup\","u8.ToArray(), "\"type\":\"status.changed\","u8.ToArray(), "\"q\":1,\"q\":2,"u8.ToArray(), "\"agent_id\":\"9\","u8.ToArray()]));
                    break;
                case 6:
                    Replace(body, "2026-03-02T09:"u8.ToArray(), Pick(random, ["9999-12-31T23:"u8.ToArray(), "0001-01-01T00:"u8.ToArray(), "2026-02-30T09:"u8.ToArray()]), random);
                    Replace(body, "Z\""u8.ToArray(), "-01:00\""u8.ToArray(), random);
                    break;
                case 7:
                    Replace(body, "true"u8.ToArray(), Pick(random, ["1e999"u8.ToArray(), "-0"u8.ToArray(), "123456789012345678901234567890"u8.ToArray()]), random);
                    Replace(body, "\"open\""u8.ToArray(), "1e400"u8.ToArray(), random);
                    break;
                case 8:
                    body.Insert(at, (byte)random.Next(256));
                    break;
                case 9:
                    body.RemoveAt(at);
                    break;
                default:
                    body.InsertRange(at, Pick(random, ["\n"u8.ToArray(), "\r\n"u8.ToArray(), "\uFEFF"u8.ToArray(), "}{"u8.ToArray(), "\""u8.ToArray()]));
                    break;
            }
        }

        return [.. body];
    }

    private static byte[] Pick(Random random, byte[][] choices) => choices[random.Next(choices.Length)];

    private static void InsertAfterBrace(List<byte> body, int at, byte[] member)
    {
        var brace = body.IndexOf((byte)'{', at);
        if (brace < 0)
        {
            brace = body.LastIndexOf((byte)'{');
        }

        if (brace >= 0)
        {
            body.InsertRange(brace + 1, member);
        }
    }

    private static void Replace(List<byte> body, byte[] what, byte[] with, Random random)
    {
        var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(body);
        var hits = new List<int>();
        for (var i = span.IndexOf(what); i >= 0;)
        {
            hits.Add(i);
            var next = span[(i + 1)..].IndexOf(what);
            i = next < 0 ? -1 : i + 1 + next;
        }

        if (hits.Count > 0)
        {
            var at = hits[random.Next(hits.Count)];
            body.RemoveRange(at, what.Length);
            body.InsertRange(at, with);
        }
    }
}
