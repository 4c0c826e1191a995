using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using OmniReport.Storage;

namespace OmniReport.Api.Tests;

/// <summary>Tokens, scopes and accounts (SPEC §5.1).</summary>
public sealed class AuthTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private ApiServer Server => fixture.Server;

    public static TheoryData<string, string> Endpoints() => new()
    {
        { "GET", "/api/v2/engagements" },
        { "GET", "/api/v2/engagements/0123456789ABCDEF0123456789ABCDEF" },
        { "POST", "/api/v2/events" },
        { "GET", "/api/v2/settings" },
        { "PUT", "/api/v2/settings" },
        { "GET", "/api/v2/no-such-thing" },
    };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task No_token_is_401_in_the_Zendesk_dialect(string method, string path)
    {
        using var response = await Server.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent("[]") });
        await AssertError(response, HttpStatusCode.Unauthorized, "Unauthorized");
        Assert.False(response.Headers.Contains("X-Rate-Limit"));
    }

    [Theory]
    [InlineData("Bearer nope")]
    [InlineData("Bearer ")]
    [InlineData("Token abc")]
    [InlineData("Basic !!!")]
    [InlineData("Basic dXNlckBleGFtcGxlLmNvbTpwYXNzd29yZA==")] // user@example.com:password
    public async Task A_bad_token_is_401(string authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v2/engagements");
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        using var response = await Server.Client.SendAsync(request);
        await AssertError(response, HttpStatusCode.Unauthorized, "Unauthorized");
    }

    [Fact]
    public async Task Zendesk_basic_email_slash_token_is_accepted()
    {
        var tenant = await Server.NewAccountAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v2/engagements");
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"agent@example.com/token:{tenant.Token}"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", basic);
        using var response = await Server.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public static TheoryData<string, string, Scopes> ScopeCases() => new()
    {
        { "GET", "/api/v2/engagements", Scopes.ReportsRead },
        { "GET", "/api/v2/engagements/0123456789ABCDEF0123456789ABCDEF", Scopes.ReportsRead },
        { "POST", "/api/v2/events", Scopes.EventsWrite },
        { "GET", "/api/v2/settings", Scopes.Admin },
        { "PUT", "/api/v2/settings", Scopes.Admin },
    };

    [Theory]
    [MemberData(nameof(ScopeCases))]
    public async Task A_token_without_the_scope_is_403_and_with_it_is_let_in(string method, string path, Scopes scope)
    {
        var without = await Server.NewAccountAsync(Scopes.All & ~scope);
        using (var response = await without.SendAsync(new HttpMethod(method), path, new StringContent("{}", System.Text.Encoding.UTF8, "application/json")))
        {
            await AssertError(response, HttpStatusCode.Forbidden, "Forbidden");
            Assert.True(response.Headers.Contains("X-Rate-Limit"));
        }

        var with = await Server.NewAccountAsync(scope);
        using (var response = await with.SendAsync(new HttpMethod(method), path, new StringContent("{}", System.Text.Encoding.UTF8, "application/json")))
        {
            Assert.NotEqual(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.NotEqual(HttpStatusCode.Unauthorized, response.StatusCode);
        }
    }

    [Fact]
    public async Task An_account_never_sees_or_changes_another_accounts_data()
    {
        var a = await Server.NewAccountAsync();
        var b = await Server.NewAccountAsync();
        await a.PostEventsAsync(Sample.Array(Sample.OneEngagement("7001")));
        var listA = (await a.GetJsonAsync("/api/v2/engagements"))["agent_engagement_data"]!.AsArray();
        var id = Assert.Single(listA)!["engagement_id"]!.GetValue<string>();

        var listB = (await b.GetJsonAsync("/api/v2/engagements"))["agent_engagement_data"]!.AsArray();
        Assert.Empty(listB);
        using (var response = await b.GetAsync($"/api/v2/engagements/{id}"))
        {
            await AssertError(response, HttpStatusCode.NotFound, "RecordNotFound");
        }

        // The same event ids in another account are that account's own, not duplicates.
        var posted = await b.PostEventsAsync(Sample.Array(Sample.OneEngagement("7001")));
        Assert.Equal(3, posted["accepted"]!.GetValue<int>());

        await b.PutSettingsAsync("{\"inactivity_timeout_minutes\": 42}");
        Assert.Equal(10, (await a.GetJsonAsync("/api/v2/settings"))["inactivity_timeout_minutes"]!.GetValue<int>());
        Assert.Equal(42, (await b.GetJsonAsync("/api/v2/settings"))["inactivity_timeout_minutes"]!.GetValue<int>());
    }

    internal static async Task<JsonObject> AssertError(HttpResponseMessage response, HttpStatusCode status, string error)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonNode.Parse(text)!.AsObject();
        Assert.Equal(["error", "description", "details"], body.Select(p => p.Key));
        Assert.Equal(error, body["error"]!.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(body["description"]!.GetValue<string>()));
        Assert.IsType<JsonObject>(body["details"]);
        return body;
    }
}
