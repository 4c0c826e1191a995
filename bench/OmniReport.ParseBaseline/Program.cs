using System.Diagnostics;
using System.Text.Json;

// The parse-only floor that `omnireport derive` is measured against (docs/performance.md, bench/derive-vs-baseline.sh):
// read an NDJSON file of events, tokenize every line with System.Text.Json's Utf8JsonReader, materialize every
// string value, parse every occurred_at, and nothing else — no validation, no event objects, no derivation, no
// output. One thread, as the simplest program a user would write. Nothing of OmniReport is referenced.
if (args.Length != 1)
{
    Console.Error.WriteLine("usage: OmniReport.ParseBaseline FILE.ndjson");
    return 2;
}

var clock = Stopwatch.StartNew();
long events = 0, strings = 0, checksum = 0;
var buffer = new byte[1 << 20];
var length = 0;
using (var input = new FileStream(args[0], FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan))
{
    while (true)
    {
        var n = input.Read(buffer, length, buffer.Length - length);
        length += n;
        var text = buffer.AsSpan(0, length);
        var done = 0;
        while (true)
        {
            var nl = text[done..].IndexOf((byte)'\n');
            if (nl < 0)
            {
                if (n > 0)
                {
                    break;
                }

                nl = text.Length - done; // the last line, without a newline
            }

            var line = text.Slice(done, nl);
            done += nl + 1;
            if (!line.Trim(" \t\r"u8).IsEmpty)
            {
                Tokenize(line);
            }

            if (done >= text.Length)
            {
                break;
            }
        }

        if (n == 0)
        {
            break;
        }

        done = Math.Min(done, length);
        text[done..].CopyTo(buffer);
        length -= done;
        if (length == buffer.Length)
        {
            Array.Resize(ref buffer, buffer.Length * 2);
        }
    }
}

Console.WriteLine($"{events} events, {strings} strings (checksum {checksum}) in {clock.Elapsed.TotalSeconds:0.000} s");
return 0;

void Tokenize(ReadOnlySpan<byte> line)
{
    var reader = new Utf8JsonReader(line);
    var timestamp = false;
    while (reader.Read())
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.PropertyName:
                timestamp = reader.ValueTextEquals("occurred_at"u8);
                break;
            case JsonTokenType.String when timestamp:
                checksum += reader.GetDateTimeOffset().UtcTicks & 0xFF;
                strings++;
                break;
            case JsonTokenType.String:
                checksum += reader.GetString()!.Length;
                strings++;
                break;
        }
    }

    events++;
}
