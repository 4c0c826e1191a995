using OmniReport.Api.Hosting;

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

    /// <summary>The dialect as the <see cref="IDialect"/> of its requests: the token endpoint needs no token.</summary>
    public static IDialect Instance { get; } = new Errors();

    private sealed class Errors : IDialect
    {
        public bool RequiresToken => false;

        public IResult ForStatus(int status) => OAuthDialect.ForStatus(status);

        public IResult Unauthorized(string description) => InvalidClient(description);

        public IResult Forbidden(string description) => BadRequest(Codes.InvalidScope, description);

        public IResult RateLimited(int limit, int retryAfterSeconds) => OAuthDialect.RateLimited(limit, retryAfterSeconds);
    }

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

    internal static void NoStore(HttpResponse response)
    {
        response.Headers.CacheControl = "no-store";
        response.Headers.Pragma = "no-cache";
    }
}
