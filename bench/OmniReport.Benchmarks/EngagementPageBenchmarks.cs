using System.Buffers;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using OmniReport.Api.Zendesk;
using OmniReport.Core.Derivation;
using OmniReport.Core.Settings;

namespace OmniReport.Benchmarks;

/// <summary>
/// One page of <c>GET /api/v2/engagements</c> (100 rows) written to memory, side by side: the page as a record
/// through the dialect's source-generated serializer (today), and the hand-written writer it replaced (the
/// baseline, kept here verbatim). Both hand each row to the same field writer. Setup checks the bytes are equal.
/// Per operation = per row.
/// </summary>
public class EngagementPageBenchmarks
{
    private const int Rows = 100;
    private const string Next = "http://127.0.0.1:8080/api/v2/engagements?page_size=100&cursor=MTc3MjQ0NjQwMDpBQkNERUY";
    private readonly ArrayBufferWriter<byte> _buffer = new(1 << 16);
    private Engagement[] _rows = [];
    private EngagementPage _page = null!;

    [GlobalSetup]
    public void Setup()
    {
        var derivation = new AccountDerivation(20_000);
        foreach (var e in Corpus.Parsed(Corpus.Lines(Corpus.Ndjson(20_000))))
        {
            derivation.Add(e);
        }

        _rows = [.. derivation.Run(AccountSettings.Default, Corpus.Now.ToUnixTimeMilliseconds()).Engagements.Take(Rows)];
        _page = new EngagementPage([.. _rows.Select(e => new EngagementObject(e))], Next, true, _rows.Length);
        HandWritten();
        var before = _buffer.WrittenSpan.ToArray();
        Serialized();
        if (_rows.Length != Rows || !before.AsSpan().SequenceEqual(_buffer.WrittenSpan))
        {
            throw new InvalidOperationException("the two writers disagree");
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Rows)]
    public int HandWritten()
    {
        _buffer.ResetWrittenCount();
        using (var w = new Utf8JsonWriter(_buffer, Dialect.WriterOptions))
        {
            var sink = new EngagementJson(w);
            w.WriteStartObject();
            w.WriteStartArray("agent_engagement_data"u8);
            foreach (var e in _rows)
            {
                sink.Write(e);
            }

            w.WriteEndArray();
            w.WriteString("next_page_url"u8, Next);
            w.WriteBoolean("has_more"u8, true);
            w.WriteNumber("page_size"u8, _rows.Length);
            w.WriteEndObject();
        }

        return _buffer.WrittenCount;
    }

    [Benchmark(OperationsPerInvoke = Rows)]
    public int Serialized()
    {
        _buffer.ResetWrittenCount();
        using (var w = new Utf8JsonWriter(_buffer, Dialect.WriterOptions))
        {
            JsonSerializer.Serialize(w, _page, ZendeskJson.Wire.EngagementPage);
        }

        return _buffer.WrittenCount;
    }
}
