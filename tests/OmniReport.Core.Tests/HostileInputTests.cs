using System.Text;
using OmniReport.Core.Events;

namespace OmniReport.Core.Tests;

/// <summary>
/// SPEC §1 "Bad input": bytes that are not UTF-8, escaped lone surrogates, U+0000, a member given twice and times
/// outside the years 0001–9999 reject only the event that holds them, naming its index, id and field; an error
/// quotes at most 100 characters of a value.
/// </summary>
public sealed class HostileInputTests
{
    private const string Head = "{\"id\":\"e-1\",\"type\":\"offer.created\",\"occurred_at\":\"2026-03-02T09:00:00Z\",\"interaction_id\":\"100\",\"agent_id\":\"7\"";

    private static byte[] Bytes(params object[] parts)
    {
        var list = new List<byte>();
        foreach (var p in parts)
        {
            list.AddRange(p is string s ? Encoding.UTF8.GetBytes(s) : (byte[])p);
        }

        return [.. list];
    }

    private static EventError Rejected(byte[] json, long index = 5)
    {
        var parser = new EventParser();
        Assert.False(parser.TryParse(json, index, out var ev, out var error));
        Assert.Null(ev);
        Assert.Equal(index, error!.Index);

        // The same parser reads the next, valid event as if nothing had happened.
        Assert.True(parser.TryParse(Bytes(Head, "}"), index + 1, out var next, out _));
        Assert.Equal("e-1", next!.Id);
        return error;
    }

    public static TheoryData<string, byte[]> InvalidUtf8 => new()
    {
        { "FF FE", [0xFF, 0xFE] },
        { "overlong C0 AF", [0xC0, 0xAF] },
        { "encoded surrogate ED A0 80", [0xED, 0xA0, 0x80] },
        { "truncated sequence E2 82", [0xE2, 0x82] },
    };

    [Theory]
    [MemberData(nameof(InvalidUtf8))]
    public void Bytes_that_are_not_UTF8_in_a_value_reject_the_event_naming_the_field(string what, byte[] bad)
    {
        Assert.NotNull(what);
        var e = Rejected(Bytes(Head, ",\"agent_name\":\"Ann", bad, "\"}"));
        Assert.Equal("e-1", e.Id);
        Assert.Equal("agent_name", e.Field);
        Assert.Contains("not UTF-8", e.Description, StringComparison.Ordinal);

        var iid = Rejected(Bytes("{\"id\":\"e-2\",\"type\":\"interaction.created\",\"occurred_at\":\"2026-03-02T09:00:00Z\",\"interaction_id\":\"1", bad, "\",\"channel\":\"chat\"}"));
        Assert.Equal(("e-2", "interaction_id"), (iid.Id, iid.Field));

        var requester = Rejected(Bytes("{\"id\":\"e-3\",\"type\":\"interaction.created\",\"occurred_at\":\"2026-03-02T09:00:00Z\",\"interaction_id\":\"1\",\"channel\":\"chat\",\"requester\":{\"name\":\"B", bad, "\"}}"));
        Assert.Equal(("e-3", "requester.name"), (requester.Id, requester.Field));

        var ignored = Rejected(Bytes(Head, ",\"extra\":[1,{\"deep\":\"x", bad, "\"}]}"));
        Assert.Equal(("e-1", "extra"), (ignored.Id, ignored.Field));

        var inName = Rejected(Bytes(Head, ",\"ex", bad, "tra\":1}"));
        Assert.Equal("e-1", inName.Id);

        var inId = Rejected(Bytes("{\"id\":\"e", bad, "\",\"type\":\"offer.created\",\"occurred_at\":\"2026-03-02T09:00:00Z\",\"interaction_id\":\"100\",\"agent_id\":\"7\"}"));
        Assert.Equal((null, "id"), (inId.Id, inId.Field));
    }

