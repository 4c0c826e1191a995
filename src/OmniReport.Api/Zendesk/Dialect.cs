using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using OmniReport.Api.Hosting;

namespace OmniReport.Api.Zendesk;

/// <summary>
/// The Zendesk dialect of <c>/api/v2</c> (SPEC §5.2–5.3): the one place that knows how its JSON and its errors
/// look. Endpoints shape their answers only through these helpers.
/// </summary>
public static class Dialect
{
    /// <summary>The path prefix the dialect governs.</summary>
    public const string Prefix = "/api/v2";

    /// <summary>Error codes of the dialect.</summary>
    public static class Codes
    {
        /// <summary>A parameter or body value is not acceptable.</summary>
        public const string InvalidValue = "InvalidValue";
        /// <summary>The body is not what the endpoint reads.</summary>
        public const string BadRequest = "BadRequest";
        /// <summary>No such record or path.</summary>
        public const string RecordNotFound = "RecordNotFound";
        /// <summary>No token or a bad token.</summary>
        public const string Unauthorized = "Unauthorized";
        /// <summary>The token lacks the scope.</summary>
        public const string Forbidden = "Forbidden";
        /// <summary>Over the token's rate limit.</summary>
        public const string TooManyRequests = "TooManyRequests";
        /// <summary>The method is not allowed on the path.</summary>
        public const string MethodNotAllowed = "MethodNotAllowed";
        /// <summary>Body over the size or event-count limit.</summary>
        public const string PayloadTooLarge = "PayloadTooLarge";
        /// <summary>Unsupported content type.</summary>
        public const string UnsupportedMediaType = "UnsupportedMediaType";
        /// <summary>Anything the server got wrong.</summary>
        public const string InternalError = "InternalError";
        /// <summary>The service is stopping.</summary>
        public const string ServiceUnavailable = "ServiceUnavailable";
    }

    /// <summary>JSON options of the dialect: its source-generated types (<see cref="ZendeskJson"/>), snake_case names, UTF-8 text unescaped.</summary>
    public static JsonSerializerOptions JsonOptions => ZendeskJson.Wire.Options;

    /// <summary>Makes the framework's JSON (and so the OpenAPI schemas) speak the dialect's names and types.</summary>
    internal static void Configure(Microsoft.AspNetCore.Http.Json.JsonOptions options)
    {
        options.SerializerOptions.PropertyNamingPolicy = JsonOptions.PropertyNamingPolicy;
        options.SerializerOptions.Encoder = JsonOptions.Encoder;
        options.SerializerOptions.NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict;
    }

    internal static JsonWriterOptions WriterOptions { get; } = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    /// <summary>A 200 answer with <paramref name="value"/> as dialect JSON.</summary>
    public static JsonHttpResult<T> Ok<T>(T value) => TypedResults.Json(value, JsonOptions, "application/json; charset=utf-8");

    /// <summary>A 201 answer with <paramref name="value"/> as dialect JSON.</summary>
    public static JsonHttpResult<T> Created<T>(T value) => TypedResults.Json(value, JsonOptions, "application/json; charset=utf-8", StatusCodes.Status201Created);

    /// <summary>An error answer: <c>{"error", "description", "details"}</c>.</summary>
    public static ZendeskError Error(int status, string error, string description) => new(status, error, description, null, null);

    /// <summary>
    /// An error about one field or parameter; <c>details</c> maps it to
    /// <c>[{"description", "error"}]</c> as Zendesk's validation errors do.
    /// </summary>
    public static ZendeskError FieldError(int status, string field, string description, string error = Codes.InvalidValue) =>
        new(status, error, $"{field}: {description}", field, description);

    /// <summary>429 with <c>Retry-After</c>.</summary>
    public static ZendeskError RateLimited(int limit, int retryAfterSeconds) =>
        new(StatusCodes.Status429TooManyRequests, Codes.TooManyRequests,
            $"Rate limit of {limit} requests a minute exceeded; retry after {retryAfterSeconds} seconds.", null, null)
        {
            RetryAfterSeconds = retryAfterSeconds,
        };

    /// <summary>The error a status code gives when nothing more specific was said (404, 405, 413, …).</summary>
    public static ZendeskError ForStatus(int status) => status switch
    {
        StatusCodes.Status400BadRequest => Error(status, Codes.BadRequest, "The request could not be read."),
        StatusCodes.Status401Unauthorized => Error(status, Codes.Unauthorized, "Couldn't authenticate you."),
        StatusCodes.Status403Forbidden => Error(status, Codes.Forbidden, "You do not have access to this resource."),
        StatusCodes.Status404NotFound => Error(status, Codes.RecordNotFound, "Not found."),
        StatusCodes.Status405MethodNotAllowed => Error(status, Codes.MethodNotAllowed, "The method is not allowed on this path."),
        StatusCodes.Status413PayloadTooLarge => Error(status, Codes.PayloadTooLarge, "The request body is too large."),
        StatusCodes.Status415UnsupportedMediaType => Error(status, Codes.UnsupportedMediaType, "Unsupported content type."),
        StatusCodes.Status429TooManyRequests => Error(status, Codes.TooManyRequests, "Rate limit exceeded."),
        StatusCodes.Status503ServiceUnavailable => Error(status, Codes.ServiceUnavailable, "The service is not available."),
        >= 500 => Error(status, Codes.InternalError, "The server could not complete the request."),
        _ => Error(status, Codes.BadRequest, "The request could not be completed."),
    };

    /// <summary>The dialect as the <see cref="IDialect"/> of its requests.</summary>
    public static IDialect Instance { get; } = new Errors();

    private sealed class Errors : IDialect
    {
        public bool RequiresToken => true;

        public IResult ForStatus(int status) => Dialect.ForStatus(status);

        public IResult Unauthorized(string description) => Error(StatusCodes.Status401Unauthorized, Codes.Unauthorized, description);

        public IResult Forbidden(string description) => Error(StatusCodes.Status403Forbidden, Codes.Forbidden, description);

        public IResult RateLimited(int limit, int retryAfterSeconds) => Dialect.RateLimited(limit, retryAfterSeconds);
    }
}
