using System.Globalization;
using System.Text;
using System.Text.Json;
using NodaTime;
using OmniReport.Core.Reports;

namespace OmniReport.Core.Aggregates;

/// <summary>
/// Writes an aggregates answer (SPEC §7): as JSON, or as CSV with one row per group × bucket (RFC 4180 as the report
/// files, §5.4). Times are RFC 3339 with the zone's offset at that instant; group values typed as §5.3 and §4.
/// </summary>
public static class AggregateWriter
{
    private static readonly int[] Percentiles = [50, 90, 95];
    private static readonly string[] StatisticParts = ["count", "sum", "avg", "min", "max", "p50", "p90", "p95"];

    /// <summary>The JSON answer.</summary>
    public static void WriteJson(Utf8JsonWriter w, Aggregation a)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(a);
        var r = a.Request;
        w.WriteStartObject();
        w.WriteStartObject("interval");
        w.WriteString("from", Rfc3339(r.FromMs, r.Zone));
        w.WriteString("to", Rfc3339(r.ToMs, r.Zone));
        w.WriteEndObject();
        w.WriteString("timezone", r.Zone.Id);
        w.WriteString("granularity", GranularityNames.Name(r.Granularity));
        w.WriteStartArray("group_by");
        foreach (var g in r.GroupBy)
        {
            w.WriteStringValue(r.Kind.Dimensions[g].Name);
        }

