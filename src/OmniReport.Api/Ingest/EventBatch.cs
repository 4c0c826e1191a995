using System.Text.Json;

namespace OmniReport.Api.Ingest;

/// <summary>
/// Splits an ingest body (SPEC §5.2) into its events' JSON texts: a JSON array, <c>{"events": [...]}</c>, or
/// NDJSON (index = zero-based line number, blank lines skipped, each line one event whatever it holds).
/// </summary>
internal static class EventBatch
{
    /// <summary>The outcome of splitting.</summary>
    public enum Outcome
    {
        /// <summary>Split; the records are in the list.</summary>
        Ok,
        /// <summary>A JSON body that is not JSON at all, or not an array / events object.</summary>
        NotJson,
        /// <summary>More events than allowed.</summary>
        TooMany,
    }

    /// <summary>One event's place in the body.</summary>
    public readonly record struct Record(long Index, int Start, int Length);

    public static Outcome SplitJson(ReadOnlySpan<byte> body, int maxEvents, List<Record> records, out string? problem)
    {
        problem = null;
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 64 });
        try
        {
            if (!reader.Read())
            {
                problem = "the body is empty; send a JSON array of events or {\"events\": [...]}";
                return Outcome.NotJson;
            }

            var found = false;
            if (reader.TokenType == JsonTokenType.StartArray)
            {
                if (!Elements(ref reader, maxEvents, records))
                {
                    return Outcome.TooMany;
                }

                found = true;
            }
            else if (reader.TokenType == JsonTokenType.StartObject)
            {
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var isEvents = reader.ValueTextEquals("events"u8);
                    reader.Read();
                    if (isEvents && !found && reader.TokenType == JsonTokenType.StartArray)
                    {
                        if (!Elements(ref reader, maxEvents, records))
                        {
                            return Outcome.TooMany;
                        }

                        found = true;
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
            }

            while (reader.Read())
            {
                // anything after the root value is an error the reader throws on
            }

            if (!found)
            {
                problem = "the body must be a JSON array of events or an object with an \"events\" array";
                records.Clear();
                return Outcome.NotJson;
            }

            return Outcome.Ok;
        }
        catch (JsonException ex)
        {
            var message = ex.Message;
            var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
            problem = $"the body is not valid JSON: {(cut > 0 ? message[..cut] : message)}";
            records.Clear();
            return Outcome.NotJson;
        }
    }

    private static bool Elements(ref Utf8JsonReader reader, int maxEvents, List<Record> records)
    {
        long index = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var start = (int)reader.TokenStartIndex;
            reader.Skip();
            if (records.Count >= maxEvents)
            {
                return false;
            }

            records.Add(new Record(index++, start, (int)reader.BytesConsumed - start));
        }

        return true;
    }

    public static Outcome SplitLines(ReadOnlySpan<byte> body, int maxEvents, List<Record> records)
    {
        long line = 0;
        var at = 0;
        while (at < body.Length)
        {
            var nl = body[at..].IndexOf((byte)'\n');
            var end = nl < 0 ? body.Length : at + nl;
            var text = body[at..end];
            if (!text.Trim(" \t\r"u8).IsEmpty)
            {
                if (records.Count >= maxEvents)
                {
                    return Outcome.TooMany;
                }

                var length = text.Length > 0 && text[^1] == (byte)'\r' ? text.Length - 1 : text.Length;
                records.Add(new Record(line, at, length));
            }

            line++;
            at = end + 1;
        }

        return Outcome.Ok;
    }
}
