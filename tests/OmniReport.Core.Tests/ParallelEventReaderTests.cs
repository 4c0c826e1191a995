using System.Text;
using OmniReport.Core.Events;
using OmniReport.TestSupport;

namespace OmniReport.Core.Tests;

/// <summary>
/// The parallel front end against the one-thread path (EventStreamReader and one EventParser): the same records in
/// the same order, the same events field by field, the same rejections, lines and break of an array — whatever the
/// chunk size, the number of workers and where the faults fall.
/// </summary>
public sealed class ParallelEventReaderTests
{
    public static TheoryData<int, int> Cuts => new()
    {
        { 2, 16 }, { 2, 200 }, { 3, 1000 }, { 2, 4096 }, { 4, 65536 }, { 2, ParallelEventReader.DefaultChunkBytes },
    };

    [Theory]
    [MemberData(nameof(Cuts))]
    public void Ndjson_with_faults_gives_what_the_one_thread_path_gives(int workers, int chunkBytes)
    {
        var body = FaultyNdjson();
        var expected = Sequential(body);
        Assert.Contains(expected, r => r.Contains("error: line", StringComparison.Ordinal));
        Assert.Equal(expected, Parallel(body, workers, chunkBytes));
    }

    [Theory]
    [MemberData(nameof(Cuts))]
    public void Json_array_with_faults_gives_what_the_one_thread_path_gives(int workers, int chunkBytes)
    {
        var body = HostileInput.Array(Enumerable.Repeat(HostileInput.Mixed, 40).SelectMany(m => m));
        var expected = Sequential(body);
        Assert.Equal(40 * HostileInput.Mixed.Count, expected.Count);
        Assert.Equal(expected, Parallel(body, workers, chunkBytes));
    }

    [Fact]
    public void Broken_array_hands_over_every_element_before_the_break_then_the_same_break()
    {
        var whole = HostileInput.Array(Enumerable.Repeat(HostileInput.Mixed, 10).SelectMany(m => m));
        var body = whole[..(whole.Length * 2 / 3)];
        var expected = Sequential(body);
        Assert.StartsWith("broken: line ", expected[^1], StringComparison.Ordinal);
        Assert.Equal(expected, Parallel(body, 2, 300));
    }

    [Fact]
    public void Mutated_bodies_give_what_the_one_thread_path_gives()
    {
        var random = new Random(18);
        for (var i = 0; i < 60; i++)
        {
            var body = HostileInput.Mutated(random, ndjson: i % 2 == 0, count: 40, tag: $"m{i}");
            Assert.Equal(Sequential(body), Parallel(body, 2, 64 + i * 16));
        }
    }

    [Fact]
    public void Blank_input_byte_order_mark_alone_and_a_line_without_its_end_are_read_alike()
    {
        foreach (var text in new[] { "", "\uFEFF", "\n\n  \r\n", "\uFEFF\n[]\n", "\uFEFF  [ ]", "[", "{\"id\":\"x\"}", "\r\n\r\n{}\r\n{}" })
        {
            var body = Encoding.UTF8.GetBytes(text);
            Assert.Equal(Sequential(body), Parallel(body, 2, 16));
        }
    }

    [Fact]
    public void A_line_longer_than_a_chunk_is_read_whole()
    {
        var lines = SyntheticEvents.Generate(20);
        lines.Insert(5, $"{{\"id\":\"long\",\"type\":\"interaction.updated\",\"occurred_at\":\"2026-03-02T09:00:00Z\",\"interaction_id\":\"i1\",\"notes\":\"{new string('n', 10_000)}\"}}");
        var body = Encoding.UTF8.GetBytes(string.Join('\n', lines));
        var expected = Sequential(body);
        Assert.Contains(expected, r => r.Contains("long", StringComparison.Ordinal) && !r.Contains("error", StringComparison.Ordinal));
        Assert.Equal(expected, Parallel(body, 2, 256));
    }

