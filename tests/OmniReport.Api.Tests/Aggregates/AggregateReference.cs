using System.Globalization;
using System.Text.Json.Nodes;

namespace OmniReport.Api.Tests.Aggregates;

/// <summary>
/// SPEC §7 computed the slow, obvious way from the rows a derivation writes (the JSON report entries of
/// <c>omnireport derive</c>): buckets found by walking the interval minute by minute with .NET's own time zones
/// (not NodaTime, which the service uses), percentiles by sorting, everything else by LINQ. Independent of the
/// service's code, so the two can only agree when both read the SPEC alike.
/// </summary>
internal static class AggregateReference
{
    public static readonly string[] EngagementDims =
        ["agent_id", "group_id", "channel", "engagement_start_reason", "engagement_end_reason", "ticket_status_start", "ticket_status_end"];

    public static readonly string[] InteractionDims = ["interaction_type", "interaction_status", "interaction_direction", "agent_type", "agent_id", "groups"];

    public static readonly string[] EngagementStats =
    [
        "engagement_duration_seconds", "offer_time_seconds", "assignment_to_first_reply_time_seconds", "agent_messages_count",
        "agent_replies_count", "end_user_messages_count", "total_requester_wait_time_seconds", "longest_requester_wait_time_seconds",
        "average_requester_wait_time_seconds",
    ];

    public static readonly string[] InteractionStats = ["waiting_time", "duration"];

    /// <summary>The expected answer for <paramref name="body"/> over report entries (UTC times).</summary>
    public static JsonObject Answer(bool engagements, JsonArray rows, JsonObject body)
    {
        var zoneId = body["timezone"]?.GetValue<string>() ?? "UTC";
        var zone = TimeZoneInfo.FindSystemTimeZoneById(zoneId);
        var from = Instant(body["interval"]!["from"]!.GetValue<string>(), zone);
        var to = Instant(body["interval"]!["to"]!.GetValue<string>(), zone);
        var granularity = body["granularity"]?.GetValue<string>() ?? "total";
        var groupBy = body["group_by"]?.AsArray().Select(x => x!.GetValue<string>()).ToList() ?? [];
        var metrics = body["metrics"]?.AsArray().Select(x => x!.GetValue<string>()).ToList()
            ?? (engagements ? ["engagements", .. EngagementStats, "requester_wait_seconds"] : ["interactions", .. InteractionStats, "service_level_percent", "abandon_percent"]);
        var sl = body["service_level_seconds"] is { } slNode ? long.Parse(slNode.ToJsonString(), CultureInfo.InvariantCulture) : 20;
        var filter = body["filter"]?.AsObject();
        var starts = BucketStarts(from, to, zone, granularity);

        var records = new List<(DateTimeOffset Start, JsonObject Row)>();
        foreach (var r in rows.Select(x => x!.AsObject()))
        {
            var start = DateTimeOffset.Parse(
                (engagements ? r["engagement_start_time"] : r["start_date-time"])!.GetValue<string>().Replace(' ', 'T') + "Z",
                CultureInfo.InvariantCulture);
            if (start < from || start >= to || !Passes(r, filter))
            {
                continue;
            }

            records.Add((start, r));
        }

        var groups = records.GroupBy(x => string.Join("\u0001", groupBy.Select(g => Text(x.Row[g]) ?? "\u0002")))
            .Select(g => (Values: groupBy.Select(f => g.First().Row[f]).ToList(), Items: g.ToList()))
            .ToList();
        if (groupBy.Count == 0 && groups.Count == 0)
        {
            groups.Add(([], []));
        }

        groups.Sort((a, b) =>
        {
            for (var i = 0; i < groupBy.Count; i++)
            {
                var c = string.CompareOrdinal(Text(a.Values[i]) ?? "", Text(b.Values[i]) ?? "");
                if (c != 0)
                {
                    return c;
                }

                c = (a.Values[i] is null ? 0 : 1).CompareTo(b.Values[i] is null ? 0 : 1);
                if (c != 0)
                {
                    return c;
                }
            }

            return 0;
        });

        var results = new JsonArray();
        foreach (var (values, items) in groups)
        {
            var group = new JsonObject();
            for (var i = 0; i < groupBy.Count; i++)
            {
                group[groupBy[i]] = values[i]?.DeepClone();
            }

            var buckets = new JsonArray();
            for (var b = 0; b < starts.Count; b++)
            {
                var bStart = starts[b];
                var bEnd = b + 1 < starts.Count ? starts[b + 1] : to;
                var inBucket = items.Where(x => x.Start >= bStart && x.Start < bEnd).Select(x => x.Row).ToList();
                var bucket = new JsonObject { ["start"] = Format(bStart, zone), ["end"] = Format(bEnd, zone) };
                foreach (var m in metrics)
                {
                    bucket[m] = Metric(m, inBucket, sl);
                }

                buckets.Add(bucket);
            }

            results.Add(new JsonObject { ["group"] = group, ["buckets"] = buckets });
        }

        return new JsonObject
        {
            ["interval"] = new JsonObject { ["from"] = Format(from, zone), ["to"] = Format(to, zone) },
            ["timezone"] = zoneId,
            ["granularity"] = granularity,
            ["group_by"] = new JsonArray([.. groupBy.Select(g => (JsonNode)g)]),
            ["results"] = results,
        };
    }

