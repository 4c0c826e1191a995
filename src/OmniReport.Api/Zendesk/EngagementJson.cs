using System.Text.Json;
using NodaTime;
using OmniReport.Core.Derivation;
using OmniReport.Core.Reports;

namespace OmniReport.Api.Zendesk;

/// <summary>
/// Writes engagement objects through Core's <see cref="RecordFields"/> (the field order, JSON types, id rule
/// and time format of SPEC §5.3), so the API and the report files can never disagree.
/// </summary>
internal sealed class EngagementJson(Utf8JsonWriter writer) : IFieldSink
{
    private static readonly JsonEncodedText[] Names =
        Array.ConvertAll(RecordFields.Engagement, f => JsonEncodedText.Encode(f, Dialect.WriterOptions.Encoder));

    public void Write(Engagement e)
    {
        writer.WriteStartObject();
        RecordFields.Write(this, e, DateTimeZone.Utc);
        writer.WriteEndObject();
    }

    /// <summary>An open engagement (SPEC §9 "Now"): the fields so far, then <c>agent_name</c> and <c>open_seconds</c>.</summary>
    public void Write(OpenEngagement e, string agentName, long openSeconds)
    {
        writer.WriteStartObject();
        RecordFields.Write(this, e, DateTimeZone.Utc);
        writer.WriteString("agent_name"u8, agentName);
        writer.WriteNumber("open_seconds"u8, openSeconds);
        writer.WriteEndObject();
    }

    void IFieldSink.Null(int field) => writer.WriteNull(Names[field]);

    void IFieldSink.Number(int field, long value) => writer.WriteNumber(Names[field], value);

    void IFieldSink.Text(int field, string value) => writer.WriteString(Names[field], value);
}
