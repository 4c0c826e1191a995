using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using OmniReport.Storage;

namespace OmniReport.Api.Tests;

/// <summary>
/// <c>POST /oauth/token</c> (SPEC §5.5, RFC 6749 §4.4): the ways a client may ask, the answers, the errors of §5.2, and
/// access tokens used as tokens of §5.1 — expiry, revocation, scopes, account isolation, the client's rate limit.
/// </summary>
public sealed class OAuthTokenTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-06-01T00:00:10Z", CultureInfo.InvariantCulture);

    [Fact]
    public Task Tokens_are_given_for_every_way_of_asking_on_SQLite() => WithServer(false, TokenAnswersAsync);

    [PostgresFact]
    public Task Tokens_are_given_for_every_way_of_asking_on_PostgreSQL() => WithServer(true, TokenAnswersAsync);

    [Fact]
    public Task Bad_requests_get_the_RFC_6749_errors_on_SQLite() => WithServer(false, ErrorAnswersAsync);

    [PostgresFact]
    public Task Bad_requests_get_the_RFC_6749_errors_on_PostgreSQL() => WithServer(true, ErrorAnswersAsync);

    [Fact]
    public Task Access_tokens_expire_end_with_their_client_and_see_only_their_account_on_SQLite() => WithServer(false, LifetimeAndIsolationAsync);

    [PostgresFact]
    public Task Access_tokens_expire_end_with_their_client_and_see_only_their_account_on_PostgreSQL() => WithServer(true, LifetimeAndIsolationAsync);

    [Fact]
    public async Task Failed_client_authentication_is_limited_per_address_like_a_wrong_token()
    {
        await using var server = await ApiServer.StartAsync(new ApiOptions { RateLimitPerMinute = 0, AddressRateLimitPerMinute = 2 });
        server.Clock.Set(T0);
        var tenant = await server.NewAccountAsync();
        var client = await server.Store.CreateOAuthClientAsync(tenant.Account.Id, Scopes.All);
        var wrong = Convert.ToBase64String(Encoding.ASCII.GetBytes($"{client.Client.ClientId}:not-the-secret"));
        for (var i = 0; i < 2; i++)
        {
            var (failed, body, _) = await PostTokenAsync(server, "grant_type=client_credentials", wrong);
            Assert.True(failed == HttpStatusCode.Unauthorized, body.ToJsonString());
            Assert.Equal("invalid_client", body["error"]!.GetValue<string>());
        }

        // The address has used its minute: even the right secret waits (answered before any store lookup).
        var (status, limited, headers) = await PostTokenAsync(server, "grant_type=client_credentials", Basic(client));
        Assert.True(status == HttpStatusCode.TooManyRequests, limited.ToJsonString());
        Assert.Equal("too_many_requests", limited["error"]!.GetValue<string>());
        Assert.NotNull(headers.RetryAfter?.Delta);

        server.Clock.Advance(TimeSpan.FromMinutes(1));
        var (ok, _, _) = await PostTokenAsync(server, "grant_type=client_credentials", Basic(client));
        Assert.Equal(HttpStatusCode.OK, ok);
    }

    [Fact]
    public async Task Token_requests_and_the_tokens_requests_share_the_clients_rate_limit()
    {
        await using var server = await ApiServer.StartAsync(new ApiOptions { RateLimitPerMinute = 3 });
        server.Clock.Set(T0);
        var tenant = await server.NewAccountAsync();
        var client = await server.Store.CreateOAuthClientAsync(tenant.Account.Id, Scopes.All);
        var other = await server.Store.CreateOAuthClientAsync(tenant.Account.Id, Scopes.All);

        var (status, first, headers) = await PostTokenAsync(server, "grant_type=client_credentials", Basic(client));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("3", headers.GetValues("X-Rate-Limit").Single());
        Assert.Equal("2", headers.GetValues("X-Rate-Limit-Remaining").Single());
        var token = first["access_token"]!.GetValue<string>();
        using (var r = await tenant.SendAsync(HttpMethod.Get, "/api/v2/engagements", token: token))
        {
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            Assert.Equal("1", r.Headers.GetValues("X-Rate-Limit-Remaining").Single());
        }

        Assert.Equal(HttpStatusCode.OK, (await PostTokenAsync(server, "grant_type=client_credentials", Basic(client))).Status);

        // The fourth request of the minute: the token endpoint and the API both say 429.
        var (limited, error, limitedHeaders) = await PostTokenAsync(server, "grant_type=client_credentials", Basic(client));
        AssertError(limited, error, limitedHeaders, HttpStatusCode.TooManyRequests, "too_many_requests", "Rate limit of 3 requests a minute exceeded");
        Assert.Equal(TimeSpan.FromSeconds(50), limitedHeaders.RetryAfter?.Delta);
        using (var r = await tenant.SendAsync(HttpMethod.Get, "/data/reports/engagements/jobs", token: token))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, r.StatusCode);
        }

        // Another client has its own budget; the next minute starts afresh.
        Assert.Equal(HttpStatusCode.OK, (await PostTokenAsync(server, "grant_type=client_credentials", Basic(other))).Status);
        server.Clock.Set(T0.AddSeconds(50));
        Assert.Equal(HttpStatusCode.OK, (await PostTokenAsync(server, "grant_type=client_credentials", Basic(client))).Status);
    }

    private static async Task TokenAnswersAsync(ApiServer server)
    {
        var tenant = await server.NewAccountAsync();
        var reader = await server.Store.CreateOAuthClientAsync(tenant.Account.Id, Scopes.ReportsRead);
        var all = await server.Store.CreateOAuthClientAsync(tenant.Account.Id, Scopes.All);
        var writer = await server.Store.CreateOAuthClientAsync(tenant.Account.Id, Scopes.EventsWrite);

        // Everything in the form body (RFC 6749 §2.3.1's second way), with '+' for spaces in the scope.
        var (status, token, headers) = await PostTokenAsync(server, "", null,
            $"grant_type=client_credentials&client_id={all.Client.ClientId}&client_secret={all.Secret}&scope=events:write+reports:read");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("no-store", headers.CacheControl?.ToString());
        Assert.Equal("no-cache", headers.Pragma.ToString());
        Assert.Equal("events:write reports:read data-reports:read data-reports:write", token["scope"]!.GetValue<string>());
        Assert.Equal("Bearer", token["token_type"]!.GetValue<string>());
        Assert.Equal(3600, token["expires_in"]!.GetValue<int>());
        var narrowed = token["access_token"]!.GetValue<string>();
        using (var r = await tenant.SendAsync(HttpMethod.Get, "/api/v2/settings", token: narrowed))
        {
            await AuthTests.AssertError(r, HttpStatusCode.Forbidden, "Forbidden"); // admin was not asked for
        }

        // No scope asked: all of the client's. The token works in both dialects, as a token of §5.1.
        (status, token, _) = await PostTokenAsync(server, "", Basic(all), "grant_type=client_credentials");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("events:write reports:read admin data-reports:read data-reports:write", token["scope"]!.GetValue<string>());
        var full = token["access_token"]!.GetValue<string>();
        using (var r = await tenant.SendAsync(HttpMethod.Get, "/api/v2/settings", token: full))
        {
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        }

        using (var r = await tenant.SendAsync(HttpMethod.Post, "/api/v2/events", new StringContent("[]", Encoding.UTF8, "application/json"), token: full))
        {
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        }

        using (var r = await tenant.SendAsync(HttpMethod.Get, "/data/reports/engagements/jobs", token: full))
        {
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        }

        // Talkdesk's scope names stand for reports:read.
        (status, token, _) = await PostTokenAsync(server, "grant_type=client_credentials&scope=data-reports:read%20data-reports:write", Basic(reader));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("reports:read data-reports:read data-reports:write", token["scope"]!.GetValue<string>());

        // A client without reports:read gets no Talkdesk names, and its token may not read reports (403 in the dialect).
        (status, token, _) = await PostTokenAsync(server, "grant_type=client_credentials", Basic(writer));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("events:write", token["scope"]!.GetValue<string>());
        using (var r = await tenant.SendAsync(HttpMethod.Get, "/data/reports/engagements/jobs", token: token["access_token"]!.GetValue<string>()))
        {
            Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
            Assert.Equal("forbidden", JsonNode.Parse(await r.Content.ReadAsStringAsync())!["code"]!.GetValue<string>());
        }

        // The same grant_type in the query and the form is one parameter, not two; a charset on the form type is fine.
        (status, _, _) = await PostTokenAsync(server, "grant_type=client_credentials", Basic(reader), "grant_type=client_credentials",
            "application/x-www-form-urlencoded; charset=UTF-8");
        Assert.Equal(HttpStatusCode.OK, status);
    }

    private static async Task ErrorAnswersAsync(ApiServer server)
    {
        var tenant = await server.NewAccountAsync();
        var client = await server.Store.CreateOAuthClientAsync(tenant.Account.Id, Scopes.ReportsRead);
        var revoked = await server.Store.CreateOAuthClientAsync(tenant.Account.Id, Scopes.All);
        Assert.True(await server.Store.RevokeOAuthClientAsync(revoked.Client.ClientId));
        const string Grant = "grant_type=client_credentials";

        async Task Check(string query, string? basic, string? form, HttpStatusCode status, string error, string description, string? type = null)
        {
            var (s, body, headers) = await PostTokenAsync(server, query, basic, form, type);
            AssertError(s, body, headers, status, error, description);
        }

        var wrongSecret = Convert.ToBase64String(Encoding.ASCII.GetBytes($"{client.Client.ClientId}:{client.Secret}x"));
        await Check(Grant, wrongSecret, null, HttpStatusCode.Unauthorized, "invalid_client", "unknown client_id or wrong client_secret");
        await Check("", null, $"{Grant}&client_id={client.Client.ClientId}&client_secret=nope", HttpStatusCode.Unauthorized, "invalid_client", "unknown client_id or wrong client_secret");
        await Check(Grant, Convert.ToBase64String(Encoding.ASCII.GetBytes($"0123456789abcdef0123456789abcdef:{client.Secret}")), null,
            HttpStatusCode.Unauthorized, "invalid_client", "unknown client_id or wrong client_secret");
        await Check(Grant, Basic(revoked), null, HttpStatusCode.Unauthorized, "invalid_client", "The client has been revoked.");
        await Check(Grant, null, null, HttpStatusCode.Unauthorized, "invalid_client", "No client authentication");
        await Check(Grant, "!!!", null, HttpStatusCode.Unauthorized, "invalid_client", "must be HTTP Basic");
        await Check("", null, $"{Grant}&client_id={client.Client.ClientId}", HttpStatusCode.Unauthorized, "invalid_client", "No client authentication");

        await Check("grant_type=password", Basic(client), null, HttpStatusCode.BadRequest, "unsupported_grant_type", "\"password\" is not supported");
        await Check("grant_type=authorization_code", Basic(client), null, HttpStatusCode.BadRequest, "unsupported_grant_type", "use client_credentials");
        await Check("", Basic(client), null, HttpStatusCode.BadRequest, "invalid_request", "grant_type is required");
        await Check("grant_type=", Basic(client), null, HttpStatusCode.BadRequest, "invalid_request", "grant_type is required");
        await Check(Grant, Basic(client), "grant_type=password", HttpStatusCode.BadRequest, "invalid_request", "grant_type is given more than once");
        await Check($"{Grant}&client_secret={client.Secret}", null, $"client_id={client.Client.ClientId}", HttpStatusCode.BadRequest, "invalid_request", "must not be sent in the URL");
        await Check("", Basic(client), $"{Grant}&client_id={client.Client.ClientId}&client_secret={client.Secret}", HttpStatusCode.BadRequest, "invalid_request", "authenticated twice");
        await Check(Grant, Basic(client), """{"grant_type":"client_credentials"}""", HttpStatusCode.BadRequest, "invalid_request",
            "must be application/x-www-form-urlencoded, not application/json", "application/json");

        await Check($"{Grant}&scope=admin", Basic(client), null, HttpStatusCode.BadRequest, "invalid_scope", "may not have admin; its scopes are reports:read");
        await Check($"{Grant}&scope=reports:read%20everything", Basic(client), null, HttpStatusCode.BadRequest, "invalid_scope", "Unknown scope \"everything\"");
        await Check($"{Grant}&scope=reports:read,admin", Basic(client), null, HttpStatusCode.BadRequest, "invalid_scope", "Unknown scope \"reports:read,admin\"");

        // Not the token endpoint's method: still its error shape.
        using var get = await server.Client.GetAsync("/oauth/token?grant_type=client_credentials");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, get.StatusCode);
        Assert.Equal("invalid_request", JsonNode.Parse(await get.Content.ReadAsStringAsync())!["error"]!.GetValue<string>());
    }

    private static async Task LifetimeAndIsolationAsync(ApiServer server)
    {
        server.Clock.Set(T0);
        var tenant = await server.NewAccountAsync();
        var stranger = await server.NewAccountAsync();
        var client = await server.Store.CreateOAuthClientAsync(tenant.Account.Id, Scopes.ReportsRead);
        var token = (await PostTokenAsync(server, "grant_type=client_credentials", Basic(client))).Body["access_token"]!.GetValue<string>();

        // Another account's job: not found, even with a valid token that may read reports.
        using (var created = await stranger.SendAsync(HttpMethod.Post, "/data/reports/engagements/jobs",
            new StringContent("""{"format":"json","timespan":{"from":"2026-01-01T00:00:00Z","to":"2026-01-02T00:00:00Z"}}""", Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.Accepted, created.StatusCode);
            var id = JsonNode.Parse(await created.Content.ReadAsStringAsync())!["job"]!["id"]!.GetValue<string>();
            foreach (var path in new[] { $"/data/reports/engagements/jobs/{id}", $"/data/reports/engagements/files/{id}" })
            {
                using var r = await tenant.SendAsync(HttpMethod.Get, path, token: token);
                Assert.Equal(HttpStatusCode.NotFound, r.StatusCode);
                var error = JsonNode.Parse(await r.Content.ReadAsStringAsync())!;
                Assert.Equal("not_found", error["code"]!.GetValue<string>());
                Assert.Equal($"No engagements job {id}.", error["description"]!.GetValue<string>());
            }

            using var own = await stranger.GetAsync($"/data/reports/engagements/jobs/{id}");
            Assert.True(own.StatusCode is HttpStatusCode.OK or HttpStatusCode.SeeOther);
        }

        // Works for its hour (the server's token cache included), then 401 in either dialect.
        server.Clock.Set(T0.AddSeconds(3599));
        using (var r = await tenant.SendAsync(HttpMethod.Get, "/data/reports/engagements/jobs", token: token))
        {
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        }

        server.Clock.Set(T0.AddSeconds(3600));
        using (var r = await tenant.SendAsync(HttpMethod.Get, "/data/reports/engagements/jobs", token: token))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
            var error = JsonNode.Parse(await r.Content.ReadAsStringAsync())!;
            Assert.Equal("unauthorized", error["code"]!.GetValue<string>());
            Assert.Equal("Couldn't authenticate you: the token is not valid.", error["description"]!.GetValue<string>());
        }

        using (var r = await tenant.SendAsync(HttpMethod.Get, "/api/v2/engagements", token: token))
        {
            await AuthTests.AssertError(r, HttpStatusCode.Unauthorized, "Unauthorized");
        }

        // A new token after the old one expired; revoking the client ends it (once the server's 30 s cache lets go).
        var fresh = (await PostTokenAsync(server, "grant_type=client_credentials", Basic(client))).Body["access_token"]!.GetValue<string>();
        using (var r = await tenant.SendAsync(HttpMethod.Get, "/data/reports/engagements/jobs", token: fresh))
        {
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        }

        Assert.True(await server.Store.RevokeOAuthClientAsync(client.Client.ClientId));
        server.Clock.Set(T0.AddSeconds(3600 + 31));
        using (var r = await tenant.SendAsync(HttpMethod.Get, "/data/reports/engagements/jobs", token: fresh))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
        }

        var (status, body, headers) = await PostTokenAsync(server, "grant_type=client_credentials", Basic(client));
        AssertError(status, body, headers, HttpStatusCode.Unauthorized, "invalid_client", "The client has been revoked.");
    }

    private static async Task WithServer(bool postgres, Func<ApiServer, Task> test)
    {
        await using var server = await ApiServer.StartAsync(postgres: postgres);
        server.Clock.Set(T0);
        await test(server);
    }

    private static string Basic(NewOAuthClient client) =>
        Convert.ToBase64String(Encoding.ASCII.GetBytes($"{client.Client.ClientId}:{client.Secret}"));

    internal static async Task<(HttpStatusCode Status, JsonObject Body, HttpResponseHeaders Headers)> PostTokenAsync(
        ApiServer server, string query, string? basic, string? form = null, string? contentType = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/oauth/token" + (query.Length > 0 ? "?" + query : ""));
        if (basic is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Basic " + basic);
        }

        request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(form ?? ""));
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType ?? "application/x-www-form-urlencoded");
        using var response = await server.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        return (response.StatusCode, JsonNode.Parse(text)!.AsObject(), response.Headers);
    }

    private static void AssertError(HttpStatusCode status, JsonObject body, HttpResponseHeaders headers, HttpStatusCode expected, string error, string description)
    {
        Assert.True(status == expected, $"{(int)status} {body.ToJsonString()}");
        Assert.Equal(["error", "error_description"], body.Select(p => p.Key));
        Assert.Equal(error, body["error"]!.GetValue<string>());
        Assert.Contains(description, body["error_description"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("no-store", headers.CacheControl?.ToString());
        if (expected == HttpStatusCode.Unauthorized)
        {
            Assert.Equal("Basic realm=\"OmniReport\"", headers.WwwAuthenticate.Single().ToString());
        }
        else
        {
            Assert.Empty(headers.WwwAuthenticate);
        }
    }
}