    [Theory]
    [InlineData("\\ud800")]
    [InlineData("\\udc00")]
    [InlineData("x\\ud83d")]
    [InlineData("\\ude00\\ud83d")]
    public void An_escaped_lone_surrogate_rejects_the_event(string escaped)
    {
        var e = Rejected(Bytes(Head, ",\"agent_name\":\"", escaped, "\"}"));
        Assert.Equal(("e-1", "agent_name"), (e.Id, e.Field));
        Assert.Contains("lone surrogate", e.Description, StringComparison.Ordinal);

        var note = Rejected(Bytes("{\"id\":\"e-4\",\"type\":\"interaction.updated\",\"occurred_at\":\"2026-03-02T09:00:00Z\",\"interaction_id\":\"1\",\"notes\":\"", escaped, "\"}"));
        Assert.Equal(("e-4", "notes"), (note.Id, note.Field));
    }

    [Fact]
    public void An_escaped_surrogate_pair_is_text_like_any_other()
    {
        Assert.True(new EventParser().TryParse(Bytes(Head, ",\"agent_name\":\"Ann \\ud83d\\ude00\"}"), 0, out var ev, out var error), error?.ToString());
        Assert.Equal("Ann \U0001F600", ev!.AgentName);
    }

    [Theory]
    [InlineData("offer.created", "agent_id", "{\"agent_id\":\"7\\u0000\"}")]
    [InlineData("offer.created", "agent_name", "{\"agent_id\":\"7\",\"agent_name\":\"A\\u0000n\"}")]
    [InlineData("message.created", "author_name", "{\"author_type\":\"agent\",\"author_id\":\"7\",\"author_name\":\"\\u0000\"}")]
    [InlineData("transfer.created", "to_agent_id", "{\"to_agent_id\":\"8\\u0000\"}")]
    [InlineData("assignment.changed", "agent_id", "{\"agent_id\":\"\\u00007\"}")]
    [InlineData("interaction.updated", "requester.contact", "{\"requester\":{\"contact\":\"a\\u0000b\"}}")]
    [InlineData("interaction.updated", "other", "{\"other\":{\"x\":\"\\u0000\"}}")]
    public void U0000_in_any_string_rejects_the_event(string type, string field, string rest)
    {
        var json = "{\"id\":\"n-1\",\"type\":\"" + type + "\",\"occurred_at\":\"2026-03-02T09:00:00Z\",\"interaction_id\":\"1\"," + rest[1..];
        var e = Rejected(Encoding.UTF8.GetBytes(json));
        Assert.Equal(("n-1", field), (e.Id, e.Field));
        Assert.Contains("U+0000", e.Description, StringComparison.Ordinal);

        var inInteraction = Rejected(Encoding.UTF8.GetBytes("{\"id\":\"n-2\",\"type\":\"interaction.ended\",\"occurred_at\":\"2026-03-02T09:00:00Z\",\"interaction_id\":\"1\\u0000\"}"));
        Assert.Equal(("n-2", "interaction_id"), (inInteraction.Id, inInteraction.Field));
    }

    [Theory]
    [InlineData(",\"id\":\"again\"", "id")]
    [InlineData(",\"agent_id\":\"8\"", "agent_id")]
    [InlineData(",\"occurred_at\":\"2026-03-02T09:00:00Z\"", "occurred_at")]
    [InlineData(",\"x\":1,\"x\":2", "x")]
    [InlineData(",\"\\u0078\":1,\"x\":2", "x")]
    [InlineData(",\"requester\":{\"id\":\"1\",\"id\":\"2\"}", "requester.id")]
    [InlineData(",\"requester\":{\"a\":1,\"a\":1}", "requester.a")]
    [InlineData(",\"meta\":{\"a\":{\"b\":1,\"b\":1}}", "meta")]
    public void A_member_given_twice_in_one_object_rejects_the_event(string tail, string field)
    {
        var e = Rejected(Bytes(Head, tail, "}"));
        Assert.Equal(field, e.Field);
        Assert.Contains("twice", e.Description, StringComparison.Ordinal);
        Assert.Equal(field == "id" ? null : "e-1", field == "id" ? null : e.Id);
    }

