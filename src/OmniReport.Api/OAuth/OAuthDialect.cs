using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace OmniReport.Api.OAuth;

/// <summary>
/// The OAuth 2.0 token endpoint's wire shapes (SPEC §5.5, RFC 6749 §5.1–5.2): the one place that writes its token
/// answer and its errors. Every answer says <c>Cache-Control: no-store</c> and <c>Pragma: no-cache</c>, as RFC 6749
/// §5.1 asks of answers that carry tokens.
/// </summary>
public static class OAuthDialect
{
    /// <summary>The path prefix the dialect governs.</summary>
    public const string Prefix = "/oauth";

    /// <summary>The token endpoint.</summary>
    public const string TokenPath = Prefix + "/token";

    /// <summary>The challenge of an <c>invalid_client</c> answer (RFC 7617 asks for a realm).</summary>
    public const string BasicChallenge = "Basic realm=\"OmniReport\"";

    /// <summary>Error codes: RFC 6749 §5.2's, and two for what it does not name.</summary>
    public static class Codes
    {
        /// <summary>A parameter is missing, repeated, or not readable; or the body is not a form.</summary>
        public const string InvalidRequest = "invalid_request";
        /// <summary>The client could not be authenticated (401).</summary>
        public const string InvalidClient = "invalid_client";
        /// <summary>A grant other than client_credentials.</summary>
        public const string UnsupportedGrantType = "unsupported_grant_type";
        /// <summary>A scope the client does not have, or that does not exist.</summary>
        public const string InvalidScope = "invalid_scope";
        /// <summary>Over the client's rate limit (429; not an RFC 6749 code).</summary>
        public const string TooManyRequests = "too_many_requests";
        /// <summary>Anything the server got wrong (RFC 6749 §4.1.2.1's name for it).</summary>
        public const string ServerError = "server_error";
    }

    /// <summary>True when the dialect governs <paramref name="request"/>'s path.</summary>
    public static bool Governs(HttpRequest request) => request.Path.StartsWithSegments(Prefix, StringComparison.OrdinalIgnoreCase);

    /// <summary>400 with one of the codes.</summary>
    public static OAuthError BadRequest(string code, string description) => new(StatusCodes.Status400BadRequest, code, description);

    /// <summary>401 <c>invalid_client</c> with the Basic challenge.</summary>
    public static OAuthError InvalidClient(string description) => new(StatusCodes.Status401Unauthorized, Codes.InvalidClient, description);

    /// <summary>429 with <c>Retry-After</c>.</summary>
    public static OAuthError RateLimited(int limit, int retryAfterSeconds) =>
        new(StatusCodes.Status429TooManyRequests, Codes.TooManyRequests,
            $"Rate limit of {limit} requests a minute exceeded; retry after {retryAfterSeconds} seconds.")
        {
            RetryAfterSeconds = retryAfterSeconds,
        };

    /// <summary>The error a status code gives when nothing more specific was said (404, 405, 500, …).</summary>
    public static OAuthError ForStatus(int status) => status switch
    {
        StatusCodes.Status404NotFound => new(status, Codes.InvalidRequest, $"No such path: the token endpoint is POST {TokenPath}."),
        StatusCodes.Status405MethodNotAllowed => new(status, Codes.InvalidRequest, $"The token endpoint takes POST {TokenPath}."),
        >= 500 => new(status, Codes.ServerError, "The server could not complete the request."),
        _ => new(status, Codes.InvalidRequest, "The request could not be read."),
    };

    internal static JsonWriterOptions WriterOptions { get; } = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    internal static void NoStore(HttpResponse response)
    {
        response.Headers.CacheControl = "no-store";
        response.Headers.Pragma = "no-cache";
    }
}

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

        using (var w = new Utf8JsonWriter(response.BodyWriter, OAuthDialect.WriterOptions))
        {
            w.WriteStartObject();
            w.WriteString("error"u8, Error);
            w.WriteString("error_description"u8, Description);
            w.WriteEndObject();
        }

        await response.BodyWriter.FlushAsync(httpContext.RequestAborted).ConfigureAwait(false);
    }
}

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
