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
    /// <summary>Bytes written between two calls of the flush of <see cref="WriteJsonAsync"/>.</summary>
    private const int FlushEvery = 64 * 1024;

    private static readonly string[] StatisticParts = ["count", "sum", "avg", "min", "max", "p50", "p90", "p95"];

    /// <summary>
    /// The JSON answer, streamed: after each group, once <see cref="FlushEvery"/> bytes are pending, the writer's bytes
    /// are committed to its buffer and <paramref name="flush"/> is awaited (an HTTP response sends them), so a 5 MB
    /// answer is never held whole in memory and its first bytes leave before its last are written.
    /// </summary>
    public static async Task WriteJsonAsync(Utf8JsonWriter w, Aggregation a, Func<CancellationToken, ValueTask> flush, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(flush);
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
        // 18,250 buckets × groups for a year by 50 agents: every name and time is encoded once, not per bucket, and
        // nothing is allocated per bucket (the answer's time was much of it writing).
        var starts = a.Starts;
        var startText = new JsonEncodedText[starts.Length];
        var endText = new JsonEncodedText[starts.Length];
        for (var b = 0; b < starts.Length; b++)
        {
            startText[b] = JsonEncodedText.Encode(Rfc3339(starts[b], r.Zone), w.Options.Encoder);
            endText[b] = JsonEncodedText.Encode(Rfc3339(b + 1 < starts.Length ? starts[b + 1] : r.ToMs, r.Zone), w.Options.Encoder);
        }

        var metrics = r.Metrics.Select(m => new MetricWriter(r, m, w.Options.Encoder)).ToArray();
        foreach (var (group, cells) in a.Results())
        {
            if (w.BytesPending >= FlushEvery)
            {
                w.Flush();
                await flush(ct).ConfigureAwait(false);
            }

            w.WriteStartObject();
            w.WriteStartObject(Names.Group);
            for (var i = 0; i < group.Length; i++)
            {
                var d = r.Kind.Dimensions[r.GroupBy[i]];
                w.WritePropertyName(d.Name);
                WriteValue(w, d, group[i]);
            }

            w.WriteEndObject();
            w.WriteStartArray(Names.Buckets);
            for (var b = 0; b < cells.Length; b++)
            {
                w.WriteStartObject();
                w.WriteString(Names.Start, startText[b]);
                w.WriteString(Names.End, endText[b]);
                var cell = cells[b];
                foreach (var m in metrics)
                {
                    m.Write(w, cell);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
        w.Flush();
        await flush(ct).ConfigureAwait(false);
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

    /// <summary>Writes one metric of a bucket: its name encoded once, its kind (statistic, count or ratio) found once.</summary>
    private sealed class MetricWriter(AggregateRequest r, string metric, System.Text.Encodings.Web.JavaScriptEncoder? encoder)
    {
        private readonly JsonEncodedText _name = JsonEncodedText.Encode(metric, encoder);
        private readonly int _numeric = r.Kind.NumericIndex(metric);
        private readonly bool _count = metric == r.Kind.CountMetric;
        private readonly int _ratio = r.Kind.Ratios.ToList().IndexOf(metric);
        private readonly int _scale = r.Kind == AggregateKind.Engagements ? 1 : 100; // requester_wait_seconds is seconds per reply; the two interaction ratios are percentages

        public void Write(Utf8JsonWriter w, Aggregation.Cell? cell)
        {
            if (_numeric >= 0)
            {
                w.WriteStartObject(_name);
                WriteStatistic(w, cell?.Stats[_numeric]);
                w.WriteEndObject();
            }
            else if (_count)
            {
                w.WriteNumber(_name, cell?.Count ?? 0);
            }
            else if (cell is not null && Statistic.Ratio(cell.Numerator[_ratio], cell.Denominator[_ratio], _scale) is { } ratio)
            {
                w.WriteNumber(_name, ratio);
            }
            else
            {
                w.WriteNull(_name);
            }
        }

        private static void WriteStatistic(Utf8JsonWriter w, Statistic? s)
        {
            Span<long> p = stackalloc long[3];
            if (s is null || !s.Summarize(Statistic.Answered, p, out var min, out var max))
            {
                w.WriteNumber(Names.Count, 0);
                w.WriteNumber(Names.Sum, 0);
                foreach (var name in (ReadOnlySpan<JsonEncodedText>)[Names.Avg, Names.Min, Names.Max, Names.P50, Names.P90, Names.P95])
                {
                    w.WriteNull(name);
                }

                return;
            }

            w.WriteNumber(Names.Count, s.Count);
            w.WriteNumber(Names.Sum, s.Sum);
            w.WriteNumber(Names.Avg, s.Average!.Value);
            w.WriteNumber(Names.Min, min);
            w.WriteNumber(Names.Max, max);
            w.WriteNumber(Names.P50, p[0]);
            w.WriteNumber(Names.P90, p[1]);
            w.WriteNumber(Names.P95, p[2]);
        }
    }

    /// <summary>The answer's member names, encoded once (ASCII letters: the same under any encoder).</summary>
    private static class Names
    {
        public static readonly JsonEncodedText Group = JsonEncodedText.Encode("group");
        public static readonly JsonEncodedText Buckets = JsonEncodedText.Encode("buckets");
        public static readonly JsonEncodedText Start = JsonEncodedText.Encode("start");
        public static readonly JsonEncodedText End = JsonEncodedText.Encode("end");
        public static readonly JsonEncodedText Count = JsonEncodedText.Encode("count");
        public static readonly JsonEncodedText Sum = JsonEncodedText.Encode("sum");
        public static readonly JsonEncodedText Avg = JsonEncodedText.Encode("avg");
        public static readonly JsonEncodedText Min = JsonEncodedText.Encode("min");
        public static readonly JsonEncodedText Max = JsonEncodedText.Encode("max");
        public static readonly JsonEncodedText P50 = JsonEncodedText.Encode("p50");
        public static readonly JsonEncodedText P90 = JsonEncodedText.Encode("p90");
        public static readonly JsonEncodedText P95 = JsonEncodedText.Encode("p95");
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
            return (0, 0, null, null, null, new long?[Statistic.Answered.Length]);
        }

        var (min, max, p) = s.Summary(Statistic.Answered);
        return (s.Count, s.Sum, s.Average, min, max, p);
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
