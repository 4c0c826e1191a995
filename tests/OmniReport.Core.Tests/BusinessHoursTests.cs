using OmniReport.TestSupport;

namespace OmniReport.Core.Tests;

/// <summary>
/// SPEC §2 business hours, seen through §3.5: assignment_to_first_reply_time_seconds is null when the start
/// lies outside business hours.
/// </summary>
public sealed class BusinessHoursTests
{
    private const string Lisbon = """{"business_hours": {"timezone": "Europe/Lisbon", "weekly": [{"day": "mon", "start": "09:00", "end": "17:00"}]}}""";
    private const string NewYork = """{"business_hours": {"timezone": "America/New_York", "weekly": [{"day": "mon", "start": "09:00", "end": "17:00"}]}}""";

    /// <summary>First reply time of an email engagement that starts at <paramref name="start"/> (UTC) and is answered 30 s later.</summary>
    private static long? FirstReply(string start, string? settings)
    {
        var t = DateTimeOffset.Parse(EventLog.T(start), System.Globalization.CultureInfo.InvariantCulture);
        static string F(DateTimeOffset x) => x.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
        return new EventLog().Created(F(t.AddMinutes(-1)), "email").Assign(F(t), "7").AgentMessage(F(t.AddSeconds(30)), "7")
            .Status(F(t.AddSeconds(60)), "solved").Derive(settings).Engagement.Num("assignment_to_first_reply_time_seconds");
    }

    [Fact]
    public void Without_business_hours_it_is_always_open()
    {
        Assert.Equal(30, FirstReply("2026-03-01T03:00:00Z", null));
        Assert.Equal(30, FirstReply("2026-03-01T03:00:00Z", "{}"));
    }

    [Theory]
    [InlineData("2026-03-02T09:00:00Z", 30L)]     // Lisbon is UTC+0 in winter: the start of the interval is inside
    [InlineData("2026-03-02T16:59:59.999Z", 30L)]
    [InlineData("2026-03-02T17:00:00Z", null)]    // the end is outside
    [InlineData("2026-03-02T08:59:59.999Z", null)]
    [InlineData("2026-03-03T10:00:00Z", null)]    // tuesday: no interval
    [InlineData("2026-03-01T10:00:00Z", null)]    // sunday
    public void Interval_includes_its_start_and_excludes_its_end(string start, long? expected) =>
        Assert.Equal(expected, FirstReply(start, Lisbon));

    [Theory]
    [InlineData("2026-03-23T08:30:00Z", null)]    // before the change: 08:30 local
    [InlineData("2026-03-23T16:30:00Z", 30L)]     // 16:30 local
    [InlineData("2026-03-30T08:00:00Z", 30L)]     // after 2026-03-29 Lisbon is UTC+1: 09:00 local
    [InlineData("2026-03-30T07:59:59Z", null)]    // 08:59:59 local
    [InlineData("2026-03-30T16:00:00Z", null)]    // 17:00 local
    [InlineData("2026-03-30T15:59:59Z", 30L)]
    public void Europe_Lisbon_hours_follow_the_daylight_saving_change(string start, long? expected) =>
        Assert.Equal(expected, FirstReply(start, Lisbon));

    [Theory]
    [InlineData("2026-03-02T13:30:00Z", null)]    // UTC−5 before 2026-03-08: 08:30 local
    [InlineData("2026-03-02T14:00:00Z", 30L)]     // 09:00 local
    [InlineData("2026-03-02T21:59:59Z", 30L)]     // 16:59:59 local
    [InlineData("2026-03-09T13:30:00Z", 30L)]     // UTC−4 after 2026-03-08: 09:30 local
    [InlineData("2026-03-09T21:00:00Z", null)]    // 17:00 local
    [InlineData("2026-03-09T12:59:59Z", null)]    // 08:59:59 local
    public void America_New_York_hours_follow_the_daylight_saving_change(string start, long? expected) =>
        Assert.Equal(expected, FirstReply(start, NewYork));

    [Theory]
    [InlineData("2026-03-02T10:00:00Z", 30L)]     // monday 05:00 local is still monday local...
    [InlineData("2026-03-03T04:59:59Z", 30L)]     // ...and so is tuesday 04:59:59 UTC (monday 23:59:59 local)
    [InlineData("2026-03-03T05:00:00Z", null)]    // tuesday 00:00 local
    public void Days_are_days_of_the_time_zone(string start, long? expected) =>
        Assert.Equal(expected, FirstReply(start, """{"business_hours": {"timezone": "America/New_York", "weekly": [{"day": "mon", "start": "00:00", "end": "24:00"}]}}"""));

