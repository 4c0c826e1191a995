using OmniReport.Core.Settings;
using OmniReport.TestSupport;

namespace OmniReport.Core.Tests;

/// <summary>SPEC §2: defaults, partial changes, bad values, and that a setting applies as if always in force.</summary>
public sealed class SettingsTests
{
    private static AccountSettings Apply(string json, AccountSettings? current = null)
    {
        Assert.True(SettingsJson.TryApply(current ?? AccountSettings.Default, json, out var s, out var error), error?.ToString());
        return s;
    }

    [Fact]
    public void Defaults_are_those_of_the_spec()
    {
        var s = Apply("{}");
        Assert.Equal(10, s.InactivityTimeoutMinutes);
        Assert.False(s.MessagingActivityRouting);
        Assert.False(s.InactiveConversationsCountTowardCapacity);
        Assert.Equal(14, s.OpenEngagementMaxDays);
        Assert.Null(s.BusinessHours);
    }

    [Fact]
    public void A_subset_changes_only_those_fields()
    {
        var s = Apply("""{"inactivity_timeout_minutes": 30}""");
        s = Apply("""{"open_engagement_max_days": 3, "messaging_activity_routing": true}""", s);
        Assert.Equal((30, 3, true, false), (s.InactivityTimeoutMinutes, s.OpenEngagementMaxDays, s.MessagingActivityRouting, s.InactiveConversationsCountTowardCapacity));
    }

    [Fact]
    public void Business_hours_are_read_with_zone_intervals_and_holidays()
    {
        var s = Apply("""{"business_hours": {"timezone": "Europe/Lisbon", "weekly": [{"day": "mon", "start": "09:00", "end": "12:00"}, {"day": "mon", "start": "13:00", "end": "24:00"}], "holidays": ["2026-12-25"]}}""");
        Assert.NotNull(s.BusinessHours);
        Assert.Equal("Europe/Lisbon", s.BusinessHours.TimeZone);
        Assert.Equal(2, s.BusinessHours.Weekly.Count);
        Assert.Single(s.BusinessHours.Holidays);
    }

    [Theory]
    [InlineData("""{"inactivity_timeout_minutes": "ten"}""", "inactivity_timeout_minutes")]
    [InlineData("""{"inactivity_timeout_minutes": 0}""", "inactivity_timeout_minutes")]
    [InlineData("""{"inactivity_timeout_minutes": -5}""", "inactivity_timeout_minutes")]
    [InlineData("""{"inactivity_timeout_minutes": 1.5}""", "inactivity_timeout_minutes")]
    [InlineData("""{"open_engagement_max_days": null}""", "open_engagement_max_days")]
    [InlineData("""{"open_engagement_max_days": 0}""", "open_engagement_max_days")]
    [InlineData("""{"messaging_activity_routing": "true"}""", "messaging_activity_routing")]
    [InlineData("""{"inactive_conversations_count_toward_capacity": 1}""", "inactive_conversations_count_toward_capacity")]
    [InlineData("""{"business_hours": {"timezone": "Mars/Olympus", "weekly": []}}""", "business_hours")]
    [InlineData("""{"business_hours": {"timezone": "UTC", "weekly": [{"day": "monday", "start": "09:00", "end": "17:00"}]}}""", "business_hours")]
    [InlineData("""{"business_hours": {"timezone": "UTC", "weekly": [{"day": "mon", "start": "9am", "end": "17:00"}]}}""", "business_hours")]
    [InlineData("""{"business_hours": {"timezone": "UTC", "weekly": [{"day": "mon", "start": "09:00", "end": "24:01"}]}}""", "business_hours")]
    [InlineData("""{"business_hours": {"timezone": "UTC", "weekly": [{"day": "mon", "start": "24:00", "end": "24:00"}]}}""", "business_hours")]
    [InlineData("""{"business_hours": {"timezone": "UTC", "weekly": [], "holidays": ["25/12/2026"]}}""", "business_hours")]
    public void Bad_value_names_the_field_and_changes_nothing(string json, string field)
    {
        var current = AccountSettings.Default with { InactivityTimeoutMinutes = 20 };
        Assert.False(SettingsJson.TryApply(current, json, out var result, out var error));
        Assert.NotNull(error);
        Assert.StartsWith(field, error.Name, StringComparison.Ordinal);
        Assert.Same(current, result);
    }

    [Fact]
    public void A_bad_value_next_to_good_ones_changes_nothing()
    {
        Assert.False(SettingsJson.TryApply(AccountSettings.Default, """{"inactivity_timeout_minutes": 30, "open_engagement_max_days": "x"}""", out var result, out _));
        Assert.Equal(10, result.InactivityTimeoutMinutes);
    }

    [Fact]
    public void Written_settings_hold_every_field_and_read_back_the_same()
    {
        var s = Apply("""{"inactivity_timeout_minutes": 7, "business_hours": {"timezone": "UTC", "weekly": [{"day": "sun", "start": "00:00", "end": "24:00"}], "holidays": []}}""");
        var text = SettingsJson.Write(s);
        foreach (var f in new[] { "inactivity_timeout_minutes", "messaging_activity_routing", "inactive_conversations_count_toward_capacity", "open_engagement_max_days", "business_hours" })
        {
            Assert.Contains($"\"{f}\"", text, StringComparison.Ordinal);
        }

        var back = Apply(text);
        Assert.Equal(SettingsJson.Write(back), text);
    }

    [Fact]
    public void Changing_a_setting_recomputes_every_record_as_if_always_in_force()
    {
        // Two interactions, one started long before the change: both follow the new window.
        var log = new EventLog("1").Created("09:00:00").EndUser("09:00:00").Assign("09:01:00", "7")
            .For("2").Created("2026-06-01T09:00:00Z").EndUser("2026-06-01T09:00:00Z").Assign("2026-06-01T09:01:00Z", "8");
        var ten = log.Derive();
        var five = log.Derive("""{"inactivity_timeout_minutes": 5}""");
        Assert.All(ten.Account.Engagements, e => Assert.Equal(540, e.EngagementDurationSeconds));
        Assert.All(five.Account.Engagements, e => Assert.Equal(240, e.EngagementDurationSeconds));
        Assert.Equal(2, five.Engagements.Count);
    }
}
