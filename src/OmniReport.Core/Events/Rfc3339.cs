namespace OmniReport.Core.Events;

/// <summary>
/// Parses RFC 3339 timestamps that carry an offset (<c>2026-11-21T09:15:00Z</c>, <c>...+01:00</c>)
/// to Unix milliseconds. Fractions finer than a millisecond are truncated.
/// </summary>
public static class Rfc3339
{
    /// <summary>Unix milliseconds of 0001-01-01T00:00:00Z, the first instant an event may have (SPEC §1).</summary>
    public const long MinMs = -62_135_596_800_000;

    /// <summary>Unix milliseconds of 10000-01-01T00:00:00Z, the first instant after the years an event may have.</summary>
    public const long EndMs = 253_402_300_800_000;

    /// <summary>True when the instant's UTC year is 0001–9999 (a parsed offset can move a time out of them).</summary>
    public static bool InRange(long unixMs) => unixMs is >= MinMs and < EndMs;

    /// <summary>Parses UTF-16 text.</summary>
    public static bool TryParse(ReadOnlySpan<char> s, out long unixMs)
    {
        Span<byte> buf = stackalloc byte[64];
        unixMs = 0;
        if (s.Length > buf.Length)
        {
            return false;
        }

        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] > 127)
            {
                return false;
            }

            buf[i] = (byte)s[i];
        }

        return TryParse(buf[..s.Length], out unixMs);
    }

    /// <summary>Parses UTF-8 bytes. The instant may be outside the years 0001–9999 in UTC (year 0000, or an offset across
    /// the ends): check it with <see cref="InRange"/>.</summary>
    public static bool TryParse(ReadOnlySpan<byte> s, out long unixMs)
    {
        unixMs = 0;
        // YYYY-MM-DDTHH:MM:SS is 19 bytes; an offset adds at least 1 (Z).
        if (s.Length < 20 || s[4] != '-' || s[7] != '-' || s[13] != ':' || s[16] != ':')
        {
            return false;
        }

        if (s[10] != 'T' && s[10] != 't' && s[10] != ' ')
        {
            return false;
        }

        if (!Digits(s, 0, 4, out var year) || !Digits(s, 5, 2, out var month) || !Digits(s, 8, 2, out var day)
            || !Digits(s, 11, 2, out var hour) || !Digits(s, 14, 2, out var minute) || !Digits(s, 17, 2, out var second))
        {
            return false;
        }

        // Year 0000 is read too, as 2000 is (a leap year: the proleptic Gregorian calendar repeats every 400 years): with a
        // negative offset its last hours are in 0001 in UTC, which SPEC §1 accepts; callers check the instant with InRange.
        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year == 0 ? 2000 : year, month)
            || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        var pos = 19;
        var millis = 0;
        if (s[pos] == '.')
        {
            pos++;
            var start = pos;
            while (pos < s.Length && s[pos] is >= (byte)'0' and <= (byte)'9')
            {
                if (pos - start < 3)
                {
                    millis = (millis * 10) + (s[pos] - '0');
                }

                pos++;
            }

            var digits = pos - start;
            if (digits == 0)
            {
                return false;
            }

            for (var i = digits; i < 3; i++)
            {
                millis *= 10;
            }
        }

        if (pos >= s.Length)
        {
            return false;
        }

        int offsetMinutes;
        if ((s[pos] == 'Z' || s[pos] == 'z') && pos + 1 == s.Length)
        {
            offsetMinutes = 0;
        }
        else if ((s[pos] == '+' || s[pos] == '-') && pos + 6 == s.Length && s[pos + 3] == ':'
                 && Digits(s, pos + 1, 2, out var oh) && Digits(s, pos + 4, 2, out var om) && oh <= 23 && om <= 59)
        {
            offsetMinutes = ((oh * 60) + om) * (s[pos] == '-' ? -1 : 1);
        }
        else
        {
            return false;
        }

        var days = DaysFromCivil(year, month, day);
        unixMs = (((((days * 24) + hour) * 60) + minute - offsetMinutes) * 60 + second) * 1000L + millis;
        return true;
    }

    /// <summary>Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).</summary>
    public static long DaysFromCivil(int y, int m, int d)
    {
        y -= m <= 2 ? 1 : 0;
        var era = (y >= 0 ? y : y - 399) / 400;
        var yoe = y - (era * 400);
        var doy = ((153 * (m + (m > 2 ? -3 : 9))) + 2) / 5 + d - 1;
        var doe = (yoe * 365) + (yoe / 4) - (yoe / 100) + doy;
        return (era * 146097L) + doe - 719468;
    }

    private static bool Digits(ReadOnlySpan<byte> s, int at, int count, out int value)
    {
        value = 0;
        for (var i = at; i < at + count; i++)
        {
            var c = s[i] - '0';
            if ((uint)c > 9)
            {
                return false;
            }

            value = (value * 10) + c;
        }

        return true;
    }
}
