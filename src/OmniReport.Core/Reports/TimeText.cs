using NodaTime;
using OmniReport.Core.Derivation;

namespace OmniReport.Core.Reports;

/// <summary>Writes instants as wall-clock text in a time zone, to the second (fractions truncated).</summary>
public static class TimeText
{
    /// <summary><c>YYYY-MM-DDTHH:MM:SS</c> (<paramref name="separator"/> 'T') or <c>YYYY-MM-DD HH:MM:SS</c> (' ').</summary>
    public static string Format(long unixMs, DateTimeZone zone, char separator)
    {
        Span<char> text = stackalloc char[19];
        Write(unixMs, zone, separator, text);
        return new string(text);
    }

    /// <summary>Writes the 19 characters of <see cref="Format"/> into <paramref name="destination"/>.</summary>
    public static void Write(long unixMs, DateTimeZone zone, char separator, Span<char> destination)
    {
        ArgumentNullException.ThrowIfNull(zone);
        // A time outside the years 0001–9999 cannot be written in this shape (nor looked up in a zone): events
        // with one are rejected (SPEC §1), but data stored before that rule may hold one, and a record must never
        // fail a report. It is written as the nearest time the shape can hold.
        unixMs = Math.Clamp(unixMs, Events.Rfc3339.MinMs, Events.Rfc3339.EndMs - 1);

        // The zone's offset at the instant, then plain civil arithmetic: no ZonedDateTime per value.
        var offsetMs = ReferenceEquals(zone, DateTimeZone.Utc)
            ? 0
            : zone.GetUtcOffset(Instant.FromUnixTimeMilliseconds(unixMs)).Milliseconds;
        var localSeconds = Math.Clamp(Time.FloorDiv(unixMs + offsetMs, 1000), Events.Rfc3339.MinMs / 1000, (Events.Rfc3339.EndMs / 1000) - 1);
        var days = Time.FloorDiv(localSeconds, 86_400);
        var secondOfDay = (int)(localSeconds - (days * 86_400));
        var (y, m, d) = CivilFromDays(days);
        Put(destination, 0, y, 4);
        destination[4] = '-';
        Put(destination, 5, m, 2);
        destination[7] = '-';
        Put(destination, 8, d, 2);
        destination[10] = separator;
        Put(destination, 11, secondOfDay / 3600, 2);
        destination[13] = ':';
        Put(destination, 14, secondOfDay / 60 % 60, 2);
        destination[16] = ':';
        Put(destination, 17, secondOfDay % 60, 2);
    }

    /// <summary>Writes the 24 characters of <c>YYYY-MM-DDTHH:MM:SS.mmmZ</c>: the instant in UTC, to the millisecond.</summary>
    public static void WriteUtcMilliseconds(long unixMs, Span<char> destination)
    {
        unixMs = Math.Clamp(unixMs, Events.Rfc3339.MinMs, Events.Rfc3339.EndMs - 1);
        Write(unixMs, DateTimeZone.Utc, 'T', destination);
        destination[19] = '.';
        Put(destination, 20, (int)(unixMs - (Time.FloorDiv(unixMs, 1000) * 1000)), 3);
        destination[23] = 'Z';
    }

    /// <summary>Proleptic Gregorian date of a day count since 1970-01-01 (H. Hinnant's algorithm).</summary>
    private static (int Year, int Month, int Day) CivilFromDays(long z)
    {
        z += 719_468;
        var era = (z >= 0 ? z : z - 146_096) / 146_097;
        var doe = z - (era * 146_097);
        var yoe = (doe - (doe / 1460) + (doe / 36_524) - (doe / 146_096)) / 365;
        var y = yoe + (era * 400);
        var doy = doe - ((365 * yoe) + (yoe / 4) - (yoe / 100));
        var mp = ((5 * doy) + 2) / 153;
        var d = doy - (((153 * mp) + 2) / 5) + 1;
        var m = mp < 10 ? mp + 3 : mp - 9;
        return ((int)(y + (m <= 2 ? 1 : 0)), (int)m, (int)d);
    }

    private static void Put(Span<char> span, int at, int value, int width)
    {
        for (var i = at + width - 1; i >= at; i--)
        {
            span[i] = (char)('0' + (value % 10));
            value /= 10;
        }
    }
}
