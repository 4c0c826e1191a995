using System.Net;

namespace OmniReport.Api.Tests;

/// <summary>Per-token rate limits: 429 with Retry-After, and the limit headers on every authenticated answer.</summary>
public sealed class RateLimitTests : IAsyncLifetime
{
    private ApiServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await ApiServer.StartAsync(new ApiOptions { RateLimitPerMinute = 5 });
        _server.Clock.Set(DateTimeOffset.Parse("2026-06-01T00:00:10Z", System.Globalization.CultureInfo.InvariantCulture));
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Over_the_limit_is_429_with_Retry_After_until_the_window_turns()
    {
        var t = await _server.NewAccountAsync();
        for (var i = 1; i <= 5; i++)
        {
            using var ok = await t.GetAsync("/api/v2/engagements");
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            Assert.Equal("5", Assert.Single(ok.Headers.GetValues("X-Rate-Limit")));
            Assert.Equal($"{5 - i}", Assert.Single(ok.Headers.GetValues("X-Rate-Limit-Remaining")));
        }

        using (var limited = await t.GetAsync("/api/v2/engagements"))
        {
            await AuthTests.AssertError(limited, HttpStatusCode.TooManyRequests, "TooManyRequests");
            Assert.Equal(TimeSpan.FromSeconds(50), limited.Headers.RetryAfter?.Delta);
            Assert.Equal("0", Assert.Single(limited.Headers.GetValues("X-Rate-Limit-Remaining")));
        }

        // Errors of other kinds count too, and still carry the headers.
        using (var notFound = await t.GetAsync("/api/v2/nowhere"))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, notFound.StatusCode);
        }

        _server.Clock.Advance(TimeSpan.FromSeconds(50));
        using var again = await t.GetAsync("/api/v2/engagements");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("4", Assert.Single(again.Headers.GetValues("X-Rate-Limit-Remaining")));
    }

    [Fact]
    public async Task Limits_are_per_token()
    {
        var a = await _server.NewAccountAsync();
        var b = await _server.NewAccountAsync();
        for (var i = 0; i < 6; i++)
        {
            using var r = await a.GetAsync("/api/v2/settings");
        }

        using (var limited = await a.GetAsync("/api/v2/settings"))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        }

        using var other = await b.GetAsync("/api/v2/settings");
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Equal("4", Assert.Single(other.Headers.GetValues("X-Rate-Limit-Remaining")));
    }

    [Fact]
    public async Task Health_and_openapi_need_no_token_and_are_not_limited()
    {
        for (var i = 0; i < 8; i++)
        {
            using var health = await _server.Client.GetAsync("/healthz");
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            using var openapi = await _server.Client.GetAsync("/openapi/v1.json");
            Assert.Equal(HttpStatusCode.OK, openapi.StatusCode);
            Assert.False(health.Headers.Contains("X-Rate-Limit"));
        }
    }

    [Fact]
    public async Task Requests_without_a_valid_token_are_limited_per_address_without_a_store_lookup_beyond_the_limit()
    {
        var counting = (CountingStore?)null;
        await using var server = await ApiServer.StartAsync(new ApiOptions { RateLimitPerMinute = 0, AddressRateLimitPerMinute = 3 }, wrap: s => counting = new CountingStore(s));
        server.Clock.Set(DateTimeOffset.Parse("2026-06-01T00:00:15Z", System.Globalization.CultureInfo.InvariantCulture));
        var t = await server.NewAccountAsync();
        using (var warm = await t.GetAsync("/api/v2/settings"))
        {
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode); // the valid token is now remembered
        }

        var lookups = counting!.Lookups;
        for (var i = 0; i < 3; i++)
        {
            using var wrong = await t.SendAsync(HttpMethod.Get, "/api/v2/settings", token: $"wrong-{i}");
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using (var none = await server.Client.GetAsync("/data/reports/engagements/jobs"))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, none.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(45), none.Headers.RetryAfter?.Delta);
        }

        for (var i = 0; i < 20; i++)
        {
            using var wrong = await t.SendAsync(HttpMethod.Get, "/api/v2/settings", token: $"guess-{i}");
            await AuthTests.AssertError(wrong, HttpStatusCode.TooManyRequests, "TooManyRequests");
            Assert.Equal(TimeSpan.FromSeconds(45), wrong.Headers.RetryAfter?.Delta);
        }

        // Three failed lookups, then none: guessing costs the store nothing more.
        Assert.Equal(lookups + 3, counting.Lookups);

        // A token already known to be valid still works from that address.
        using (var ok = await t.GetAsync("/api/v2/settings"))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        // The next minute the address may try again.
        server.Clock.Advance(TimeSpan.FromSeconds(45));
        using var later = await t.SendAsync(HttpMethod.Get, "/api/v2/settings", token: "wrong-again");
        Assert.Equal(HttpStatusCode.Unauthorized, later.StatusCode);
        Assert.Equal(lookups + 4, counting.Lookups);
    }

    private sealed class CountingStore(OmniReport.Storage.IStore inner) : StoreDecorator(inner)
    {
        private int _lookups;

        public int Lookups => Volatile.Read(ref _lookups);

        public override Task<OmniReport.Storage.TokenIdentity?> AuthenticateAsync(string token, CancellationToken ct = default)
        {
            Interlocked.Increment(ref _lookups);
            return base.AuthenticateAsync(token, ct);
        }
    }
}
