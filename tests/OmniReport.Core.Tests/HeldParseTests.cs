using System.Text;
using NodaTime;
using OmniReport.Core.Derivation;
using OmniReport.Core.Events;
using OmniReport.Core.Reports;
using OmniReport.Core.Settings;
using OmniReport.Generation;
using OmniReport.TestSupport;

namespace OmniReport.Core.Tests;

/// <summary>
/// derive's parse (<see cref="EventParser.TryParseHeld"/>: the scanner for the usual shape, ids as bytes) against the full
/// parser (<see cref="EventParser.TryParse(ReadOnlySpan{byte}, long, out Event?, out EventError?)"/>): for every input,
/// the same event field by field with the same id, or the same rejection — and the usual events really take the scanner.
/// </summary>
public sealed class HeldParseTests
{
    private const string Head = """{"id":"e-1","type":"offer.created","occurred_at":"2026-03-02T09:00:00Z","interaction_id":"i-1","agent_id":"a1",""";

    [Fact]
    public void Generated_events_are_scanned_and_give_what_the_full_parser_gives()
    {
        using var stream = new MemoryStream();
        new EventGenerator(new GeneratorOptions { Interactions = 3000, LateFraction = 0.05, DuplicateFraction = 0.02 }).WriteNdjson(stream);
        var lines = Encoding.UTF8.GetString(stream.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var held = new EventParser();
        Assert.True(lines.Length > 20_000);
        AssertSame(lines.Select(Encoding.UTF8.GetBytes), held);
        // Every generated event is of the usual shape but those with an escape (a note quoting a word): only those
        // need the full parser.
        var escaped = lines.Count(l => l.Contains('\\', StringComparison.Ordinal));
        Assert.InRange(escaped, 1, lines.Length / 50);
        Assert.Equal(lines.Length - escaped, held.Scanned);
    }

    [Fact]
    public void Synthetic_streams_are_scanned_and_give_what_the_full_parser_gives()
    {
        var lines = SyntheticEvents.Generate(500).Concat(SyntheticEvents.RandomStream(new Random(7), 300, 7)).ToList();
        var held = new EventParser();
        AssertSame(lines.Select(Encoding.UTF8.GetBytes), held);
        Assert.True(held.Scanned > lines.Count * 9 / 10, $"{held.Scanned} of {lines.Count} scanned");
    }

    [Fact]
    public void Every_shared_scenario_event_gives_what_the_full_parser_gives()
    {
        var lines = Scenarios.All().SelectMany(s => s.Events.Select(e => Encoding.UTF8.GetBytes(e!.ToJsonString()))).ToList();
        Assert.NotEmpty(lines);
        AssertSame(lines, new EventParser());
    }

    [Fact]
    public void The_bad_input_cases_give_the_full_parsers_rejections()
    {
        var held = new EventParser();
        AssertSame(HostileInput.Mixed.Select(l => l.Bytes), held);
        var random = new Random(18);
        for (var i = 0; i < 40; i++)
        {
            var body = HostileInput.Mutated(random, ndjson: true, count: 30, tag: $"m{i}");
            AssertSame(HostileInput.NdjsonRecords(body).Select(r => r.Json), held);
        }
    }

    [Theory]
    [InlineData(""" { "id" : "e-1" , "type":"offer.created" ,"occurred_at":"2026-03-02T09:00:00Z","interaction_id":"i-1","agent_id":"a1" } """)]
    [InlineData("{\"id\":\"e-1\",\t\"type\":\"offer.created\",\r\"occurred_at\":\"2026-03-02T09:00:00Z\",\n\"interaction_id\":\"i-1\",\"agent_id\":\"a1\"}")]
    [InlineData(Head + "\"agent_name\":null}")]
    [InlineData(Head + "\"agent_name\":nullx}")]
    [InlineData(Head + "\"agent_name\":nul}")]
    [InlineData(Head + "\"agent_name\":true}")]
    [InlineData(Head + "\"agent_name\":7}")]
    [InlineData(Head + "\"agent_name\":[]}")]
    [InlineData(Head + "\"agent_name\":{}}")]
    [InlineData(Head + "\"agent_name\":\"Ann\",}")]
    [InlineData(Head + "\"agent_name\":\"Ann\"} x")]
    [InlineData(Head + "\"agent_name\":\"Ann\"}}")]
    [InlineData(Head + "\"agent_name\":\"Ann\"")]
    [InlineData(Head + "\"agent_name\" \"Ann\"}")]
    [InlineData(Head + "\"agent_name\":\"Ann\" \"x\":1}")]
    [InlineData(Head + "\"agent_name\":\"A\\u006en\"}")]
    [InlineData(Head + "\"agent_name\":\"Zoë Ñúñez 😀\"}")]
    [InlineData(Head + "\"agent_n\\u0061me\":\"Ann\"}")]
    [InlineData(Head + "\"agent_id\":\"a2\"}")]
    [InlineData(Head + "\"extra\":\"x\",\"agent_name\":\"Ann\"}")]
    [InlineData(Head + "\"public\":false,\"via\":\"nonsense\",\"outcome\":null}")]
    [InlineData("""{"id":"e-1","type":"interaction.created","occurred_at":"2026-03-02T09:00:00+01:00","interaction_id":"i-1","channel":"chat","requester":{"id":"r1","name":"Rita","contact":"rita@example.com"}}""")]
    [InlineData("""{"id":"e-1","type":"interaction.created","occurred_at":"2026-03-02T09:00:00Z","interaction_id":"i-1","channel":"chat","requester":{ }}""")]
    [InlineData("""{"id":"e-1","type":"interaction.created","occurred_at":"2026-03-02T09:00:00Z","interaction_id":"i-1","channel":"chat","requester":null}""")]
    [InlineData("""{"id":"e-1","type":"interaction.created","occurred_at":"2026-03-02T09:00:00Z","interaction_id":"i-1","channel":"chat","requester":"Rita"}""")]
    [InlineData("""{"id":"e-1","type":"interaction.created","occurred_at":"2026-03-02T09:00:00Z","interaction_id":"i-1","channel":"chat","requester":{"id":null,"name":"Rita","email":"x"}}""")]
    [InlineData("""{"id":"e-1","type":"interaction.created","occurred_at":"2026-03-02T09:00:00Z","interaction_id":"i-1","channel":"chat","requester":{"name":"Rita","name":"Rosa"}}""")]
    [InlineData("""{"id":"e-1","type":"interaction.created","occurred_at":"2026-03-02T09:00:00Z","interaction_id":"i-1","channel":"chat","requester":{"name":7}}""")]
    [InlineData("""{"id":"e-1","type":"interaction.updated","occurred_at":"2026-03-02T09:00:00Z","interaction_id":"i-1","notes":"a note that is longer than twenty-four bytes","disposition":"sold","recording_url":"https://r.example/1","transcript_url":"https://t.example/1","external_id":"X-1"}""")]
    [InlineData("""{"id":"e\u0001","type":"status.changed","occurred_at":"2026-03-02T09:00:00Z","interaction_id":"i-1","status":"open"}""")]
    [InlineData("""{"id":"é-1","type":"status.changed","occurred_at":"2026-03-02T09:00:00Z","interaction_id":"i-1","status":"open"}""")]
    [InlineData("""{"id":"e\u002d1","type":"status.changed","occurred_at":"2026-03-02T09:00:00Z","interaction_id":"i-1","status":"open"}""")]
    [InlineData("""{"id":"","type":"status.changed","occurred_at":"2026-03-02T09:00:00Z","interaction_id":"i-1","status":"open"}""")]
    [InlineData("""{"id":7,"type":"status.changed","occurred_at":"2026-03-02T09:00:00Z","interaction_id":"i-1","status":"open"}""")]
    [InlineData("""{"type":"status.changed","occurred_at":"2026-03-02T09:00:00Z","interaction_id":"i-1","status":"open"}""")]
    [InlineData("""{"id":"e-1","type":"status.changed","occurred_at":"2026-03-02 09:00:00","interaction_id":"i-1","status":"open"}""")]
    [InlineData("""{"id":"e-1","type":"status.changed","occurred_at":"0000-12-31T23:00:00Z","interaction_id":"i-1","status":"open"}""")]
    [InlineData("""{"id":"e-1","type":"status.changed","occurred_at":"0000-12-31T23:00:00-01:00","interaction_id":"i-1","status":"open"}""")]
    [InlineData("""{"id":"e-1","type":"status.changed","occurred_at":"2026-03-02T09:00:00Z","interaction_id":"i-1","status":"pending-ish"}""")]
    [InlineData("""{"id":"e-1","type":"no.such.type","occurred_at":"2026-03-02T09:00:00Z","interaction_id":"i-1"}""")]
    [InlineData("""{"id":"e-1","type":"transfer.created","occurred_at":"2026-03-02T09:00:00Z","interaction_id":"i-1","to_agent_id":null,"to_group_id":"g2","from_agent_id":"a1"}""")]
    [InlineData("""{"id":"e-1","type":"message.created","occurred_at":"2026-03-02T09:00:00Z","interaction_id":"i-1","author_type":"agent","author_id":"a1","author_name":"Ann","public":"no"}""")]
    [InlineData("[1]")]
    [InlineData("{}")]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("\"x\"")]
    public void Edge_cases_give_what_the_full_parser_gives(string line) => AssertSame([Encoding.UTF8.GetBytes(line)], new EventParser());

