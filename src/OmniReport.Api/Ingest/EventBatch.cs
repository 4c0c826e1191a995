using System.Text.Json;
using OmniReport.Core.Events;

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
        /// <summary>The array breaks off: the records before the break are in the list; the break is the next index.</summary>
        Broken,
    }

    /// <summary>
    /// Splits a JSON body. The events array is cut into elements by brackets and quotes alone (as
    /// <see cref="EventStreamReader"/> reads a file), so an element that is not valid JSON is one rejected event
    /// and the elements after it still count. An array that breaks off keeps the elements before the break
    /// (<see cref="Outcome.Broken"/>). In <c>{"events": [...]}</c> the members before <c>events</c> must be JSON;
    /// what follows the array is not read (other members are ignored anyway).
    /// </summary>
    public static Outcome SplitJson(ReadOnlySpan<byte> body, int maxEvents, List<EventRecord> records, out string? problem)
    {
        problem = null;
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 64 });
        int open;
        bool topArray;
        try
        {
            if (!reader.Read())
            {
                problem = "the body is empty; send a JSON array of events or {\"events\": [...]}";
                return Outcome.NotJson;
            }

            topArray = reader.TokenType == JsonTokenType.StartArray;
            open = topArray ? (int)reader.TokenStartIndex : EventsArray(ref reader);
        }
        catch (JsonException ex)
        {
            problem = $"the body is not valid JSON: {Trim(ex.Message)}";
            return Outcome.NotJson;
        }

        if (open < 0)
        {
            problem = "the body must be a JSON array of events or an object with an \"events\" array";
            return Outcome.NotJson;
        }

        var tooMany = false;
        var outcome = EventArray.Split(body, open, (index, start, length) =>
        {
            if (records.Count >= maxEvents)
            {
                tooMany = true;
                return false;
            }

            records.Add(new EventRecord(index, start, length));
            return true;
        });
        if (tooMany)
        {
            return Outcome.TooMany;
        }

        if (outcome.Problem is null && topArray && !body[outcome.End..].Trim(" \t\r\n"u8).IsEmpty)
        {
            outcome = outcome with { Problem = "unexpected text after the JSON array" };
        }

        if (outcome.Problem is null)
        {
            return Outcome.Ok;
        }

        // A break after some elements keeps them (decisions.md); a body broken before any element is not a batch.
        problem = records.Count > 0
            ? $"{outcome.Problem}; nothing after it was read"
            : $"the body is not valid JSON: {outcome.Problem}";
        return records.Count > 0 ? Outcome.Broken : Outcome.NotJson;
    }

    /// <summary>The position of the <c>[</c> of the <c>events</c> member of a top-level object, or -1.</summary>
    private static int EventsArray(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return -1;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isEvents = reader.ValueTextEquals("events"u8);
            reader.Read();
            if (isEvents && reader.TokenType == JsonTokenType.StartArray)
            {
                return (int)reader.TokenStartIndex;
            }

            reader.Skip();
        }

        return -1;
    }

    private static string Trim(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }

    public static Outcome SplitLines(ReadOnlySpan<byte> body, int maxEvents, List<EventRecord> records)
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
                records.Add(new EventRecord(line, at, length));
            }

            line++;
            at = end + 1;
        }

        return Outcome.Ok;
    }
}
