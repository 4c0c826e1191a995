using BenchmarkDotNet.Attributes;
using OmniReport.Core.Events;

namespace OmniReport.Benchmarks;

/// <summary>Parsing and validating events: line by line, and a whole NDJSON stream through <see cref="EventStreamReader"/>.</summary>
public class ParserBenchmarks
{
    private byte[] _ndjson = [];
    private byte[][] _lines = [];

    [GlobalSetup]
    public void Setup()
    {
        _ndjson = Corpus.Ndjson();
        _lines = Corpus.Lines(_ndjson);
    }

    [Benchmark(OperationsPerInvoke = Corpus.Events)]
    public int EventParser_lines()
    {
        var parser = new EventParser();
        var n = 0;
        for (var i = 0; i < _lines.Length; i++)
        {
            if (parser.TryParse(_lines[i], i, out _, out _))
            {
                n++;
            }
        }

        return n;
    }

    [Benchmark(OperationsPerInvoke = Corpus.Events)]
    public int EventStreamReader_and_parser()
    {
        var parser = new EventParser();
        var n = 0;
        using var stream = new MemoryStream(_ndjson, writable: false);
        EventStreamReader.Read(stream, (index, json) =>
        {
            if (parser.TryParse(json, index, out _, out _))
            {
                n++;
            }
        });
        return n;
    }
}