    [Theory]
    [InlineData("2026-03-07T20:00:00Z", 30L)]
    [InlineData("2026-03-07T23:59:59.999Z", 30L)]
    [InlineData("2026-03-08T00:00:00Z", null)]    // sunday has no interval
    [InlineData("2026-03-07T19:59:59.999Z", null)]
    public void End_24_00_closes_at_midnight(string start, long? expected) =>
        Assert.Equal(expected, FirstReply(start, """{"business_hours": {"timezone": "UTC", "weekly": [{"day": "sat", "start": "20:00", "end": "24:00"}]}}"""));

    [Theory]
    [InlineData("2026-03-02T11:59:59Z", 30L)]
    [InlineData("2026-03-02T12:00:00Z", null)]
    [InlineData("2026-03-02T12:30:00Z", null)]
    [InlineData("2026-03-02T13:00:00Z", 30L)]
    [InlineData("2026-03-02T16:59:59Z", 30L)]
    [InlineData("2026-03-02T17:00:00Z", null)]
    [InlineData("2026-03-03T12:30:00Z", 30L)]     // tuesday: one long interval
    public void Several_intervals_a_day(string start, long? expected) =>
        Assert.Equal(expected, FirstReply(start, """
            {"business_hours": {"timezone": "UTC", "weekly": [
              {"day": "mon", "start": "09:00", "end": "12:00"}, {"day": "mon", "start": "13:00", "end": "17:00"},
              {"day": "tue", "start": "09:00", "end": "17:00"}]}}
            """));

    [Theory]
    [InlineData("2026-03-02T14:59:59Z", 30L)]     // 2026-03-02 23:59:59 in Tokyo
    [InlineData("2026-03-02T15:00:00Z", null)]    // 2026-03-03 00:00 in Tokyo: the holiday
    [InlineData("2026-03-03T10:00:00Z", null)]    // 2026-03-03 19:00 in Tokyo
    [InlineData("2026-03-03T14:59:59Z", null)]
    [InlineData("2026-03-03T15:00:00Z", 30L)]     // 2026-03-04 in Tokyo
    public void Holidays_are_dates_in_the_time_zone_closed_all_day(string start, long? expected) =>
        Assert.Equal(expected, FirstReply(start, """
            {"business_hours": {"timezone": "Asia/Tokyo", "weekly": [
              {"day": "mon", "start": "00:00", "end": "24:00"}, {"day": "tue", "start": "00:00", "end": "24:00"},
              {"day": "wed", "start": "00:00", "end": "24:00"}], "holidays": ["2026-03-03"]}}
            """));

    [Fact]
    public void Only_the_start_matters_not_the_reply()
    {
        // Starts at 16:59:30 Lisbon, replied at 17:00:00 (closed): still counted.
        Assert.Equal(30, FirstReply("2026-03-02T16:59:30Z", Lisbon));
    }

    [Fact]
    public void Business_hours_change_nothing_but_the_first_reply_time()
    {
        var log = new EventLog().Created("2026-03-01T10:00:00Z").EndUser("2026-03-01T10:00:00Z").Assign("2026-03-01T10:00:10Z", "7")
            .AgentMessage("2026-03-01T10:00:40Z", "7").Status("2026-03-01T10:01:00Z", "solved");
        var open = log.Derive().Engagement;
        var closed = log.Derive(Lisbon).Engagement;
        Assert.Null(closed.Num("assignment_to_first_reply_time_seconds"));
        Assert.Equal(30, open.Num("assignment_to_first_reply_time_seconds"));
        closed.Remove("assignment_to_first_reply_time_seconds");
        open.Remove("assignment_to_first_reply_time_seconds");
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(open, closed));
    }

    [Theory]
    [InlineData("2026-11-01T05:15:00Z", 30L)]     // 01:15 EDT
    [InlineData("2026-11-01T06:15:00Z", 30L)]     // 01:15 EST, the repeated hour
    [InlineData("2026-11-01T06:30:00Z", null)]    // 01:30 EST
    [InlineData("2026-11-01T04:59:59Z", null)]    // 00:59:59 EDT
    public void America_New_York_repeated_hour_is_open_twice(string start, long? expected) =>
        Assert.Equal(expected, FirstReply(start, """{"business_hours": {"timezone": "America/New_York", "weekly": [{"day": "sun", "start": "01:00", "end": "01:30"}]}}"""));

    [Theory]
    [InlineData("2026-03-29T00:59:59Z", 30L)]     // 00:59:59 WET
    [InlineData("2026-03-29T01:00:00Z", 30L)]     // 02:00 WEST: the clock jumped from 01:00
    [InlineData("2026-03-29T01:59:59Z", 30L)]     // 02:59:59 WEST
    [InlineData("2026-03-29T02:00:00Z", null)]    // 03:00 WEST
    public void Europe_Lisbon_skipped_hour_day(string start, long? expected) =>
        Assert.Equal(expected, FirstReply(start, """{"business_hours": {"timezone": "Europe/Lisbon", "weekly": [{"day": "sun", "start": "00:00", "end": "03:00"}]}}"""));
}
