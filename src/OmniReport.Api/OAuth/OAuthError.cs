using System.Globalization;
using System.Text.Json;

namespace OmniReport.Api.OAuth;

/// <summary>An RFC 6749 §5.2 error: <c>{"error", "error_description"}</c>.</summary>
public sealed class OAuthError : IResult, IStatusCodeHttpResult
{
    internal OAuthError(int status, string error, string description)
    {
        StatusCode = status;
        Error = error;
        Description = description;
    }

    /// <summary>The HTTP status.</summary>
    public int StatusCode { get; }

    int? IStatusCodeHttpResult.StatusCode => StatusCode;

    /// <summary>The error code.</summary>
    public string Error { get; }

    /// <summary>What went wrong, for people.</summary>
    public string Description { get; }

    /// <summary>The body, as written.</summary>
    public OAuthErrorBody Body => new(Error, Description);

    /// <summary>Seconds for a <c>Retry-After</c> header, if any.</summary>
    public int? RetryAfterSeconds { get; init; }

    /// <inheritdoc />
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.StatusCode = StatusCode;
        response.ContentType = "application/json; charset=utf-8";
        OAuthDialect.NoStore(response);
        if (StatusCode == StatusCodes.Status401Unauthorized)
        {
            response.Headers.WWWAuthenticate = OAuthDialect.BasicChallenge;
        }

        if (RetryAfterSeconds is { } s)
        {
            response.Headers.RetryAfter = s.ToString(CultureInfo.InvariantCulture);
        }

        await JsonSerializer.SerializeAsync(response.Body, Body, OAuthJson.Wire.OAuthErrorBody, httpContext.RequestAborted).ConfigureAwait(false);
    }
}
