using System.Globalization;
using System.Text.Json;
using NodaTime;
using NodaTime.Text;

using OmniReport.Core.Reports;

namespace OmniReport.Core.Settings;

/// <summary>Reads and writes the settings object of SPEC §2 / §5.2.</summary>
public static class SettingsJson
{
    /// <summary>
    /// Applies a JSON object holding any subset of the settings to <paramref name="current"/>. On a bad value
    /// nothing is applied and <paramref name="error"/> names the field.
    /// </summary>
    public static bool TryApply(AccountSettings current, string json, out AccountSettings result, out FieldProblem? error)
    {
        result = current;
        error = null;
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            error = new FieldProblem("settings", JsonProblem.Describe(ex));
            return false;
        }

        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                error = new FieldProblem("settings", "must be a JSON object");
                return false;
            }

            var next = current;
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                switch (p.Name)
                {
                    case "inactivity_timeout_minutes":
                        if (!Int(p, 1, 10_080, out var minutes, out error))
                        {
                            return false;
                        }

                        next = next with { InactivityTimeoutMinutes = minutes };
                        break;
                    case "open_engagement_max_days":
                        if (!Int(p, 1, 3_650, out var days, out error))
                        {
                            return false;
                        }

                        next = next with { OpenEngagementMaxDays = days };
                        break;
                    case "messaging_activity_routing":
                        if (!Bool(p, out var mar, out error))
                        {
                            return false;
                        }

                        next = next with { MessagingActivityRouting = mar };
                        break;
                    case "inactive_conversations_count_toward_capacity":
                        if (!Bool(p, out var icc, out error))
                        {
                            return false;
                        }

                        next = next with { InactiveConversationsCountTowardCapacity = icc };
                        break;
                    case "business_hours":
                        if (!TryBusinessHours(p.Value, out var hours, out error))
                        {
                            return false;
                        }

                        next = next with { BusinessHours = hours };
                        break;
                    default:
                        error = new FieldProblem(p.Name, $"unknown setting \"{p.Name}\"; expected inactivity_timeout_minutes, messaging_activity_routing, inactive_conversations_count_toward_capacity, open_engagement_max_days or business_hours");
                        return false;
                }
            }

            result = next;
            return true;
        }
    }

    /// <summary>Writes every setting as one JSON object (<see cref="SettingsDocument"/>).</summary>
    public static string Write(AccountSettings s) =>
        JsonSerializer.Serialize(SettingsDocument.From(s), SettingsDocumentJson.Default.SettingsDocument);

    private static bool TryBusinessHours(JsonElement e, out BusinessHours? hours, out FieldProblem? error)
    {
        hours = null;
        error = null;
        if (e.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (e.ValueKind != JsonValueKind.Object)
        {
            error = new FieldProblem("business_hours", "must be null or an object with timezone, weekly and holidays");
            return false;
        }

        DateTimeZone? zone = null;
        var weekly = new List<WeeklyInterval>();
        var holidays = new List<LocalDate>();
        foreach (var p in e.EnumerateObject())
        {
            switch (p.Name)
            {
                case "timezone":
                    if (p.Value.ValueKind != JsonValueKind.String || (zone = Zones.Find(p.Value.GetString()!)) is null)
                    {
                        error = new FieldProblem("business_hours.timezone", $"must be an IANA time zone name such as Europe/Lisbon, not {p.Value.GetRawText()}");
                        return false;
                    }

                    break;
                case "weekly":
                    if (!Weekly(p.Value, weekly, out error))
                    {
                        return false;
                    }

                    break;
                case "holidays":
                    if (p.Value.ValueKind != JsonValueKind.Array)
                    {
                        error = new FieldProblem("business_hours.holidays", "must be an array of dates (YYYY-MM-DD)");
                        return false;
                    }

                    var n = 0;
                    foreach (var h in p.Value.EnumerateArray())
                    {
                        var parsed = h.ValueKind == JsonValueKind.String ? LocalDatePattern.Iso.Parse(h.GetString()!) : null;
                        if (parsed is null || !parsed.Success)
                        {
                            error = new FieldProblem($"business_hours.holidays[{n}]", $"must be a date YYYY-MM-DD, not {h.GetRawText()}");
                            return false;
                        }

                        holidays.Add(parsed.Value);
                        n++;
                    }

                    break;
                default:
                    error = new FieldProblem($"business_hours.{p.Name}", $"unknown field \"{p.Name}\"; expected timezone, weekly, holidays");
                    return false;
            }
        }

        if (zone is null)
        {
            error = new FieldProblem("business_hours.timezone", "is required");
            return false;
        }

        hours = new BusinessHours(zone, weekly, holidays);
        return true;
    }

    private static bool Weekly(JsonElement e, List<WeeklyInterval> into, out FieldProblem? error)
    {
        error = null;
        if (e.ValueKind != JsonValueKind.Array)
        {
            error = new FieldProblem("business_hours.weekly", "must be an array of {day, start, end}");
            return false;
        }

        var n = 0;
        foreach (var item in e.EnumerateArray())
        {
            var at = $"business_hours.weekly[{n}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                error = new FieldProblem(at, "must be an object {day, start, end}");
                return false;
            }

            string? day = null, start = null, end = null;
            foreach (var p in item.EnumerateObject())
            {
                var text = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : null;
                switch (p.Name)
                {
                    case "day": day = text ?? "?"; break;
                    case "start": start = text ?? "?"; break;
                    case "end": end = text ?? "?"; break;
                    default:
                        error = new FieldProblem($"{at}.{p.Name}", $"unknown field \"{p.Name}\"; expected day, start, end");
                        return false;
                }
            }

            var dayIndex = day is null ? -1 : Array.IndexOf(SettingsDocument.DayNames, day);
            if (dayIndex < 0)
            {
                error = new FieldProblem($"{at}.day", "must be one of mon, tue, wed, thu, fri, sat, sun");
                return false;
            }

            if (!Minute(start, allow24: false, out var s))
            {
                error = new FieldProblem($"{at}.start", "must be a time HH:MM from 00:00 to 23:59");
                return false;
            }

            if (!Minute(end, allow24: true, out var f))
            {
                error = new FieldProblem($"{at}.end", "must be a time HH:MM from 00:01 to 24:00");
                return false;
            }

            if (f <= s)
            {
                error = new FieldProblem($"{at}.end", $"must be later than start ({start})");
                return false;
            }

            into.Add(new WeeklyInterval((IsoDayOfWeek)(dayIndex + 1), s, f));
            n++;
        }

        return true;
    }

    private static bool Minute(string? text, bool allow24, out int minute)
    {
        minute = 0;
        if (text is not { Length: 5 } || text[2] != ':'
            || !int.TryParse(text.AsSpan(0, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var h)
            || !int.TryParse(text.AsSpan(3, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var m))
        {
            return false;
        }

        minute = (h * 60) + m;
        return m < 60 && (h < 24 || (allow24 && h == 24 && m == 0));
    }

    private static bool Int(JsonProperty p, int min, int max, out int value, out FieldProblem? error)
    {
        value = 0;
        error = null;
        if (p.Value.ValueKind == JsonValueKind.Number && p.Value.TryGetInt32(out value) && value >= min && value <= max)
        {
            return true;
        }

        error = new FieldProblem(p.Name, $"must be a whole number from {min} to {max}, not {p.Value.GetRawText()}");
        return false;
    }

    private static bool Bool(JsonProperty p, out bool value, out FieldProblem? error)
    {
        value = p.Value.ValueKind == JsonValueKind.True;
        error = null;
        if (p.Value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return true;
        }

        error = new FieldProblem(p.Name, $"must be true or false, not {p.Value.GetRawText()}");
        return false;
    }
}


/// <summary>IANA time zones from NodaTime's embedded TZDB, so results do not depend on the host's tzdata.</summary>
public static class Zones
{
    /// <summary>The zone with this IANA id, or null.</summary>
    public static DateTimeZone? Find(string id) => DateTimeZoneProviders.Tzdb.GetZoneOrNull(id);
}