    private static JsonNode? Metric(string m, List<JsonObject> rows, long sl)
    {
        switch (m)
        {
            case "engagements" or "interactions":
                return rows.Count;
            case "requester_wait_seconds":
                var replies = rows.Sum(r => r["agent_replies_count"]!.GetValue<long>());
                return replies == 0 ? null : Round(rows.Sum(r => r["total_requester_wait_time_seconds"]!.GetValue<long>()), replies, 1);
            case "service_level_percent":
                var withWait = rows.Where(r => r["waiting_time"] is not null).ToList();
                return withWait.Count == 0 ? null
                    : Round(withWait.Count(r => r["agent_type"]!.GetValue<string>() == "USER" && r["waiting_time"]!.GetValue<long>() <= sl), withWait.Count, 100);
            case "abandon_percent":
                var done = rows.Count(r => r["interaction_status"]!.GetValue<string>() is "FINISHED" or "MISSED" or "ABANDONED" or "VOICEMAIL");
                return done == 0 ? null
                    : Round(rows.Count(r => r["interaction_status"]!.GetValue<string>() is "MISSED" or "ABANDONED"), done, 100);
            default:
                var values = rows.Where(r => r[m] is not null).Select(r => r[m]!.GetValue<long>()).OrderBy(v => v).ToList();
                var n = values.Count;
                long? Rank(int p) => n == 0 ? null : values[(int)Math.Ceiling(p / 100.0 * n) - 1];
                return new JsonObject
                {
                    ["count"] = n,
                    ["sum"] = values.Sum(),
                    ["avg"] = n == 0 ? null : Round(values.Sum(), n, 1),
                    ["min"] = n == 0 ? null : values[0],
                    ["max"] = n == 0 ? null : values[^1],
                    ["p50"] = Rank(50),
                    ["p90"] = Rank(90),
                    ["p95"] = Rank(95),
                };
        }
    }

    private static decimal Round(long num, long den, int scale) => Math.Round((decimal)num * scale / den, 2, MidpointRounding.AwayFromZero);

