using System.Text.Json;

namespace OmniReport.Api.OAuth;

/// <summary>RFC 6749 §5.1: <c>{"access_token", "token_type": "Bearer", "expires_in", "scope"}</c>.</summary>
public sealed class AccessTokenResult(string token, int expiresInSeconds, string scope) : IResult, IStatusCodeHttpResult
{
    int? IStatusCodeHttpResult.StatusCode => StatusCodes.Status200OK;

    /// <inheritdoc />
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; charset=utf-8";
        OAuthDialect.NoStore(response);
        using (var w = new Utf8JsonWriter(response.BodyWriter, OAuthDialect.WriterOptions))
        {
            w.WriteStartObject();
            w.WriteString("access_token"u8, token);
            w.WriteString("token_type"u8, "Bearer");
            w.WriteNumber("expires_in"u8, expiresInSeconds);
            w.WriteString("scope"u8, scope);
            w.WriteEndObject();
        }

        await response.BodyWriter.FlushAsync(httpContext.RequestAborted).ConfigureAwait(false);
    }
}
