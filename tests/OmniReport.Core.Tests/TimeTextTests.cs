using NodaTime;
using NodaTime.Text;
using OmniReport.Core.Reports;
using OmniReport.Core.Settings;

namespace OmniReport.Core.Tests;

public sealed class TimeTextTests
{
    [Theory]
    [InlineData("UTC")]
    [InlineData("Europe/Lisbon")]
    [InlineData("America/New_York")]
    [InlineData("Asia/Kolkata")]
    [InlineData("Australia/Lord_Howe")]
    [InlineData("Pacific/Chatham")]
    public void Formatting_matches_the_zones_wall_clock_for_any_instant(string zoneId)
    {
        var zone = Zones.Find(zoneId)!;
        var pattern = LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd' 'HH':'mm':'ss");
        var rng = new Random(zoneId.Length);
        for (var i = 0; i < 20_000; i++)
        {
            // 1900 to 2100, with fractions of a second and instants before 1970
            var ms = rng.NextInt64(-2_208_988_800_000, 4_102_444_800_000);
            var expected = pattern.Format(Instant.FromUnixTimeMilliseconds(ms).InZone(zone).LocalDateTime);
            Assert.Equal(expected, TimeText.Format(ms, zone, ' '));
        }
    }

    [Fact]
    public void Fractions_are_truncated_not_rounded_and_the_separator_is_the_callers()
    {
        Assert.Equal("2026-03-29T00:59:59", TimeText.Format(1_774_745_999_999, DateTimeZone.Utc, 'T'));
        Assert.Equal("1969-12-31 23:59:59", TimeText.Format(-1, DateTimeZone.Utc, ' '));
    }

    [Theory]
    [InlineData("UTC")]
    [InlineData("Pacific/Kiritimati")]
    [InlineData("Etc/GMT+12")]
    public void A_time_outside_the_years_0001_to_9999_is_written_as_the_nearest_time_in_them_and_never_fails(string zoneId)
    {
        var zone = Zones.Find(zoneId)!;
        // 9999-12-31T23:51:00-01:00, the year-10000 instant that used to fail a report job, and far beyond.
        // Clamped to 9999-12-31T23:59:59.999Z, then shown in the zone (and kept within the years there too).
        var last = zoneId == "Etc/GMT+12" ? "9999-12-31 11:59:59" : "9999-12-31 23:59:59";
        Assert.Equal(last, TimeText.Format(253_402_303_860_000, zone, ' '));
        Assert.Equal(last, TimeText.Format(long.MaxValue / 2, zone, ' '));
        Assert.StartsWith("0001-01-01 ", TimeText.Format(-62_135_596_800_001 - 86_400_000, zone, ' '), StringComparison.Ordinal);
        Span<char> utc = stackalloc char[24];
        TimeText.WriteUtcMilliseconds(253_402_303_860_000, utc);
        Assert.Equal("9999-12-31T23:59:59.999Z", new string(utc));
    }
}