    [Theory]
    [InlineData("9999-12-31T23:51:00-01:00")]
    [InlineData("0001-01-01T00:30:00+01:00")]
    [InlineData("0001-01-01T00:00:00.000+00:01")]
    [InlineData("9999-12-31T23:59:59.999-00:01")]
    [InlineData("0000-12-31T23:59:59Z")]
    [InlineData("0000-02-29T12:00:00-14:00")]
    [InlineData("0000-12-31T23:30:00-00:29")]
    public void A_time_outside_the_years_0001_to_9999_in_UTC_is_rejected(string time)
    {
        var e = Rejected(Bytes("{\"id\":\"t-1\",\"type\":\"interaction.ended\",\"occurred_at\":\"", time, "\",\"interaction_id\":\"1\"}"));
        Assert.Equal(("t-1", "occurred_at"), (e.Id, e.Field));
        Assert.Equal($"\"{time}\" is outside the years 0001–9999 in UTC", e.Description);
    }

    [Theory]
    [InlineData("9999-12-31T23:59:59.999Z", 253_402_300_799_999L)]
    [InlineData("0001-01-01T00:00:00Z", -62_135_596_800_000L)]
    [InlineData("9999-12-31T23:00:00-00:59", 253_402_300_740_000L)]
    [InlineData("0001-01-01T01:00:00+01:00", -62_135_596_800_000L)]
    [InlineData("0000-12-31T23:59:59-01:00", -62_135_596_800_000L + 3_599_000L)] // year 0000 written, 0001 in UTC (§1)
    [InlineData("0000-12-31T23:00:00.5-01:00", -62_135_596_800_000L + 500L)]
    public void Times_at_the_edges_of_the_years_are_accepted(string time, long ms)
    {
        Assert.True(new EventParser().TryParse(Bytes("{\"id\":\"t\",\"type\":\"interaction.ended\",\"occurred_at\":\"", time, "\",\"interaction_id\":\"1\"}"), 0, out var ev, out var error), error?.ToString());
        Assert.Equal(ms, ev!.OccurredAtMs);
    }

    [Fact]
    public void A_huge_value_is_quoted_to_at_most_100_characters()
    {
        var huge = new string('x', 1_000_000);
        var id = Rejected(Bytes("{\"id\":\"", huge, "\",\"type\":\"offer.created\",\"occurred_at\":\"2026-03-02T09:00:00Z\",\"interaction_id\":\"100\",\"agent_id\":\"7\"}"));
        Assert.Equal(new string('x', 100), id.Id);
        Assert.Equal("id", id.Field);
        Assert.True(id.Description.Length < 200, id.Description);

        var type = Rejected(Bytes("{\"id\":\"q\",\"type\":\"", huge, "\",\"occurred_at\":\"2026-03-02T09:00:00Z\",\"interaction_id\":\"100\"}"));
        Assert.Equal("type", type.Field);
        Assert.StartsWith($"unknown event type \"{new string('x', 100)}\"… (1000000 characters)", type.Description, StringComparison.Ordinal);

        var time = Rejected(Bytes("{\"id\":\"q\",\"type\":\"interaction.ended\",\"occurred_at\":\"", huge, "\",\"interaction_id\":\"100\"}"));
        Assert.Equal($"\"{new string('x', 100)}\"… (1000000 characters) is not an RFC 3339 timestamp with an offset, such as 2026-11-21T09:15:00Z", time.Description);

        var member = Rejected(Bytes(Head, ",\"", huge, "\":1,\"", huge, "\":2}"));
        Assert.Equal(new string('x', 100), member.Field);
    }

    [Fact]
    public void A_surrogate_pair_is_not_cut_in_half_by_the_quote()
    {
        var value = new string('a', 99) + "\U0001F600" + "b";
        Assert.Equal(new string('a', 99), ErrorText.Cap(value));
        Assert.Equal("\"abc\"", ErrorText.Quote("abc"));
    }

