using NodaTime;

namespace OmniReport.Core.Reports;

/// <summary>Writes instants as wall-clock text in a time zone, to the second (fractions truncated).</summary>
public static class TimeText
{
    /// <summary><c>YYYY-MM-DDTHH:MM:SS</c> (<paramref name="separator"/> 'T') or <c>YYYY-MM-DD HH:MM:SS</c> (' ').</summary>
    public static string Format(long unixMs, DateTimeZone zone, char separator)
    {
        var local = Instant.FromUnixTimeMilliseconds(unixMs).InZone(zone).LocalDateTime;
        return string.Create(19, (local, separator), static (span, st) =>
        {
            var (l, sep) = st;
            Put(span, 0, l.Year, 4);
            span[4] = '-';
            Put(span, 5, l.Month, 2);
            span[7] = '-';
            Put(span, 8, l.Day, 2);
            span[10] = sep;
            Put(span, 11, l.Hour, 2);
            span[13] = ':';
            Put(span, 14, l.Minute, 2);
            span[16] = ':';
            Put(span, 17, l.Second, 2);
        });
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
