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
}
