using System.Buffers;
using System.Text.Json;
using OmniReport.Core.Events;
using OmniReport.Generation;

namespace OmniReport.Benchmarks;

/// <summary>The events every benchmark uses: the generator's default mix, fixed seed, as NDJSON lines and parsed.</summary>
public static class Corpus
{
    public const int Events = 200_000;

    public static readonly DateTimeOffset Now = new(2026, 4, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The NDJSON file's bytes.</summary>
    public static byte[] Ndjson(long events = Events)
    {
        using var stream = new MemoryStream();
        new EventGenerator(new GeneratorOptions { Events = events, Days = 2 }).WriteNdjson(stream);
        return stream.ToArray();
    }

    /// <summary>Each line's bytes, without the newline.</summary>
    public static byte[][] Lines(byte[] ndjson)
    {
        var lines = new List<byte[]>(Events);
        var rest = ndjson.AsSpan();
        while (!rest.IsEmpty)
        {
            var nl = rest.IndexOf((byte)'\n');
            lines.Add(rest[..nl].ToArray());
            rest = rest[(nl + 1)..];
        }

        return [.. lines];
    }

    /// <summary>The parsed events, in arrival order.</summary>
    public static Event[] Parsed(byte[][] lines)
    {
        var parser = new EventParser();
        var events = new Event[lines.Length];
        for (var i = 0; i < lines.Length; i++)
        {
            if (!parser.TryParse(lines[i], i, out var e, out var error))
            {
                throw new InvalidOperationException(error!.ToString());
            }

            events[i] = e!;
        }

        return events;
    }
}