    [Fact]
    public void Ids_at_the_length_limit_and_past_it_give_what_the_full_parser_gives()
    {
        var held = new EventParser();
        foreach (var length in new[] { 1, 127, 128, 129, 300 })
        {
            var id = new string('x', length);
            AssertSame([Encoding.UTF8.GetBytes($$"""{"id":"{{id}}","type":"interaction.ended","occurred_at":"2026-03-02T09:00:00Z","interaction_id":"i-1"}""")], held);
        }

        // A DEL in the id is a control character: the full parser says so.
        AssertSame([Encoding.UTF8.GetBytes("{\"id\":\"e\u007f\",\"type\":\"interaction.ended\",\"occurred_at\":\"2026-03-02T09:00:00Z\",\"interaction_id\":\"i-1\"}")], held);
    }

    [Fact]
    public void Random_mutations_of_valid_lines_give_what_the_full_parser_gives()
    {
        // Single-byte changes, insertions and deletions of JSON's structural bytes, of bytes that are not UTF-8, of
        // control characters and escapes, anywhere in valid lines of every type.
        var valid = SyntheticEvents.Generate(200).Select(Encoding.UTF8.GetBytes).ToList();
        valid.AddRange(HostileInput.Mixed.Where(HostileInput.IsValid).Select(l => l.Bytes));
        byte[] bytes = [.. "\"\\{}[],: \t\r\n0-9tfnule\u007f"u8, 0x00, 0x01, 0x1f, 0x80, 0xbf, 0xc3, 0xe2, 0xed, 0xf0, 0xff];
        var random = new Random(1818);
        var held = new EventParser();
        var mutated = new List<byte[]>();
        for (var i = 0; i < 30_000; i++)
        {
            var line = valid[random.Next(valid.Count)].ToList();
            for (var k = random.Next(1, 3); k > 0; k--)
            {
                var at = random.Next(line.Count);
                switch (random.Next(3))
                {
                    case 0:
                        line[at] = bytes[random.Next(bytes.Length)];
                        break;
                    case 1:
                        line.Insert(at, bytes[random.Next(bytes.Length)]);
                        break;
                    default:
                        line.RemoveAt(at);
                        break;
                }
            }

            mutated.Add([.. line]);
        }

        AssertSame(mutated, held);
        // Many mutations still leave an event of the usual shape (a changed letter in a value): the scanner took those.
        Assert.True(held.Scanned > 1000, $"{held.Scanned} scanned");
    }