    private static bool Passes(JsonObject r, JsonObject? filter)
    {
        if (filter is null)
        {
            return true;
        }

        foreach (var (field, list) in filter)
        {
            var ci = field is "channel" or "ticket_status_start" or "ticket_status_end" or "interaction_type" or "interaction_status" or "interaction_direction" or "agent_type";
            var value = Text(r[field]);
            var ok = list!.AsArray().Any(v => v is null ? value is null
                : ci ? string.Equals(Text(v), value, StringComparison.OrdinalIgnoreCase) : Text(v) == value);
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    private static string? Text(JsonNode? v) => v?.GetValueKind() switch
    {
        null or System.Text.Json.JsonValueKind.Null => null,
        System.Text.Json.JsonValueKind.Number => v.ToJsonString(),
        _ => v.GetValue<string>(),
    };

    /// <summary>The bucket starts: the interval walked minute by minute, a new bucket whenever the local period (and, below a day, the offset) changes.</summary>
    public static List<DateTimeOffset> BucketStarts(DateTimeOffset from, DateTimeOffset to, TimeZoneInfo zone, string granularity)
    {
        var starts = new List<DateTimeOffset> { from };
        if (granularity == "total")
        {
            return starts;
        }

        var key = Key(from, zone, granularity);
        var t = new DateTimeOffset(from.UtcTicks - (from.UtcTicks % TimeSpan.TicksPerMinute), TimeSpan.Zero).AddMinutes(1);
        for (; t < to; t = t.AddMinutes(1))
        {
            var k = Key(t, zone, granularity);
            if (k != key)
            {
                starts.Add(t);
                key = k;
            }
        }

        return starts;
    }

    private static string Key(DateTimeOffset t, TimeZoneInfo zone, string g)
    {
        var local = TimeZoneInfo.ConvertTime(t, zone);
        var l = local.DateTime;
        return g switch
        {
            "PT15M" => $"{l:yyyy-MM-dd HH}:{l.Minute / 15} {local.Offset}",
            "PT30M" => $"{l:yyyy-MM-dd HH}:{l.Minute / 30} {local.Offset}",
            "PT1H" => $"{l:yyyy-MM-dd HH} {local.Offset}",
            "P1D" => $"{l:yyyy-MM-dd}",
            "P1W" => $"{l.Date.AddDays(-(((int)l.DayOfWeek + 6) % 7)):yyyy-MM-dd}",
            _ => $"{l:yyyy-MM}",
        };
    }

    /// <summary>RFC 3339 with the zone's offset at the instant.</summary>
    public static string Format(DateTimeOffset t, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(t, zone).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    /// <summary>An interval end: RFC 3339, or a local time in the zone (tests avoid gaps and overlaps).</summary>
    public static DateTimeOffset Instant(string text, TimeZoneInfo zone)
    {
        if (text.EndsWith('Z') || text.Length > 19)
        {
            return DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);
        }

        var local = DateTime.ParseExact(text.Replace(' ', 'T'), "yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    private static string Cut(string? s) => s is null ? "null" : s.Length > 600 ? s[..600] + "…" : s;

    /// <summary>Null when equal (numbers compared by value), else where they differ.</summary>
    public static string? Difference(JsonNode? expected, JsonNode? actual, string path = "$")
    {
        switch (expected)
        {
            case null:
                return actual is null ? null : $"{path}: expected null, got {actual.ToJsonString()}";
            case JsonObject eo:
                if (actual is not JsonObject ao)
                {
                    return $"{path}: expected an object, got {actual?.ToJsonString() ?? "null"}";
                }

                var ek = eo.Select(p => p.Key).ToList();
                var ak = ao.Select(p => p.Key).ToList();
                if (!ek.SequenceEqual(ak))
                {
                    return $"{path}: expected fields [{string.Join(",", ek)}], got [{string.Join(",", ak)}]";
                }

                foreach (var k in ek)
                {
                    if (Difference(eo[k], ao[k], $"{path}.{k}") is { } d)
                    {
                        return d;
                    }
                }

                return null;
            case JsonArray ea:
                if (actual is not JsonArray aa || aa.Count != ea.Count)
                {
                    return $"{path}: expected {ea.Count} items, got {(actual as JsonArray)?.Count.ToString(CultureInfo.InvariantCulture) ?? "no array"}: {Cut(actual?.ToJsonString())} expected {Cut(ea.ToJsonString())}";
                }

                for (var i = 0; i < ea.Count; i++)
                {
                    if (Difference(ea[i], aa[i], $"{path}[{i}]") is { } d)
                    {
                        return d;
                    }
                }

                return null;
            default:
                if (actual is null || actual.GetValueKind() != expected.GetValueKind())
                {
                    return $"{path}: expected {expected.ToJsonString()}, got {actual?.ToJsonString() ?? "null"}";
                }

                var same = expected.GetValueKind() == System.Text.Json.JsonValueKind.Number
                    ? decimal.Parse(expected.ToJsonString(), CultureInfo.InvariantCulture) == decimal.Parse(actual.ToJsonString(), CultureInfo.InvariantCulture)
                    : expected.ToJsonString() == actual.ToJsonString();
                return same ? null : $"{path}: expected {expected.ToJsonString()}, got {actual.ToJsonString()}";
        }
    }
}