    [Fact]
    public void A_failing_handler_stops_the_reader_and_its_exception_comes_out()
    {
        var body = FaultyNdjson();
        var seen = 0;
        var ex = Assert.Throws<InvalidOperationException>(() => ParallelEventReader.Read(new MemoryStream(body), 2, (_, _, _, _) =>
        {
            if (++seen == 100)
            {
                throw new InvalidOperationException("stop");
            }
        }, 512));
        Assert.Equal("stop", ex.Message);
        Assert.Equal(100, seen);
    }

    [Fact]
    public void A_stream_that_fails_hands_over_what_came_before_then_the_failure()
    {
        var body = FaultyNdjson();
        var results = new List<long>();
        Assert.Throws<IOException>(() => ParallelEventReader.Read(new FailingStream(body, 5000), 2, (index, _, _, _) => results.Add(index), 256));
        var before = Encoding.UTF8.GetString(body[..5000]);
        Assert.NotEmpty(results);
        Assert.True(results.Max() < before.Count(c => c == '\n'));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void Records_of_a_body_in_memory_are_parsed_in_order(int workers)
    {
        var body = FaultyNdjson();
        var records = new List<EventRecord>();
        var at = 3; // after the byte-order mark
        for (long line = 0; at < body.Length; line++)
        {
            var end = Array.IndexOf(body, (byte)'\n', at);
            end = end < 0 ? body.Length : end;
            if (end > at)
            {
                records.Add(new EventRecord(line, at, end - at));
            }

            at = end + 1;
        }

        var expected = new List<string>();
        var parser = new EventParser();
        foreach (var r in records)
        {
            parser.TryParse(body.AsSpan(r.Start, r.Length), r.Index, out var ev, out var error);
            expected.Add(Describe(r.Index, r.Index + 1, ev, error));
        }

        var actual = new List<string>();
        ParallelEventReader.Parse(body, records, workers, (index, line, ev, error) => actual.Add(Describe(index, line, ev, error)));
        Assert.True(records.Count > 2000);
        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData(1, 16)]
    [InlineData(2, 200)]
    [InlineData(3, 4096)]
    [InlineData(2, 16384)]
    public void Refilled_events_give_what_new_events_give(int workers, int chunkBytes)
    {
        var body = FaultyNdjson(4000);
        var expected = Sequential(body);
        var results = new List<string>();
        var instances = new HashSet<Event>(ReferenceEqualityComparer.Instance);
        var events = 0;
        ParallelEventReader.Read(new TrickleStream(body), workers, (index, line, ev, error) =>
        {
            results.Add(Describe(index, line, ev, error));
            if (ev is not null)
            {
                events++;
                instances.Add(ev);
            }
        }, chunkBytes, reuseEvents: true);

        Assert.Contains(expected, r => r.Contains("error: line", StringComparison.Ordinal));
        Assert.Equal(expected, results);
        // Refilled, not made anew: a chunk's worth of instances for each chunk in flight, not one per event.
        Assert.True(instances.Count * 2 < events, $"{instances.Count} instances for {events} events");
    }

    [Fact]
    public void A_rejected_event_leaves_the_instance_given_to_fill_as_it_was()
    {
        var parser = new EventParser();
        Assert.True(parser.TryParse("""{"id":"e1","type":"offer.created","occurred_at":"2026-03-02T09:00:00Z","interaction_id":"i1","agent_id":"a1","agent_name":"Ann"}"""u8, 0, into: null, out var first, out _));
        var before = Describe(0, 1, first, null);
        Assert.False(parser.TryParse("""{"id":"e2","type":"offer.created","occurred_at":"2026-03-02T09:00:01Z","interaction_id":"i1"}"""u8, 1, first, out var ev, out var error));
        Assert.Null(ev);
        Assert.Equal("agent_id", error!.Field);
        Assert.Equal(before, Describe(0, 1, first, null));

        // Refilled by a valid event of another type, it holds nothing of the one before (agent fields back to null).
        var status = """{"id":"e3","type":"status.changed","occurred_at":"2026-03-02T09:00:02Z","interaction_id":"i2","status":"open"}"""u8;
        Assert.True(parser.TryParse(status, 2, first, out var refilled, out _));
        Assert.Same(first, refilled);
        Assert.True(parser.TryParse(status, 2, out var fresh, out _));
        Assert.Equal(Describe(2, 3, fresh, null), Describe(2, 3, refilled, null));
        Assert.Null(refilled!.AgentId);
    }

    /// <summary>Generated events with SPEC §1's bad lines, blank lines and CRLF ends between them, after a byte-order mark.</summary>
    internal static byte[] FaultyNdjson(int events = 300)
    {
        var lines = SyntheticEvents.Generate(events);
        var output = new MemoryStream();
        output.Write("\uFEFF"u8);
        for (var i = 0; i < lines.Count; i++)
        {
            output.Write(Encoding.UTF8.GetBytes(lines[i]));
            output.Write(i % 7 == 0 ? "\r\n"u8 : "\n"u8);
            if (i % 211 == 0)
            {
                var bad = HostileInput.Mixed[i / 211 % HostileInput.Mixed.Count];
                output.Write(bad.Bytes);
                output.Write(i % 2 == 0 ? "\n\n  \t\n"u8 : "\n"u8);
            }
        }

        return output.ToArray();
    }

    private static List<string> Sequential(byte[] body)
    {
        var results = new List<string>();
        var parser = new EventParser();
        try
        {
            EventStreamReader.Read(new MemoryStream(body), (index, line, json) =>
            {
                parser.TryParse(json, index, out var ev, out var error);
                results.Add(Describe(index, line, ev, error));
            });
        }
        catch (BrokenArrayException ex)
        {
            results.Add($"broken: line {ex.Line}, element {ex.Index}: {ex.Message}");
        }

        return results;
    }

    private static List<string> Parallel(byte[] body, int workers, int chunkBytes)
    {
        var results = new List<string>();
        try
        {
            // A stream that gives a few bytes at a time, as a pipe does.
            ParallelEventReader.Read(new TrickleStream(body), workers, (index, line, ev, error) => results.Add(Describe(index, line, ev, error)), chunkBytes);
        }
        catch (BrokenArrayException ex)
        {
            results.Add($"broken: line {ex.Line}, element {ex.Index}: {ex.Message}");
        }

        return results;
    }

    private static string Describe(long index, long line, Event? e, EventError? error)
    {
        if (error is not null)
        {
            return $"{index} error: {error.AtLine(line)} / {error}";
        }

        var d = e!.Details;
        return $"{index} line {line}: {e.Id}|{e.Type}|{e.OccurredAtMs}|{e.InteractionId}|{e.Sequence}|{e.AgentId}|{e.AgentName}|{e.AuthorType}|{e.IsPublic}|"
            + $"{e.Channel}|{e.Direction}|{e.Status}|{e.Outcome}|{e.Via}|{d?.GroupId}|{d?.GroupName}|{d?.RequesterId}|{d?.RequesterName}|"
            + $"{d?.RequesterContact}|{d?.ExternalId}|{d?.Disposition}|{d?.Notes}|{d?.RecordingUrl}|{d?.TranscriptUrl}|{d?.FromAgentId}|{d is null}";
    }

    private sealed class TrickleStream(byte[] data) : MemoryStream(data)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, 777));

        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, 777)]);
    }

    private sealed class FailingStream(byte[] data, int failAt) : MemoryStream(data)
    {
        public override int Read(byte[] buffer, int offset, int count)
        {
            if (Position >= failAt)
            {
                throw new IOException("the disk went away");
            }

            return base.Read(buffer, offset, (int)Math.Min(count, failAt - Position));
        }
    }
}
