using System.Text.Json;
using NodaTime;
using OmniReport.Core.Events;
using OmniReport.Core.Reports;
using OmniReport.Core.Settings;

namespace OmniReport.Core.Aggregates;

/// <summary>
/// The body of <c>POST /api/v2/{engagements|interactions}/aggregates</c> (SPEC §7), validated. Every bad body names the
/// first field at fault (<c>interval.from</c>, <c>filter.channel</c>, <c>metrics</c>, …).
/// </summary>
public sealed record AggregateRequest
{
    /// <summary>Most group-by fields.</summary>
    public const int MaxGroupBy = 4;

    /// <summary>Most buckets × groups in one answer.</summary>
    public const int MaxCells = 100_000;

    private static readonly string[] Members = ["interval", "timezone", "granularity", "group_by", "filter", "metrics", "service_level_seconds"];

    /// <summary>What is aggregated.</summary>
    public required AggregateKind Kind { get; init; }

    /// <summary>interval.from as Unix ms (inclusive).</summary>
    public required long FromMs { get; init; }

    /// <summary>interval.to as Unix ms (exclusive).</summary>
    public required long ToMs { get; init; }

    /// <summary>The zone buckets are aligned in and times written in.</summary>
    public required DateTimeZone Zone { get; init; }

    /// <summary>The bucket size.</summary>
    public Granularity Granularity { get; init; }

    /// <summary>Group-by fields as positions in <see cref="AggregateKind.Dimensions"/>, in the order given.</summary>
    public IReadOnlyList<int> GroupBy { get; init; } = [];

    /// <summary>Per dimension position: the accepted canonical values (null: no filter on it).</summary>
    public required IReadOnlyList<HashSet<string?>?> Filter { get; init; }

    /// <summary>The metrics asked for, in the order given.</summary>
    public required IReadOnlyList<string> Metrics { get; init; }

    /// <summary>The waiting time that still meets the service level (seconds).</summary>
    public long ServiceLevelSeconds { get; init; } = 20;