    [Fact]
    public void A_byte_order_mark_at_the_start_of_a_file_is_skipped()
    {
        var line = Head + "}";
        foreach (var text in new[] { $"{line}\n{line.Replace("e-1", "e-2", StringComparison.Ordinal)}\n", $"[{line}]" })
        {
            var records = new List<(long Index, long Line, string Json)>();
            EventStreamReader.Read(new MemoryStream(Bytes(new byte[] { 0xEF, 0xBB, 0xBF }, text)), (i, l, j) => records.Add((i, l, Encoding.UTF8.GetString(j))));
            Assert.Equal(line, records[0].Json);
            Assert.Equal((0L, 1L), (records[0].Index, records[0].Line));
            Assert.True(new EventParser().TryParse(Encoding.UTF8.GetBytes(records[0].Json), 0, out _, out _));
        }
    }

    [Fact]
    public void An_array_element_that_is_not_JSON_is_one_record_and_the_next_ones_are_read()
    {
        var good = Head + "}";
        var text = $"[\n{good},\n{{\"id\":\"bad\" \"x\"}},\n  {{\"id\":\n\"z\"}},\n{good.Replace("e-1", "e-9", StringComparison.Ordinal)}\n]";
        var records = new List<(long Index, long Line)>();
        var parser = new EventParser();
        var ok = new List<string>();
        EventStreamReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(text)), (i, l, j) =>
        {
            records.Add((i, l));
            if (parser.TryParse(j, i, out var ev, out _))
            {
                ok.Add(ev!.Id);
            }
        });
        Assert.Equal([(0L, 2L), (1L, 3L), (2L, 4L), (3L, 6L)], records);
        Assert.Equal(["e-1", "e-9"], ok);
    }

    [Theory]
    [InlineData("[{\"a\":1},\n{\"b\":2},\n{\"c\":", 2L, 3L, "ends inside an element")]
    [InlineData("[{\"a\":1},\n{\"b\":2}\n{\"c\":3}]", 2L, 3L, "expected , or ] after array element 1")]
    [InlineData("[{\"a\":1},\n{\"b\":2},\n", 2L, 3L, "not closed")]
    [InlineData("[{\"a\":1},\n{\"b\":2}]\nx", 2L, 3L, "unexpected text")]
    public void A_broken_array_hands_over_every_element_before_the_break_and_says_where_it_breaks(string text, long index, long line, string why)
    {
        var seen = new List<long>();
        var ex = Assert.Throws<BrokenArrayException>(() =>
            EventStreamReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(text)), (i, _, _) => seen.Add(i)));
        Assert.Equal([0L, 1L], seen);
        Assert.Equal((index, line), (ex.Index, ex.Line));
        Assert.Contains(why, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_in_memory_array_splitter_cuts_the_same_elements_as_the_stream_reader()
    {
        var text = Encoding.UTF8.GetBytes("[{\"a\":\"]\"} , 17,\"s\" ,{\"b\":[1,{\"c\":\"\\\"}\"}]}, {bad json}]");
        var fromStream = new List<string>();
        EventStreamReader.Read(new MemoryStream(text), (_, _, j) => fromStream.Add(Encoding.UTF8.GetString(j)));
        var inMemory = new List<string>();
        var outcome = EventArray.Split(text, 0, (_, s, l) =>
        {
            inMemory.Add(Encoding.UTF8.GetString(text, s, l));
            return true;
        });
        Assert.Null(outcome.Problem);
        Assert.Equal(text.Length, outcome.End);
        Assert.Equal(["{\"a\":\"]\"}", "17", "\"s\"", "{\"b\":[1,{\"c\":\"\\\"}\"}]}", "{bad json}"], fromStream);
        Assert.Equal(fromStream, inMemory);
    }
}
