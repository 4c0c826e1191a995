using System.Text.Json;
using NodaTime;
using NodaTime.Text;
using OmniReport.Core.Events;
using OmniReport.Core.Settings;

namespace OmniReport.Core.Reports;

/// <summary>
/// The body of <c>POST /data/reports/{type}/jobs</c> (SPEC §5.4), validated: a name (default: the report type), an IANA
/// time zone (default UTC; <c>timezone</c>, else <c>timespan.timezone</c> as Talkdesk clients send it, §5.5), a format,
/// and a timespan whose ends are RFC 3339, or <c>YYYY-MM-DDTHH:MM:SS</c> /
/// <c>YYYY-MM-DD HH:MM:SS</c> read in the time zone. <c>from</c> is inclusive, <c>to</c> exclusive, and the
/// span is at most 366 days.
/// </summary>
public sealed record ReportJobRequest
{
    /// <summary>Longest span: 366 days.</summary>
    public const long MaxSpanMs = 366L * 86_400_000;

    private static readonly LocalDateTimePattern[] LocalPatterns =
    [
        LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'ss"),
        LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd' 'HH':'mm':'ss"),
    ];

    /// <summary>The report's name.</summary>
    public required string Name { get; init; }

    /// <summary>The IANA time zone the timespan is read in and the times are written in.</summary>
    public required string TimeZone { get; init; }

    /// <summary>The file format.</summary>
    public required ReportFormat Format { get; init; }

    /// <summary>timespan.from as given.</summary>
    public required string From { get; init; }

    /// <summary>timespan.to as given.</summary>
    public required string To { get; init; }

    /// <summary>timespan.from as Unix ms (inclusive).</summary>
    public required long FromMs { get; init; }

    /// <summary>timespan.to as Unix ms (exclusive).</summary>
    public required long ToMs { get; init; }

    /// <summary>Parses and validates a job body; on failure every bad field is named.</summary>
    public static bool TryParse(string type, ReadOnlySpan<byte> json, out ReportJobRequest? request, out IReadOnlyList<FieldProblem> problems)
    {
        request = null;
        var list = new List<FieldProblem>();
        problems = list;
        JsonDocument doc;
        try
        {
            var reader = new Utf8JsonReader(json);
            doc = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException ex)
        {
            list.Add(new FieldProblem("body", JsonProblem.Describe(ex)));
            return false;
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                list.Add(new FieldProblem("body", "must be a JSON object with name, timezone, format and timespan"));
                return false;
            }

            var name = OptionalString(root, "name", list) ?? type;

            // SPEC §5.5: Talkdesk clients put the zone in the timespan; the top-level field wins when both are given.
            var (zoneField, zoneId) = ("timezone", OptionalString(root, "timezone", list));
            var topZoneGiven = root.TryGetProperty("timezone", out var topZone) && topZone.ValueKind != JsonValueKind.Null;
            if (!topZoneGiven
                && root.TryGetProperty("timespan", out var spanForZone) && spanForZone.ValueKind == JsonValueKind.Object)
            {
                (zoneField, zoneId) = ("timespan.timezone", OptionalString(spanForZone, "timezone", list, "timespan.timezone"));
            }

            zoneId ??= "UTC";
            var zone = Zones.Find(zoneId);
            if (zone is null)
            {
                list.Add(new FieldProblem(zoneField, $"\"{zoneId}\" is not an IANA time zone name such as Europe/Lisbon"));
            }

            var formatText = OptionalString(root, "format", list);
            var format = ReportFormat.Json;
            if (formatText is null)
            {
                if (!root.TryGetProperty("format", out _))
                {
                    list.Add(new FieldProblem("format", "is required: json, csv or json_bulk"));
                }
            }
            else if (!ReportNames.TryFormat(formatText, out format))
            {
                list.Add(new FieldProblem("format", $"\"{formatText}\" is not one of json, csv, json_bulk"));
            }

            string? from = null, to = null;
            if (!root.TryGetProperty("timespan", out var span) || span.ValueKind == JsonValueKind.Null)
            {
                list.Add(new FieldProblem("timespan", "is required: {\"from\": ..., \"to\": ...}"));
            }
            else if (span.ValueKind != JsonValueKind.Object)
            {
                list.Add(new FieldProblem("timespan", "must be an object {\"from\": ..., \"to\": ...}"));
            }
            else
            {
                from = RequiredString(span, "from", "timespan.from", list);
                to = RequiredString(span, "to", "timespan.to", list);
            }

            long fromMs = 0, toMs = 0;
            var timesOk = zone is not null && from is not null && to is not null;
            if (zone is not null && from is not null && !TryInstant(from, zone, out fromMs))
            {
                list.Add(new FieldProblem("timespan.from", $"\"{from}\" {TimeForms}"));
                timesOk = false;
            }

            if (zone is not null && to is not null && !TryInstant(to, zone, out toMs))
            {
                list.Add(new FieldProblem("timespan.to", $"\"{to}\" {TimeForms}"));
                timesOk = false;
            }

            if (timesOk && toMs <= fromMs)
            {
                list.Add(new FieldProblem("timespan.to", "must be later than timespan.from"));
            }
            else if (timesOk && toMs - fromMs > MaxSpanMs)
            {
                list.Add(new FieldProblem("timespan", "must span at most 366 days"));
            }

            if (list.Count > 0)
            {
                return false;
            }

            request = new ReportJobRequest
            {
                Name = name, TimeZone = zone!.Id, Format = format, From = from!, To = to!, FromMs = fromMs, ToMs = toMs,
            };
            return true;
        }
    }

    /// <summary>What <see cref="TryInstant"/> reads, for the errors that quote a time it did not.</summary>
    public const string TimeForms = "is not RFC 3339, YYYY-MM-DDTHH:MM:SS or YYYY-MM-DD HH:MM:SS in the years 0001-9999";

    /// <summary>
    /// Reads a timespan end: RFC 3339 with an offset as given, else a local date-time in <paramref name="zone"/>
    /// (in a daylight-saving gap the clock is read forward; in an overlap the earlier instant is taken); false too for
    /// an instant outside the years 0001–9999 in UTC.
    /// </summary>
    public static bool TryInstant(string text, DateTimeZone zone, out long unixMs)
    {
        if (Rfc3339.TryParse(text, out unixMs))
        {
            return Rfc3339.InRange(unixMs);
        }

        foreach (var pattern in LocalPatterns)
        {
            var parsed = pattern.Parse(text);
            if (parsed.Success)
            {
                unixMs = parsed.Value.InZoneLeniently(zone).ToInstant().ToUnixTimeMilliseconds();
                return Rfc3339.InRange(unixMs);
            }
        }

        unixMs = 0;
        return false;
    }

    private static string? OptionalString(JsonElement root, string field, List<FieldProblem> problems, string? path = null)
    {
        if (!root.TryGetProperty(field, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (v.ValueKind != JsonValueKind.String)
        {
            problems.Add(new FieldProblem(path ?? field, "must be a string"));
            return null;
        }

        return v.GetString();
    }

    private static string? RequiredString(JsonElement obj, string field, string path, List<FieldProblem> problems)
    {
        if (!obj.TryGetProperty(field, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            problems.Add(new FieldProblem(path, "is required"));
            return null;
        }

        if (v.ValueKind != JsonValueKind.String)
        {
            problems.Add(new FieldProblem(path, "must be a string"));
            return null;
        }

        return v.GetString();
    }
}