    /// <summary>True when a fact passes every filter.</summary>
    public bool Matches(string?[] dimensions)
    {
        ArgumentNullException.ThrowIfNull(dimensions);
        for (var i = 0; i < Filter.Count; i++)
        {
            if (Filter[i] is { } allowed && !allowed.Contains(dimensions[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Parses and validates a body; on failure <paramref name="problem"/> names the field.</summary>
    public static bool TryParse(AggregateKind kind, ReadOnlySpan<byte> json, out AggregateRequest? request, out FieldProblem? problem)
    {
        ArgumentNullException.ThrowIfNull(kind);
        request = null;
        JsonDocument doc;
        try
        {
            var reader = new Utf8JsonReader(json);
            doc = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException ex)
        {
            problem = new FieldProblem("body", JsonProblem.Describe(ex));
            return false;
        }

        using (doc)
        {
            problem = Read(kind, doc.RootElement, out request);
            return problem is null;
        }
    }

    private static FieldProblem? Read(AggregateKind kind, JsonElement root, out AggregateRequest? request)
    {
        request = null;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return new FieldProblem("body", "must be a JSON object with interval, and optionally timezone, granularity, group_by, filter, metrics, service_level_seconds");
        }

        if (Unknown(root, Members, string.Empty) is { } unknown)
        {
            return unknown;
        }

        // The zone first: interval ends without an offset are read in it.
        var zone = DateTimeZone.Utc;
        if (Present(root, "timezone") is { } tz)
        {
            if (tz.ValueKind != JsonValueKind.String)
            {
                return new FieldProblem("timezone", "must be a string: an IANA time zone name such as Europe/Lisbon");
            }

            if (Zones.Find(tz.GetString()!) is not { } z)
            {
                return new FieldProblem("timezone", $"{ErrorText.Quote(tz.GetString()!)} is not an IANA time zone name such as Europe/Lisbon");
            }

            zone = z;
        }

        if (Interval(root, zone, out var fromMs, out var toMs) is { } bad)
        {
            return bad;
        }

        var granularity = Granularity.Total;
        if (Present(root, "granularity") is { } g)
        {
            if (g.ValueKind != JsonValueKind.String || !GranularityNames.TryParse(g.GetString()!, out granularity))
            {
                return new FieldProblem("granularity", $"must be one of {GranularityNames.Allowed}");
            }
        }

        var groupBy = new List<int>();
        if (Present(root, "group_by") is { } gb)
        {
            if (gb.ValueKind != JsonValueKind.Array)
            {
                return new FieldProblem("group_by", $"must be a list of at most {MaxGroupBy} of {Fields(kind)}");
            }

            foreach (var item in gb.EnumerateArray())
            {
                var i = item.ValueKind == JsonValueKind.String ? kind.DimensionIndex(item.GetString()!) : -1;
                if (i < 0)
                {
                    return new FieldProblem("group_by", $"{Show(item)} is not one of {Fields(kind)}");
                }

                if (groupBy.Contains(i))
                {
                    return new FieldProblem("group_by", $"names {item.GetString()} twice");
                }

                groupBy.Add(i);
            }

            if (groupBy.Count > MaxGroupBy)
            {
                return new FieldProblem("group_by", $"may name at most {MaxGroupBy} fields ({groupBy.Count} given)");
            }
        }

        var filter = new HashSet<string?>?[kind.Dimensions.Count];
        if (Present(root, "filter") is { } f)
        {
            if (ReadFilter(kind, f, filter) is { } badFilter)
            {
                return badFilter;
            }
        }

        var metrics = new List<string>();
        if (Present(root, "metrics") is { } m)
        {
            if (m.ValueKind != JsonValueKind.Array || m.GetArrayLength() == 0)
            {
                return new FieldProblem("metrics", $"must be a non-empty list of {string.Join(", ", kind.Metrics)}");
            }

            foreach (var item in m.EnumerateArray())
            {
                var name = item.ValueKind == JsonValueKind.String ? item.GetString()! : null;
                if (name is null || !kind.Metrics.Contains(name))
                {
                    return new FieldProblem("metrics", $"{Show(item)} is not one of {string.Join(", ", kind.Metrics)}");
                }

                if (metrics.Contains(name))
                {
                    return new FieldProblem("metrics", $"names {name} twice");
                }

                metrics.Add(name);
            }
        }
        else
        {
            metrics.AddRange(kind.Metrics);
        }

        long serviceLevel = 20;
        if (Present(root, "service_level_seconds") is { } sl)
        {
            if (sl.ValueKind != JsonValueKind.Number || !sl.TryGetInt64(out serviceLevel) || serviceLevel < 0 || serviceLevel > int.MaxValue)
            {
                return new FieldProblem("service_level_seconds", $"must be a whole number of seconds from 0 to {int.MaxValue}");
            }
        }

        request = new AggregateRequest
        {
            Kind = kind,
            FromMs = fromMs,
            ToMs = toMs,
            Zone = zone,
            Granularity = granularity,
            GroupBy = groupBy,
            Filter = filter,
            Metrics = metrics,
            ServiceLevelSeconds = serviceLevel,
        };
        return null;
    }

    private static FieldProblem? Interval(JsonElement root, DateTimeZone zone, out long fromMs, out long toMs)
    {
        fromMs = toMs = 0;
        if (Present(root, "interval") is not { } interval)
        {
            return new FieldProblem("interval", "is required: {\"from\": ..., \"to\": ...}");
        }

        if (interval.ValueKind != JsonValueKind.Object)
        {
            return new FieldProblem("interval", "must be an object {\"from\": ..., \"to\": ...}");
        }

        if (Unknown(interval, ["from", "to"], "interval.") is { } unknown)
        {
            return unknown;
        }

        foreach (var (name, path) in new[] { ("from", "interval.from"), ("to", "interval.to") })
        {
            if (Present(interval, name) is not { } v)
            {
                return new FieldProblem(path, "is required");
            }

            // Read as in SPEC §5.4: the report jobs' reader.
            if (v.ValueKind != JsonValueKind.String || !ReportJobRequest.TryInstant(v.GetString()!, zone, out var ms))
            {
                return new FieldProblem(path, $"{Show(v)} {ReportJobRequest.TimeForms}");
            }

            if (name == "from")
            {
                fromMs = ms;
            }
            else
            {
                toMs = ms;
            }
        }

        if (toMs <= fromMs)
        {
            return new FieldProblem("interval.to", "must be later than interval.from");
        }

        return toMs - fromMs > ReportJobRequest.MaxSpanMs ? new FieldProblem("interval", "must span at most 366 days") : null;
    }

    private static FieldProblem? ReadFilter(AggregateKind kind, JsonElement f, HashSet<string?>?[] filter)
    {
        if (f.ValueKind != JsonValueKind.Object)
        {
            return new FieldProblem("filter", $"must be an object of {Fields(kind)}, each a list of values");
        }

        if (Unknown(f, kind.Dimensions.Select(d => d.Name).ToArray(), "filter.") is { } unknown)
        {
            return unknown;
        }

        foreach (var p in f.EnumerateObject())
        {
            var i = kind.DimensionIndex(p.Name);
            var d = kind.Dimensions[i];
            var path = "filter." + p.Name;
            if (p.Value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            if (p.Value.ValueKind != JsonValueKind.Array || p.Value.GetArrayLength() == 0)
            {
                return new FieldProblem(path, "must be a non-empty list of values");
            }

            var set = new HashSet<string?>(StringComparer.Ordinal);
            foreach (var v in p.Value.EnumerateArray())
            {
                if (FilterValue(d, v) is not (true, var value))
                {
                    return new FieldProblem(path, d.Values is null
                        ? $"{Show(v)} is not a value of {p.Name}: {(d.Style == DimensionStyle.Id ? "an id (string or integer)" : "a string")}"
                        : $"{Show(v)} is not one of {string.Join(", ", d.Values.Select(x => x.Length == 0 ? "\"\"" : x))}");
                }

                set.Add(value);
            }

            filter[i] = set;
        }

        return null;
    }

    private static (bool Ok, string? Value) FilterValue(Dimension d, JsonElement v)
    {
        switch (v.ValueKind)
        {
            // An id written as an integer in answers (SPEC §5.3) may be filtered by that integer.
            case JsonValueKind.Number when d.Style == DimensionStyle.Id && v.TryGetInt64(out var n):
                return (true, n.ToString(System.Globalization.CultureInfo.InvariantCulture));
            // Only an id can be absent (engagements without a group).
            case JsonValueKind.Null when d.Style == DimensionStyle.Id:
                return (true, null);
            case JsonValueKind.String:
                var s = v.GetString()!;
                if (d.Style == DimensionStyle.CaseInsensitive)
                {
                    s = s.ToUpperInvariant();
                }

                return d.Values is null || d.Values.Contains(s) ? (true, s) : (false, null);
            default:
                return (false, null);
        }
    }

    /// <summary>A member that is not one of <paramref name="known"/>, or one given twice.</summary>
    private static FieldProblem? Unknown(JsonElement obj, string[] known, string prefix)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in obj.EnumerateObject())
        {
            if (!known.Contains(p.Name))
            {
                return new FieldProblem(prefix + p.Name, $"is not a field here; the fields are {string.Join(", ", known)}");
            }

            if (!seen.Add(p.Name))
            {
                return new FieldProblem(prefix + p.Name, "is given twice");
            }
        }

        return null;
    }

    /// <summary>The member's value, or null when it is absent or JSON null (null means "not given").</summary>
    private static JsonElement? Present(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v : null;

    private static string Fields(AggregateKind kind) => string.Join(", ", kind.Dimensions.Select(d => d.Name));

    private static string Show(JsonElement v) => v.ValueKind == JsonValueKind.String ? ErrorText.Quote(v.GetString()!) : ErrorText.Cap(v.GetRawText());
}
