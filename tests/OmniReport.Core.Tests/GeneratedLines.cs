using OmniReport.Generation;

namespace OmniReport.Core.Tests;

/// <summary>The NDJSON lines <see cref="EventGenerator"/> writes for some options, each without its line feed.</summary>
internal static class GeneratedLines
{
    public static List<byte[]> Of(GeneratorOptions options)
    {
        using var stream = new MemoryStream();
        new EventGenerator(options).WriteNdjson(stream);
        var text = stream.ToArray();
        var lines = new List<byte[]>();
        for (var at = 0; at < text.Length;)
        {
            var end = Array.IndexOf(text, (byte)'\n', at);
            lines.Add(text[at..end]);
            at = end + 1;
        }

        return lines;
    }
}
