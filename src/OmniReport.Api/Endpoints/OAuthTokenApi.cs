using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using OmniReport.Api.Auth;
using OmniReport.Api.OAuth;
using OmniReport.Storage;

namespace OmniReport.Api.Endpoints;

/// <summary>
/// <c>POST /oauth/token</c> (SPEC §5.5): the OAuth 2.0 client-credentials grant (RFC 6749 §4.4) that Talkdesk clients
/// use to get their bearer token. No token is needed to call it: the client authenticates itself.
/// </summary>
public static class OAuthTokenApi
{
    /// <summary>The operation id (the OpenAPI document describes its form body: declaring it on the endpoint would make
    /// routing answer 415 to other bodies, where RFC 6749 wants <c>invalid_request</c>).</summary>
    public const string Operation = "IssueAccessToken";

    /// <summary>The form fields, for the OpenAPI document.</summary>
    internal static readonly (string Name, string Description)[] FormFields =
    [
        ("grant_type", "client_credentials (may be in the query string instead)."),
        ("scope", "Space-separated scopes, a subset of the client's (default: all of them); data-reports:read and data-reports:write stand for reports:read."),
        ("client_id", "The client id, when it does not authenticate with HTTP Basic."),
        ("client_secret", "The client secret, when it does not authenticate with HTTP Basic."),
    ];

    /// <summary>Maps the resource.</summary>
    public static IEndpointRouteBuilder MapOAuthToken(this IEndpointRouteBuilder app)
    {
        app.MapPost(OAuthDialect.TokenPath, IssueToken)
            .WithName(Operation)
            .WithTags("OAuth")
            .WithSummary("Get an access token with the client-credentials grant")
            .WithDescription("grant_type=client_credentials in the form body or the query string; the client authenticates with "
                + "HTTP Basic base64(client_id:client_secret) or client_id / client_secret form fields; optional scope "
                + "(space-separated, a subset of the client's). The token works as a bearer token for expires_in seconds.")
            .Produces<AccessTokenBody>(StatusCodes.Status200OK)
            .Produces<OAuthErrorBody>(StatusCodes.Status400BadRequest)
            .Produces<OAuthErrorBody>(StatusCodes.Status401Unauthorized)
            .Produces<OAuthErrorBody>(StatusCodes.Status429TooManyRequests);
        return app;
    }

    internal static async Task<Results<AccessTokenResult, OAuthError>> IssueToken(
        HttpRequest request, HttpResponse response, IStore store, TokenRateLimiter limiter, AddressRateLimiter addresses, CancellationToken ct)
    {
        var (tokenRequest, error) = await TokenRequest.ReadAsync(request, ct).ConfigureAwait(false);
        if (tokenRequest is null)
        {
            return error!;
        }

        // SPEC §5.1: a client that fails to authenticate presents no valid credential, so it counts against its address
        // like a wrong token does; over the limit, answered before any store lookup.
        var address = AddressRateLimiter.AddressOf(request.HttpContext);
        var mayTry = addresses.MayTry(address);
        if (!mayTry.Allowed)
        {
            return OAuthDialect.RateLimited(addresses.Limit, mayTry.RetryAfterSeconds);
        }

        var client = await store.FindOAuthClientAsync(tokenRequest.ClientId, ct).ConfigureAwait(false);
        if (client is null || !OAuthClients.SecretMatches(client, tokenRequest.ClientSecret))
        {
            addresses.Failed(address);
            return OAuthDialect.InvalidClient("Client authentication failed: unknown client_id or wrong client_secret.");
        }

        if (client.Revoked)
        {
            return OAuthDialect.InvalidClient("The client has been revoked.");
        }

        // Like any authenticated request (SPEC §5.1), counted against the client, whose tokens share its budget.
        var decision = limiter.AcquireClient(client.Id);
        response.Headers["X-Rate-Limit"] = limiter.Limit.ToString(CultureInfo.InvariantCulture);
        response.Headers["X-Rate-Limit-Remaining"] = (limiter.Limit <= 0 ? limiter.Limit : decision.Remaining).ToString(CultureInfo.InvariantCulture);
        if (!decision.Allowed)
        {
            return OAuthDialect.RateLimited(limiter.Limit, decision.RetryAfterSeconds);
        }

        if (!OAuthScopes.TryParse(tokenRequest.Scope, out var requested, out var unknown))
        {
            return OAuthDialect.BadRequest(OAuthDialect.Codes.InvalidScope, $"Unknown scope \"{unknown}\".");
        }

        var scopes = requested ?? client.Scopes;
        if ((scopes & ~client.Scopes) != Scopes.None)
        {
            return OAuthDialect.BadRequest(OAuthDialect.Codes.InvalidScope,
                $"The client may not have {OAuthScopes.Format(scopes & ~client.Scopes)}; its scopes are {OAuthScopes.Format(client.Scopes)}.");
        }

        var token = await store.IssueAccessTokenAsync(client.Id, scopes, OAuthClients.AccessTokenLifetime, ct).ConfigureAwait(false);
        return token is null
            ? OAuthDialect.InvalidClient("The client has been revoked.")
            : new AccessTokenResult(token.Token, (int)OAuthClients.AccessTokenLifetime.TotalSeconds, OAuthScopes.Format(token.Scopes));
    }
}
