using OmniReport.TestSupport;

namespace OmniReport.Core.Tests;

/// <summary>SPEC §3.4 and §2 open_engagement_max_days: which ended engagements are logged.</summary>
public sealed class RetentionTests
{
    private static Derived Lasting(string end, string? settings = null) =>
        new EventLog().Created("09:00:00", "email").Assign("09:00:00", "7").Status(end, "solved").Derive(settings);

    [Fact]
    public void Engagement_of_exactly_14_days_is_logged()
    {
        var e = Lasting("2026-03-16T09:00:00Z").Engagement;
        Assert.Equal(1_209_600, e.Num("engagement_duration_seconds"));
    }

    [Fact]
    public void Engagement_of_14_days_and_1_ms_is_never_logged()
    {
        var d = Lasting("2026-03-16T09:00:00.001Z");
        Assert.Empty(d.Engagements);
        Assert.Single(d.Interactions);
    }

    [Theory]
    [InlineData(1, "2026-03-03T09:00:00Z", true)]
    [InlineData(1, "2026-03-03T09:00:00.001Z", false)]
    [InlineData(30, "2026-04-01T09:00:00Z", true)]
    [InlineData(30, "2026-04-01T09:00:00.001Z", false)]
    public void Open_engagement_max_days_sets_the_limit(int days, string end, bool logged)
    {
        var d = Lasting(end, $$"""{"open_engagement_max_days": {{days}}}""");
        Assert.Equal(logged ? 1 : 0, d.Engagements.Count);
    }

    [Fact]
    public void Engagement_that_never_ends_is_never_logged()
    {
        var d = new EventLog().Created("09:00:00", "email").Assign("09:00:00", "7").Derive();
        Assert.Empty(d.Engagements);
    }

    [Fact]
    public void Dropped_engagement_does_not_hide_the_next_one()
    {
        var d = new EventLog().Created("09:00:00", "email").Assign("09:00:00", "7").Status("2026-03-20T09:00:00Z", "pending")
            .Status("2026-03-20T10:00:00Z", "open").Status("2026-03-20T11:00:00Z", "solved").Derive();
        var e = d.Engagement;
        Assert.Equal("Reopened", e.Str("engagement_start_reason"));
        Assert.Equal(3600, e.Num("engagement_duration_seconds"));
    }

    [Fact]
    public void Long_conversation_without_inactivity_end_follows_the_same_limit()
    {
        var log = new EventLog().Created("09:00:00").EndUser("09:00:00").Assign("09:00:00", "7").Status("2026-03-17T09:00:00Z", "solved");
        Assert.Empty(log.Derive("""{"messaging_activity_routing": true}""").Engagements);
        Assert.Single(log.Derive("""{"messaging_activity_routing": true, "open_engagement_max_days": 15}""").Engagements);
    }
}
