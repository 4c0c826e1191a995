using System.Buffers;
using System.Globalization;
using System.Text.Json;
using OmniReport.Api.Zendesk;

namespace OmniReport.Api.Connectors;

/// <summary>
/// Writes one SPEC §1 event as JSON and remembers which vendor field each of its fields came from, so that an error of
/// the event parser can name the vendor's field. Text no store can keep (a lone surrogate, U+0000) is refused here, by field.
/// </summary>
internal sealed class EventJson
{
    private readonly ArrayBufferWriter<byte> _buffer = new(256);
    private readonly Utf8JsonWriter _writer;
    private readonly Dictionary<string, string> _fields;

    public EventJson(string id, string type, string occurredAt, string interactionId, Dictionary<string, string> fields)
    {
        _fields = fields;
        _writer = new Utf8JsonWriter(_buffer, Dialect.WriterOptions);
        _writer.WriteStartObject();
        String("id", id, fields.GetValueOrDefault("id", "id"));
        _writer.WriteString("type", type);
        String("occurred_at", occurredAt, fields.GetValueOrDefault("occurred_at", "occurred_at"));
        String("interaction_id", interactionId, fields.GetValueOrDefault("interaction_id", "interaction_id"));
    }

    /// <summary>The vendor field of the first text that could not be written, or null.</summary>
    public string? BadField { get; private set; }

    /// <summary>What is wrong with <see cref="BadField"/>.</summary>
    public string? BadDescription { get; private set; }

    /// <summary>Writes <paramref name="name"/> when <paramref name="value"/> is not null.</summary>
    public EventJson String(string name, string? value, string vendorField) => Write(name, name, value, vendorField);

    private EventJson Write(string path, string name, string? value, string vendorField)
    {
        if (value is null)
        {
            return this;
        }

        _fields[path] = vendorField;
        if (!IsWellFormed(value))
        {
            if (BadField is null)
            {
                BadField = vendorField;
                BadDescription = value.Contains('\0', StringComparison.Ordinal)
                    ? "must not contain U+0000 (no store keeps it alike)"
                    : "is not valid Unicode text (a lone surrogate)";
            }

            return this;
        }

        _writer.WriteString(name, value);
        return this;
    }

    /// <summary>Writes a boolean.</summary>
    public EventJson Bool(string name, bool value)
    {
        _writer.WriteBoolean(name, value);
        return this;
    }

    /// <summary>Writes the <c>requester</c> object when any of its parts is given.</summary>
    public EventJson Requester(string? id, string? name, string? contact, (string Id, string Name, string Contact) vendorFields)
    {
        if (id is null && name is null && contact is null)
        {
            return this;
        }

        _writer.WriteStartObject("requester");
        Write("requester.id", "id", id, vendorFields.Id);
        Write("requester.name", "name", name, vendorFields.Name);
        Write("requester.contact", "contact", contact, vendorFields.Contact);
        _writer.WriteEndObject();
        return this;
    }

    /// <summary>The event's JSON.</summary>
    public byte[] ToArray()
    {
        _writer.WriteEndObject();
        _writer.Flush();
        return _buffer.WrittenSpan.ToArray();
    }

    /// <summary>Unix milliseconds as the RFC 3339 text of §1 (UTC, milliseconds kept); null when out of range.</summary>
    public static string? Time(long unixMs) =>
        unixMs is < -62_135_596_800_000 or > 253_402_300_799_999
            ? null
            : DateTimeOffset.FromUnixTimeMilliseconds(unixMs).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>No lone surrogate, and no U+0000 (SPEC §1: each rejects only the event that holds it).</summary>
    private static bool IsWellFormed(string s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] == '\0')
            {
                return false;
            }

            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(s[i]))
            {
                return false;
            }
        }

        return true;
    }
}
