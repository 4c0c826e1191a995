using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Options;
using OmniReport.Api.Hosting;
using OmniReport.Storage;

namespace OmniReport.Api.Auth;

/// <summary>
/// Authenticates every request under <c>/api/v2</c> and <c>/data</c> (401), counts it against its token's rate limit (429, with
/// <c>X-Rate-Limit</c> / <c>X-Rate-Limit-Remaining</c> on every authenticated answer) and checks the endpoint's
/// scope (403), answering in the dialect of the path (Zendesk under /api/v2, Talkdesk under /data). Runs after
/// routing so that it sees the endpoint's <see cref="RequiredScope"/>. Access tokens of OAuth clients (SPEC §5.5) are
/// tokens like any other here; only their rate limit is their client's, and they are not cached past their expiry.
/// </summary>
internal sealed class TokenAuthentication(
    RequestDelegate next, IStore store, TokenRateLimiter limiter, AddressRateLimiter addresses, IOptions<ApiOptions> options, TimeProvider time)
{
    private const int MaxCached = 10_000;
    private readonly ConcurrentDictionary<string, (TokenIdentity Identity, long Until)> _cache = new(StringComparer.Ordinal);

    public async Task InvokeAsync(HttpContext context)
    {
        var dialect = Dialects.Of(context);
        if (dialect is not { RequiresToken: true })
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var token = Credentials.Token(context.Request.Headers.Authorization) ?? QueryToken.From(context);
        var identity = token is null ? null : Cached(token);
        var address = AddressRateLimiter.AddressOf(context);
        if (identity is null)
        {
            var mayTry = addresses.MayTry(address);
            if (!mayTry.Allowed)
            {
                // Over the address's limit: answered before any store lookup, so guessing tokens stays cheap.
                await dialect.RateLimited(addresses.Limit, mayTry.RetryAfterSeconds).ExecuteAsync(context).ConfigureAwait(false);
                return;
            }

            identity = token is null ? null : await AuthenticateAsync(token, context.RequestAborted).ConfigureAwait(false);
        }

        if (identity is null)
        {
            addresses.Failed(address);
            context.Response.Headers.WWWAuthenticate = "Bearer";
            var why = token is null ? "No API token: send Authorization: Bearer {token}." : "Couldn't authenticate you: the token is not valid.";
            if (token is null && Dashboard.BrowserAnswer.PrefersHtml(context.Request))
            {
                await Dashboard.BrowserAnswer.WriteAsync(context, why).ConfigureAwait(false);
                return;
            }

            await dialect.Unauthorized(why).ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        context.Features.Set(identity);
        var decision = identity.OAuthClientId is { } client ? limiter.AcquireClient(client) : limiter.Acquire(identity.TokenId);
        var headers = context.Response.Headers;
        headers["X-Rate-Limit"] = limiter.Limit.ToString(CultureInfo.InvariantCulture);
        headers["X-Rate-Limit-Remaining"] = (limiter.Limit <= 0 ? limiter.Limit : decision.Remaining).ToString(CultureInfo.InvariantCulture);
        if (!decision.Allowed)
        {
            await dialect.RateLimited(limiter.Limit, decision.RetryAfterSeconds).ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        var required = context.GetEndpoint()?.Metadata.GetMetadata<RequiredScope>();
        if (required is not null && (identity.Scopes & required.Scope) != required.Scope)
        {
            var why = $"The token does not have the {required.Name} scope.";
            await dialect.Forbidden(why).ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        await next(context).ConfigureAwait(false);
    }

    private TokenIdentity? Cached(string token) =>
        _cache.TryGetValue(token, out var hit) && hit.Until > time.GetUtcNow().ToUnixTimeMilliseconds() ? hit.Identity : null;

    private async Task<TokenIdentity?> AuthenticateAsync(string token, CancellationToken ct)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var identity = await store.AuthenticateAsync(token, ct).ConfigureAwait(false);
        if (identity is not null)
        {
            if (_cache.Count >= MaxCached)
            {
                _cache.Clear();
            }

            // An access token (SPEC §5.5) is not remembered past its expiry.
            var until = now + (long)options.Value.TokenCacheTime.TotalMilliseconds;
            _cache[token] = (identity, Math.Min(until, identity.ExpiresAtMs ?? long.MaxValue));
        }

        return identity;
    }
}
