using System.Text;
using OmniReport.Core.Reports;
using OmniReport.TestSupport;

namespace OmniReport.Core.Tests;

public sealed class ReportJobRequestTests
{
    private static (ReportJobRequest? Request, IReadOnlyList<FieldProblem> Problems) Parse(string json)
    {
        ReportJobRequest.TryParse("erc_omnichannel_report", Encoding.UTF8.GetBytes(json), out var r, out var p);
        return (r, p);
    }

    [Fact]
    public void Rfc3339_ends_are_taken_as_given()
    {
        var (r, p) = Parse("""{"name":"n","timezone":"Europe/Lisbon","format":"csv","timespan":{"from":"2026-03-01T00:00:00Z","to":"2026-03-02T00:00:00+01:00"}}""");
        Assert.Empty(p);
        Assert.Equal(ReportFiles.Ms("2026-03-01T00:00:00Z"), r!.FromMs);
        Assert.Equal(ReportFiles.Ms("2026-03-01T23:00:00Z"), r.ToMs);
        Assert.Equal(ReportFormat.Csv, r.Format);
        Assert.Equal("2026-03-01T00:00:00Z", r.From);
    }

    [Theory]
    [InlineData("2026-07-01T00:00:00", "2026-06-30T23:00:00Z")] // Lisbon summer time is UTC+1
    [InlineData("2026-01-15 08:30:00", "2026-01-15T08:30:00Z")] // winter: UTC+0
    [InlineData("2026-03-29 01:30:00", "2026-03-29T01:30:00Z")] // in the spring-forward gap: read forward to 02:30 WEST
    public void Local_ends_are_read_in_the_jobs_time_zone(string local, string utc)
    {
        var (r, p) = Parse($$$"""{"name":"n","timezone":"Europe/Lisbon","format":"json","timespan":{"from":"{{{local}}}","to":"2027-01-01T00:00:00Z"}}""");
        Assert.Empty(p);
        Assert.Equal(ReportFiles.Ms(utc), r!.FromMs);
    }

    [Fact]
    public void Timezone_defaults_to_utc_and_name_to_the_report_type()
    {
        var (r, p) = Parse("""{"format":"json_bulk","timespan":{"from":"2026-03-01 00:00:00","to":"2026-03-02 00:00:00"}}""");
        Assert.Empty(p);
        Assert.Equal("UTC", r!.TimeZone);
        Assert.Equal("erc_omnichannel_report", r.Name);
        Assert.Equal(ReportFiles.Ms("2026-03-01T00:00:00Z"), r.FromMs);
    }

    [Fact]
    public void A_span_of_366_days_is_allowed_and_one_millisecond_more_is_not()
    {
        Assert.Empty(Parse("""{"format":"csv","timespan":{"from":"2026-01-01T00:00:00Z","to":"2027-01-02T00:00:00Z"}}""").Problems);
        var (_, p) = Parse("""{"format":"csv","timespan":{"from":"2026-01-01T00:00:00Z","to":"2027-01-02T00:00:00.001Z"}}""");
        Assert.Equal("timespan", Assert.Single(p).Name);
    }

    [Theory]
    [InlineData("""{"timespan":{"from":"2026-01-01T00:00:00Z","to":"2026-01-02T00:00:00Z"}}""", "format")]
    [InlineData("""{"format":"xml","timespan":{"from":"2026-01-01T00:00:00Z","to":"2026-01-02T00:00:00Z"}}""", "format")]
    [InlineData("""{"format":"csv","timezone":"Mars/Base","timespan":{"from":"2026-01-01T00:00:00Z","to":"2026-01-02T00:00:00Z"}}""", "timezone")]
    [InlineData("""{"format":"csv"}""", "timespan")]
    [InlineData("""{"format":"csv","timespan":{"to":"2026-01-02T00:00:00Z"}}""", "timespan.from")]
    [InlineData("""{"format":"csv","timespan":{"from":"yesterday","to":"2026-01-02T00:00:00Z"}}""", "timespan.from")]
    [InlineData("""{"format":"csv","timespan":{"from":"2026-01-02T00:00:00Z","to":"2026-01-02T00:00:00Z"}}""", "timespan.to")]
    [InlineData("""{"format":"csv","name":5,"timespan":{"from":"2026-01-01T00:00:00Z","to":"2026-01-02T00:00:00Z"}}""", "name")]
    [InlineData("""[1]""", "body")]
    [InlineData("""{"format":""", "body")]
    public void A_bad_body_names_the_field(string json, string field)
    {
        var (r, p) = Parse(json);
        Assert.Null(r);
        Assert.Contains(p, x => x.Name == field);
    }

    [Theory]
    [InlineData("9999-12-31T23:00:00-02:00", "UTC")]
    [InlineData("0000-12-31T23:00:00Z", "UTC")]
    [InlineData("0001-01-01 05:00:00", "Asia/Tokyo")] // 0000-12-31T19:41Z: Tokyo's local mean time, +09:18:59
    public void An_end_outside_the_years_0001_to_9999_in_UTC_is_refused_as_the_aggregates_refuse_it(string from, string zone)
    {
        var (r, p) = Parse($$$"""{"format":"csv","timezone":"{{{zone}}}","timespan":{"from":"{{{from}}}","to":"2026-01-02T00:00:00Z"}}""");
        Assert.Null(r);
        Assert.Contains(p, x => x.Name == "timespan.from" && x.Description == $"\"{from}\" is not RFC 3339, YYYY-MM-DDTHH:MM:SS or YYYY-MM-DD HH:MM:SS in the years 0001-9999");
    }

    // SPEC §5.5: what Airbyte's Talkdesk Explore connector sends (source_talkdesk_explore/streams.py, GenerateReportStream):
    // no name, the zone inside the timespan, local times.
    [Fact]
    public void The_zone_may_be_given_in_the_timespan_as_talkdesk_clients_send_it()
    {
        var (r, p) = Parse("""{"format": "json", "timespan": {"from": "2026-07-01T00:00:00", "to": "2026-07-02T00:00:00", "timezone": "Europe/Lisbon"}}""");
        Assert.Empty(p);
        Assert.Equal("Europe/Lisbon", r!.TimeZone);
        Assert.Equal("erc_omnichannel_report", r.Name);
        Assert.Equal(ReportFiles.Ms("2026-06-30T23:00:00Z"), r.FromMs);
        Assert.Equal(ReportFiles.Ms("2026-07-01T23:00:00Z"), r.ToMs);
    }

    [Theory]
    [InlineData("\"America/New_York\"", "America/New_York")]
    [InlineData("null", "Europe/Lisbon")] // null is "not given"
    public void The_top_level_zone_wins_over_the_timespans(string top, string expected)
    {
        var (r, p) = Parse($$$"""{"timezone":{{{top}}},"format":"json","timespan":{"from":"2026-07-01T00:00:00","to":"2026-07-02T00:00:00","timezone":"Europe/Lisbon"}}""");
        Assert.Empty(p);
        Assert.Equal(expected, r!.TimeZone);
    }

    [Theory]
    [InlineData("\"Mars/Olympus\"", "timespan.timezone", "\"Mars/Olympus\" is not an IANA time zone name such as Europe/Lisbon")]
    [InlineData("3", "timespan.timezone", "must be a string")]
    public void A_bad_zone_in_the_timespan_is_named_there(string zone, string field, string description)
    {
        var (r, p) = Parse($$$"""{"format":"json","timespan":{"from":"2026-07-01T00:00:00","to":"2026-07-02T00:00:00","timezone":{{{zone}}}}}""");
        Assert.Null(r);
        Assert.Contains(new FieldProblem(field, description), p);
    }
}
