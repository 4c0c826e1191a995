using System.Text.Json;

namespace OmniReport.Api.OAuth;

/// <summary>RFC 6749 §5.1: <c>{"access_token", "token_type": "Bearer", "expires_in", "scope"}</c>.</summary>
public sealed class AccessTokenResult(string token, int expiresInSeconds, string scope) : IResult, IStatusCodeHttpResult
{
    int? IStatusCodeHttpResult.StatusCode => StatusCodes.Status200OK;

    /// <summary>The body, as written.</summary>
    public AccessTokenBody Body { get; } = new(token, "Bearer", expiresInSeconds, scope);

    /// <inheritdoc />
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; charset=utf-8";
        OAuthDialect.NoStore(response);
        await JsonSerializer.SerializeAsync(response.Body, Body, OAuthJson.Wire.AccessTokenBody, httpContext.RequestAborted).ConfigureAwait(false);
    }
}
