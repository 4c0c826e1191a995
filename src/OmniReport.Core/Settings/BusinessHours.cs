using NodaTime;

namespace OmniReport.Core.Settings;

/// <summary>
/// Weekly opening hours in an IANA time zone, with holidays closed all day (SPEC §2). An interval includes
/// its start and excludes its end; wall-clock times are read in the zone, so daylight-saving changes move
/// the instants, not the hours.
/// </summary>
public sealed class BusinessHours
{
    private readonly DateTimeZone _zone;
    private readonly List<(int StartMinute, int EndMinute)>[] _byDay;
    private readonly HashSet<LocalDate> _holidays;

    /// <summary>Creates business hours; the arguments are already validated by <see cref="SettingsJson"/>.</summary>
    public BusinessHours(DateTimeZone zone, IReadOnlyList<WeeklyInterval> weekly, IReadOnlyList<LocalDate> holidays)
    {
        _zone = zone;
        Weekly = weekly;
        Holidays = holidays;
        _byDay = new List<(int, int)>[8];
        for (var i = 0; i < _byDay.Length; i++)
        {
            _byDay[i] = [];
        }

        foreach (var w in weekly)
        {
            _byDay[(int)w.Day].Add((w.StartMinute, w.EndMinute));
        }

        _holidays = [.. holidays];
    }

    /// <summary>The IANA zone id.</summary>
    public string TimeZone => _zone.Id;

    /// <summary>The weekly intervals, in the order given.</summary>
    public IReadOnlyList<WeeklyInterval> Weekly { get; }

    /// <summary>The holiday dates, in the order given.</summary>
    public IReadOnlyList<LocalDate> Holidays { get; }

    /// <summary>True when the instant lies in business hours.</summary>
    public bool IsOpen(long unixMs)
    {
        var local = Instant.FromUnixTimeMilliseconds(unixMs).InZone(_zone).LocalDateTime;
        if (_holidays.Contains(local.Date))
        {
            return false;
        }

        var msOfDay = local.TimeOfDay.TickOfDay / NodaConstants.TicksPerMillisecond;
        foreach (var (start, end) in _byDay[(int)local.DayOfWeek])
        {
            if (msOfDay >= start * 60_000L && msOfDay < end * 60_000L)
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>One opening interval of a weekday, in minutes of the day (end may be 1440 for 24:00).</summary>
/// <param name="Day">The ISO weekday.</param>
/// <param name="StartMinute">Start, inclusive.</param>
/// <param name="EndMinute">End, exclusive.</param>
public sealed record WeeklyInterval(IsoDayOfWeek Day, int StartMinute, int EndMinute);
