using NodaTime;
using OmniReport.Core.Aggregates;

namespace OmniReport.Core.Tests;

/// <summary>Rollup covers (issue #11): the signed UTC cells of a bucket add up to exactly that bucket, and few of them.</summary>
public sealed class RollupCoverTests
{
    private const long Q = 900_000;

    [Fact]
    public void Signed_cells_cover_each_random_bucket_exactly_once()
    {
        var rng = new Random(5);
        var list = new List<CoverCell>();
        for (var n = 0; n < 3000; n++)
        {
            var a = (1_700_000_000_000 / Q * Q) + (rng.Next(-2000, 2000) * Q);
            var b = a + (rng.Next(0, n % 3 == 0 ? 4000 : 300) * Q);
            list.Clear();
            RollupCover.Bucket(a, b, list);
            // Every quarter hour from a day before a to a day after b is covered as often as it lies in [a, b).
            var times = new Dictionary<long, int>();
            foreach (var (tier, start, sign) in list)
            {
                Assert.Equal(0, start % RollupShape.Length(tier));
                for (var t = start; t < start + RollupShape.Length(tier); t += Q)
                {
                    times[t] = times.GetValueOrDefault(t) + sign;
                }
            }

            for (var t = a - 86_400_000; t < b + 86_400_000; t += Q)
            {
                Assert.Equal(t >= a && t < b ? 1 : 0, times.GetValueOrDefault(t));
            }
        }
    }

    [Theory]
    [InlineData("Europe/Lisbon", 2026, 7, 1, 3)]    // day(d) + 23:00 of d−1 − 23:00 of d
    [InlineData("Europe/Lisbon", 2026, 1, 1, 1)]    // a UTC day
    [InlineData("Asia/Kolkata", 2026, 1, 1, 15)]   // +05:30: five hours and two quarters at each end
    [InlineData("America/New_York", 2026, 1, 1, 11)] // −05:00
    public void A_local_day_takes_few_cells(string zoneId, int y, int m, int d, int cells)
    {
        var zone = DateTimeZoneProviders.Tzdb[zoneId];
        var from = new LocalDate(y, m, d).AtStartOfDayInZone(zone).ToInstant().ToUnixTimeMilliseconds();
        var to = new LocalDate(y, m, d).PlusDays(1).AtStartOfDayInZone(zone).ToInstant().ToUnixTimeMilliseconds();
        var cover = RollupCover.Of(Buckets.Starts(from, to, zone, Granularity.P1D), to);
        Assert.NotNull(cover);
        Assert.Equal(cells, cover[0].Length);
    }

    [Fact]
    public void A_bucket_off_the_quarter_hour_grid_has_no_cover()
    {
        Assert.Null(RollupCover.Of([1_700_000_000_000 + 60_000], 1_700_000_000_000 + (8 * Q)));
    }
}

/// <summary>Which aggregates requests rollups answer (issue #11); the others are answered from the records.</summary>
public sealed class RollupQueryTests
{
    [Theory]
    [InlineData("Europe/Lisbon", "P1D", """["agent_id"]""", "{}", "2026-01-01T00:00:00", true)]
    [InlineData("Europe/Lisbon", "P1D", "[]", """{"channel": ["chat"]}""", "2026-01-01T00:00:00", true)]
    [InlineData("Europe/Lisbon", "PT1H", "[]", "{}", "2026-01-01T00:00:00", true)]
    [InlineData("Asia/Kolkata", "P1D", """["channel"]""", "{}", "2026-01-01T00:00:00", true)]
    [InlineData("UTC", "PT15M", """["ticket_status_end"]""", "{}", "2026-01-01T00:00:00", true)]
    [InlineData("Asia/Kolkata", "P1D", """["agent_id"]""", "{}", "2026-01-01T00:00:00", false)] // ids keep no quarter hours
    [InlineData("UTC", "PT30M", """["group_id"]""", "{}", "2026-01-01T00:00:00", false)]
    [InlineData("UTC", "P1D", """["agent_id", "channel"]""", "{}", "2026-01-01T00:00:00", false)] // two fields
    [InlineData("UTC", "P1D", """["agent_id"]""", """{"channel": ["chat"]}""", "2026-01-01T00:00:00", false)]
    [InlineData("UTC", "P1D", """["agent_id"]""", """{"agent_id": ["7"]}""", "2026-01-01T00:00:00", true)]
    [InlineData("UTC", "P1D", """["channel"]""", "{}", "2026-01-01T00:07:00", false)] // off the quarter-hour grid
    public void Rollups_answer_one_field_on_the_quarter_hour_grid(string zone, string granularity, string groupBy, string filter, string from, bool rollups)
    {
        var body = $$"""{"interval": {"from": "{{from}}", "to": "2026-02-01T00:00:00"}, "timezone": "{{zone}}", "granularity": "{{granularity}}", "group_by": {{groupBy}}, "filter": {{filter}}}""";
        Assert.True(AggregateRequest.TryParse(AggregateKind.Engagements, System.Text.Encoding.UTF8.GetBytes(body), out var request, out var problem), problem?.Description);
        Assert.Equal(rollups, RollupQuery.For(new Aggregation(request!)) is not null);
    }
}
