using NodaTime;

namespace OmniReport.Core.Aggregates;

/// <summary>
/// The buckets of an interval (SPEC §7), aligned in a time zone: each is a maximal run of instants whose local time
/// falls in the same quarter hour, half hour, hour (with the same UTC offset, so the repeated hour of a DST end is
/// a bucket of its own and a day has 23 or 25 hourly buckets), day, Monday-week or month. The first and last are cut
/// to the interval. Works for every offset (half hours, Lord Howe's 30-minute DST, historic odd offsets) because it
/// follows the zone's own transitions rather than assuming whole hours.
/// </summary>
public static class Buckets
{
    /// <summary>The bucket starts (Unix ms), ascending; bucket k ends where k+1 starts, the last at <paramref name="toMs"/>.</summary>
    public static long[] Starts(long fromMs, long toMs, DateTimeZone zone, Granularity granularity)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var starts = new List<long> { fromMs };
        if (granularity == Granularity.Total)
        {
            return [.. starts];
        }

        var t = fromMs;
        while (true)
        {
            var next = Next(t, zone, granularity);
            if (next >= toMs)
            {
                return [.. starts];
            }

            starts.Add(next);
            t = next;
        }
    }

    /// <summary>The index of the bucket that holds <paramref name="ms"/> (which lies in the interval).</summary>
    public static int IndexOf(long[] starts, long ms)
    {
        ArgumentNullException.ThrowIfNull(starts);
        var i = Array.BinarySearch(starts, ms);
        return i >= 0 ? i : ~i - 1;
    }

    /// <summary>The first instant after <paramref name="t"/> that starts another bucket.</summary>
    private static long Next(long t, DateTimeZone zone, Granularity granularity)
    {
        var instant = Instant.FromUnixTimeMilliseconds(t);
        var interval = zone.GetZoneInterval(instant);
        var offsetMs = interval.WallOffset.Milliseconds;
        var key = Key(t + offsetMs, granularity);
        while (true)
        {
            // Within one zone interval the offset is fixed: the next local boundary, in UTC.
            var candidate = NextLocalBoundary(key, granularity) - offsetMs;
            var intervalEnd = interval.HasEnd ? interval.End.ToUnixTimeMilliseconds() : long.MaxValue;
            if (candidate <= intervalEnd)
            {
                return candidate;
            }

            // The offset changes before that boundary. Below a day the offset is part of the bucket (a repeated local
            // hour is another bucket); from a day up only the local date counts.
            interval = zone.GetZoneInterval(Instant.FromUnixTimeMilliseconds(intervalEnd));
            var changed = interval.WallOffset.Milliseconds != offsetMs;
            offsetMs = interval.WallOffset.Milliseconds;
            if ((changed && granularity < Granularity.P1D) || Key(intervalEnd + offsetMs, granularity) != key)
            {
                return intervalEnd;
            }
        }
    }

    /// <summary>The start of the local period that holds a local time (as ms since the local epoch).</summary>
    private static long Key(long localMs, Granularity g) => g switch
    {
        Granularity.PT15M => Floor(localMs, 900_000),
        Granularity.PT30M => Floor(localMs, 1_800_000),
        Granularity.PT1H => Floor(localMs, 3_600_000),
        Granularity.P1D => Floor(localMs, 86_400_000),
        // 1970-01-01 was a Thursday: Monday-weeks start 3 days later.
        Granularity.P1W => Floor(localMs - (4 * 86_400_000L), 7 * 86_400_000L) + (4 * 86_400_000L),
        _ => MonthStart(localMs),
    };

    private static long NextLocalBoundary(long key, Granularity g) => g switch
    {
        Granularity.PT15M => key + 900_000,
        Granularity.PT30M => key + 1_800_000,
        Granularity.PT1H => key + 3_600_000,
        Granularity.P1D => key + 86_400_000,
        Granularity.P1W => key + (7 * 86_400_000L),
        _ => NextMonth(key),
    };

    private static long Floor(long a, long b) => Derivation.Time.FloorDiv(a, b) * b;

    private static long MonthStart(long localMs)
    {
        var date = Epoch.PlusDays((int)Derivation.Time.FloorDiv(localMs, 86_400_000));
        return DaysSinceEpoch(new LocalDate(date.Year, date.Month, 1)) * 86_400_000L;
    }

    private static long NextMonth(long monthStartLocalMs)
    {
        var date = Epoch.PlusDays((int)Derivation.Time.FloorDiv(monthStartLocalMs, 86_400_000));
        // NodaTime's dates end with 9999; a later boundary lies past every interval anyway.
        return date.Year == 9999 && date.Month == 12
            ? monthStartLocalMs + (31 * 86_400_000L)
            : DaysSinceEpoch(date.PlusMonths(1)) * 86_400_000L;
    }

    private static readonly LocalDate Epoch = new(1970, 1, 1);

    private static long DaysSinceEpoch(LocalDate d) => d.ToDateOnly().DayNumber - Epoch.ToDateOnly().DayNumber;
}