    [Theory]
    [InlineData(1, 16)]
    [InlineData(2, 200)]
    [InlineData(3, 4096)]
    [InlineData(2, ParallelEventReader.DefaultChunkBytes)]
    public void ReadHeld_gives_what_Read_gives_with_ids_as_bytes(int workers, int chunkBytes)
    {
        foreach (var body in new[]
        {
            ParallelEventReaderTests.FaultyNdjson(3000),
            HostileInput.Array(Enumerable.Repeat(HostileInput.Mixed, 20).SelectMany(m => m)),
        })
        {
            var expected = new List<string>();
            ParallelEventReader.Read(new MemoryStream(body), 1, (index, line, ev, error) => expected.Add($"{index} {line} {Describe(ev, ev?.Id, error)}"));
            var actual = new List<string>();
            ParallelEventReader.ReadHeld(new MemoryStream(body), workers, (index, line, ev, id, error) =>
                actual.Add($"{index} {line} {Describe(ev, ev is null ? null : Encoding.UTF8.GetString(id), error)}"), chunkBytes);
            Assert.Contains(expected, r => r.Contains("error", StringComparison.Ordinal));
            Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public async Task Ids_given_as_bytes_count_as_the_same_ids_given_as_text()
    {
        // Both duplicate checks, ids of every kind (escaped and not ASCII ones come from the full parser), duplicates
        // with other contents: the same records as events added with their ids as text.
        var lines = SyntheticEvents.Generate(300).ToList();
        lines.Add("""{"id":"\u00e9-1","type":"status.changed","occurred_at":"2026-03-02T09:00:00Z","interaction_id":"i-x","status":"open"}""");
        lines.Add("""{"id":"é-1","type":"status.changed","occurred_at":"2026-03-02T09:00:01Z","interaction_id":"i-x","status":"solved"}""");
        // An ASCII id the scanner takes as bytes, and the same id escaped, which the full parser reads (in both orders).
        lines.Add("""{"id":"dup-1","type":"status.changed","occurred_at":"2026-03-02T09:00:02Z","interaction_id":"i-x","status":"open"}""");
        lines.Add("""{"id":"dup\u002d1","type":"status.changed","occurred_at":"2026-03-02T09:00:03Z","interaction_id":"i-x","status":"pending"}""");
        lines.Add("""{"id":"d\u0075p-2","type":"status.changed","occurred_at":"2026-03-02T09:00:04Z","interaction_id":"i-x","status":"open"}""");
        lines.Add("""{"id":"dup-2","type":"status.changed","occurred_at":"2026-03-02T09:00:05Z","interaction_id":"i-x","status":"closed"}""");
        lines.AddRange(lines.Take(50).Select(l => l.Replace("2026-03-0", "2026-04-0", StringComparison.Ordinal)));
        var body = Encoding.UTF8.GetBytes(string.Join('\n', lines));
        foreach (var late in new[] { false, true })
        {
            var asText = new AccountDerivation(0, late);
            ParallelEventReader.Read(new MemoryStream(body), 1, (_, _, ev, _) => asText.Add(ev!));
            var asBytes = new AccountDerivation(0, late);
            ParallelEventReader.ReadHeld(new MemoryStream(body), 2, (_, _, ev, id, _) => asBytes.Add(ev!, id), 512);
            Assert.Equal(asText.Count, asBytes.Count);
            Assert.True(asBytes.Count <= lines.Count - 53);
            var now = 1_775_000_000_000;
            var expected = asText.Run(AccountSettings.Default, now);
            var actual = asBytes.Run(AccountSettings.Default, now);
            Assert.NotEmpty(expected.Interactions);
            foreach (var type in new[] { ReportType.Engagements, ReportType.Interactions })
            {
                Assert.Equal(await Report(expected, type), await Report(actual, type));
            }
        }
    }

    private static async Task<string> Report(DerivedAccount derived, ReportType type)
    {
        using var output = new MemoryStream();
        await DerivedReport.WriteAsync(output, derived, type, ReportFormat.Csv, DateTimeZone.Utc);
        return Encoding.UTF8.GetString(output.ToArray());
    }

    [Fact]
    public void An_id_given_as_bytes_that_are_not_UTF8_is_refused_and_nothing_is_taken()
    {
        foreach (var late in new[] { false, true })
        {
            var derivation = new AccountDerivation(0, late);
            var e = new Event { Id = "", Type = EventType.StatusChanged, OccurredAtMs = 1_772_409_600_000, InteractionId = "i-1", Status = TicketStatus.Open };
            Assert.Throws<ArgumentException>(() => derivation.Add(e, [0x65, 0xff]));
            Assert.Equal(0, derivation.Count);
            Assert.True(derivation.Add(e, "e-1"u8));
            Assert.Equal(1, derivation.Count);
        }
    }

    /// <summary>Each line through both parsers (the held one refilling one instance, as derive does): the same outcome.</summary>
    private static void AssertSame(IEnumerable<byte[]> lines, EventParser held)
    {
        var full = new EventParser();
        Event? spare = null;
        long index = 0;
        foreach (var line in lines)
        {
            full.TryParse(line, index, out var expected, out var expectedError);
            var ok = held.TryParseHeld(line, index, spare, out var ev, out var error, out var idStart, out var idLength);
            Assert.Equal(ev is not null, ok);
            var id = ev is null ? null : idStart >= 0 ? Encoding.UTF8.GetString(line.AsSpan(idStart, idLength)) : ev.Id;
            if (idStart >= 0)
            {
                Assert.Equal("", ev!.Id);
            }

            Assert.True(Describe(expected, expected?.Id, expectedError) == Describe(ev, id, error), $"line {index}: {Encoding.UTF8.GetString(line)}");
            spare = ev ?? spare;
            index++;
        }
    }

    private static string Describe(Event? e, string? id, EventError? error)
    {
        if (error is not null)
        {
            return $"error: {error}";
        }

        var d = e!.Details;
        return $"{id}|{e.Type}|{e.OccurredAtMs}|{e.InteractionId}|{e.Sequence}|{e.AgentId}|{e.AgentName}|{e.AuthorType}|{e.IsPublic}|"
            + $"{e.Channel}|{e.Direction}|{e.Status}|{e.Outcome}|{e.Via}|{d?.GroupId}|{d?.GroupName}|{d?.RequesterId}|{d?.RequesterName}|"
            + $"{d?.RequesterContact}|{d?.ExternalId}|{d?.Disposition}|{d?.Notes}|{d?.RecordingUrl}|{d?.TranscriptUrl}|{d?.FromAgentId}|{d is null}|"
            + $"{d?.GroupId is null}{d?.GroupName is null}{d?.RequesterId is null}{d?.RequesterName is null}{d?.RequesterContact is null}"
            + $"{d?.ExternalId is null}{d?.Disposition is null}{d?.Notes is null}{d?.RecordingUrl is null}{d?.TranscriptUrl is null}{d?.FromAgentId is null}"
            + $"{e.AgentId is null}{e.AgentName is null}";
    }
}
