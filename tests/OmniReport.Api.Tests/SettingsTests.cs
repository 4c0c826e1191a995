using System.Net;
using System.Text;

namespace OmniReport.Api.Tests;

/// <summary>GET / PUT /api/v2/settings.</summary>
public sealed class SettingsTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Get_gives_every_setting_with_its_default()
    {
        var t = await fixture.Server.NewAccountAsync();
        var s = (await t.GetJsonAsync("/api/v2/settings")).AsObject();
        Assert.Equal(10, s["inactivity_timeout_minutes"]!.GetValue<int>());
        Assert.False(s["messaging_activity_routing"]!.GetValue<bool>());
        Assert.False(s["inactive_conversations_count_toward_capacity"]!.GetValue<bool>());
        Assert.Equal(14, s["open_engagement_max_days"]!.GetValue<int>());
        Assert.True(s.ContainsKey("business_hours"));
    }

    [Fact]
    public async Task Put_changes_the_given_fields_and_answers_the_whole_object()
    {
        var t = await fixture.Server.NewAccountAsync();
        var s = await t.PutSettingsAsync("{\"open_engagement_max_days\": 3, \"business_hours\": {\"timezone\": \"Europe/Lisbon\", \"weekly\": [{\"day\": \"mon\", \"start\": \"09:00\", \"end\": \"17:00\"}], \"holidays\": []}}");
        Assert.Equal(3, s["open_engagement_max_days"]!.GetValue<int>());
        Assert.Equal(10, s["inactivity_timeout_minutes"]!.GetValue<int>());
        Assert.Equal("Europe/Lisbon", s["business_hours"]!["timezone"]!.GetValue<string>());
        var again = (await t.GetJsonAsync("/api/v2/settings")).AsObject();
        Assert.Equal(s.ToJsonString(), again.ToJsonString());
    }

    [Theory]
    [InlineData("{\"inactivity_timeout_minutes\": 0}", "inactivity_timeout_minutes")]
    [InlineData("{\"inactivity_timeout_minutes\": \"ten\"}", "inactivity_timeout_minutes")]
    [InlineData("{\"messaging_activity_routing\": 1}", "messaging_activity_routing")]
    [InlineData("{\"open_engagement_max_days\": 7, \"business_hours\": {\"timezone\": \"Mars/Olympus\", \"weekly\": []}}", "business_hours.timezone")]
    public async Task A_bad_value_is_422_naming_the_field_and_changes_nothing(string json, string field)
    {
        var t = await fixture.Server.NewAccountAsync();
        var before = (await t.GetJsonAsync("/api/v2/settings")).ToJsonString();
        using var response = await t.SendAsync(HttpMethod.Put, "/api/v2/settings", new StringContent(json, Encoding.UTF8, "application/json"));
        var body = await AuthTests.AssertError(response, HttpStatusCode.UnprocessableEntity, "InvalidValue");
        Assert.StartsWith(field, Assert.Single(body["details"]!.AsObject()).Key, StringComparison.Ordinal);
        Assert.Equal(before, (await t.GetJsonAsync("/api/v2/settings")).ToJsonString());
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_400()
    {
        var t = await fixture.Server.NewAccountAsync();
        using var response = await t.SendAsync(HttpMethod.Put, "/api/v2/settings", new StringContent("{nope", Encoding.UTF8, "application/json"));
        await AuthTests.AssertError(response, HttpStatusCode.BadRequest, "BadRequest");
    }

    [Fact]
    public async Task Changing_a_setting_recomputes_the_engagements()
    {
        var t = await fixture.Server.NewAccountAsync();
        fixture.Server.Clock.Set(DateTimeOffset.Parse("2026-06-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await t.PostEventsAsync(Sample.Array(Sample.OneEngagement("6100")));
        Assert.Single((await t.GetJsonAsync("/api/v2/engagements"))["agent_engagement_data"]!.AsArray());
        // The engagement lasts 4 minutes; a one-day limit still logs it. Settings recompute, they never lose it.
        await t.PutSettingsAsync("{\"open_engagement_max_days\": 1}");
        Assert.Single((await t.GetJsonAsync("/api/v2/engagements"))["agent_engagement_data"]!.AsArray());
    }
}