        w.WriteEndArray();
        w.WriteStartArray("results");
        var starts = a.Starts;
        var startText = starts.Select(s => Rfc3339(s, r.Zone)).ToArray();
        var endText = starts.Skip(1).Append(r.ToMs).Select(s => Rfc3339(s, r.Zone)).ToArray();
        foreach (var (group, cells) in a.Results())
        {
            w.WriteStartObject();
            w.WriteStartObject("group");
            for (var i = 0; i < group.Length; i++)
            {
                var d = r.Kind.Dimensions[r.GroupBy[i]];
                w.WritePropertyName(d.Name);
                WriteValue(w, d, group[i]);
            }

            w.WriteEndObject();
            w.WriteStartArray("buckets");
            for (var b = 0; b < cells.Length; b++)
            {
                w.WriteStartObject();
                w.WriteString("start", startText[b]);
                w.WriteString("end", endText[b]);
                var cell = cells[b];
                foreach (var m in r.Metrics)
                {
                    w.WritePropertyName(m);
                    WriteMetric(w, r, cell, m);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>The CSV answer: a header, then one row per group × bucket in answer order.</summary>
    public static void WriteCsv(TextWriter w, Aggregation a)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(a);
        var r = a.Request;
        var header = new List<string>();
        header.AddRange(r.GroupBy.Select(g => r.Kind.Dimensions[g].Name));
        header.Add("start");
        header.Add("end");
        foreach (var m in r.Metrics)
        {
            if (r.Kind.NumericIndex(m) >= 0)
            {
                header.AddRange(StatisticParts.Select(p => m + "." + p));
            }
            else
            {
                header.Add(m);
            }
        }

        Row(w, header);
        var starts = a.Starts;
        var row = new List<string>();
        foreach (var (group, cells) in a.Results())
        {
            for (var b = 0; b < cells.Length; b++)
            {
                row.Clear();
                row.AddRange(group.Select(v => v ?? string.Empty));
                row.Add(Rfc3339(starts[b], r.Zone));
                row.Add(Rfc3339(b + 1 < starts.Length ? starts[b + 1] : r.ToMs, r.Zone));
                var cell = cells[b];
                foreach (var m in r.Metrics)
                {
                    var n = r.Kind.NumericIndex(m);
                    if (n >= 0)
                    {
                        var (count, sum, avg, min, max, p) = Summary(cell?.Stats[n]);
                        row.Add(Num(count));
                        row.Add(Num(sum));
                        row.Add(Num(avg));
                        row.Add(Num(min));
                        row.Add(Num(max));
                        row.AddRange(p.Select(x => Num(x)));
                    }
                    else if (m == r.Kind.CountMetric)
                    {
                        row.Add(Num(cell?.Count ?? 0));
                    }
                    else
                    {
                        row.Add(Num(Ratio(r, cell, m)));
                    }
                }

                Row(w, row);
            }
        }
    }

    /// <summary>RFC 3339 with the zone's offset at the instant: <c>2026-03-29T00:00:00+00:00</c>, milliseconds only when not zero.</summary>
    public static string Rfc3339(long unixMs, DateTimeZone zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        // RFC 3339 offsets have whole minutes; an older offset with seconds (local mean time) is cut to the minute and
        // the local time written for that offset, so the text still names the exact instant.
        var offsetMinutes = zone.GetUtcOffset(Instant.FromUnixTimeMilliseconds(unixMs)).Seconds / 60;
        var local = unixMs + (offsetMinutes * 60_000L);
        var text = new StringBuilder(TimeText.Format(local, DateTimeZone.Utc, 'T'));
        var ms = local - (Derivation.Time.FloorDiv(local, 1000) * 1000);
        if (ms != 0)
        {
            text.Append('.').Append(ms.ToString("D3", CultureInfo.InvariantCulture));
        }

        var abs = Math.Abs(offsetMinutes);
        text.Append(offsetMinutes < 0 ? '-' : '+')
            .Append((abs / 60).ToString("D2", CultureInfo.InvariantCulture)).Append(':')
            .Append((abs % 60).ToString("D2", CultureInfo.InvariantCulture));
        return text.ToString();
    }

    private static void WriteValue(Utf8JsonWriter w, Dimension d, string? value)
    {
        if (value is null)
        {
            w.WriteNullValue();
        }
        else if (d.Style == DimensionStyle.Id && Ids.TryCanonicalInteger(value, out var n))
        {
            w.WriteNumberValue(n);
        }
        else
        {
            w.WriteStringValue(value);
        }
    }

    private static void WriteMetric(Utf8JsonWriter w, AggregateRequest r, Aggregation.Cell? cell, string metric)
    {
        var n = r.Kind.NumericIndex(metric);
        if (n >= 0)
        {
            var (count, sum, avg, min, max, p) = Summary(cell?.Stats[n]);
            w.WriteStartObject();
            w.WriteNumber("count", count);
            w.WriteNumber("sum", sum);
            Number(w, "avg", avg);
            Number(w, "min", min);
            Number(w, "max", max);
            Number(w, "p50", p[0]);
            Number(w, "p90", p[1]);
            Number(w, "p95", p[2]);
            w.WriteEndObject();
        }
        else if (metric == r.Kind.CountMetric)
        {
            w.WriteNumberValue(cell?.Count ?? 0);
        }
        else if (Ratio(r, cell, metric) is { } ratio)
        {
            w.WriteNumberValue(ratio);
        }
        else
        {
            w.WriteNullValue();
        }
    }

    private static decimal? Ratio(AggregateRequest r, Aggregation.Cell? cell, string metric)
    {
        if (cell is null)
        {
            return null;
        }

        var i = r.Kind.Ratios.ToList().IndexOf(metric);
        // requester_wait_seconds is seconds per reply; the two interaction ratios are percentages.
        return Statistic.Ratio(cell.Numerator[i], cell.Denominator[i], r.Kind == AggregateKind.Engagements ? 1 : 100);
    }

    private static (long Count, long Sum, decimal? Avg, long? Min, long? Max, long?[] P) Summary(Statistic? s)
    {
        if (s is null)
        {
            return (0, 0, null, null, null, new long?[Percentiles.Length]);
        }

        var (min, max, p) = s.Summary(Percentiles);
        return (s.Count, s.Sum, s.Average, min, max, p);
    }

    private static void Number(Utf8JsonWriter w, string name, long? v)
    {
        if (v is { } x)
        {
            w.WriteNumber(name, x);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static void Number(Utf8JsonWriter w, string name, decimal? v)
    {
        if (v is { } x)
        {
            w.WriteNumber(name, x);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static string Num(long? v) => v?.ToString(CultureInfo.InvariantCulture) ?? string.Empty;

    private static string Num(decimal? v) => v?.ToString(CultureInfo.InvariantCulture) ?? string.Empty;

    private static void Row(TextWriter w, IEnumerable<string> cells)
    {
        var first = true;
        foreach (var c in cells)
        {
            if (!first)
            {
                w.Write(',');
            }

            first = false;
            w.Write(c.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + c.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : c);
        }

        w.Write("\r\n");
    }
}
