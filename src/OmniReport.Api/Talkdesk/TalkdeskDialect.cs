using System.Text.Encodings.Web;
using System.Text.Json;
using OmniReport.Core.Reports;
using OmniReport.Storage;

namespace OmniReport.Api.Talkdesk;

/// <summary>
/// The Talkdesk Explore dialect of <c>/data</c> (SPEC §5.4): the one place that knows how its job JSON and its
/// errors look. Report files themselves are written by Core's <see cref="ReportWriter"/>, as <c>derive</c> writes them.
/// </summary>
public static class TalkdeskDialect
{
    /// <summary>The path prefix the dialect governs.</summary>
    public const string Prefix = "/data";

    /// <summary>Error codes of the dialect.</summary>
    public static class Codes
    {
        /// <summary>The body or a parameter is not acceptable.</summary>
        public const string BadRequest = "bad_request";
        /// <summary>No token or a bad token.</summary>
        public const string Unauthorized = "unauthorized";
        /// <summary>The token lacks the scope.</summary>
        public const string Forbidden = "forbidden";
        /// <summary>No such job, file, report type or path.</summary>
        public const string NotFound = "not_found";
        /// <summary>The method is not allowed on the path.</summary>
        public const string MethodNotAllowed = "method_not_allowed";
        /// <summary>Over the token's rate limit.</summary>
        public const string TooManyRequests = "too_many_requests";
        /// <summary>Anything the server got wrong.</summary>
        public const string InternalError = "internal_error";
    }

    internal static JsonWriterOptions WriterOptions { get; } = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    /// <summary>True when the dialect governs <paramref name="request"/>'s path.</summary>
    public static bool Governs(HttpRequest request) => request.Path.StartsWithSegments(Prefix, StringComparison.OrdinalIgnoreCase);

    /// <summary>An error answer.</summary>
    public static TalkdeskError Error(int status, string code, string message, string description, IReadOnlyList<FieldProblem>? fields = null) =>
        new(status, code, message, description, fields ?? []);

    /// <summary>400 naming every bad field.</summary>
    public static TalkdeskError Invalid(IReadOnlyList<FieldProblem> fields) =>
        Error(StatusCodes.Status400BadRequest, Codes.BadRequest, "Bad Request",
            string.Join("; ", fields.Select(f => $"{f.Name}: {f.Description}")), fields);

    /// <summary>404 for a job (or its file) the account does not have.</summary>
    public static TalkdeskError NotFound(string description) =>
        Error(StatusCodes.Status404NotFound, Codes.NotFound, "Not Found", description);

    /// <summary>429 with <c>Retry-After</c>.</summary>
    public static TalkdeskError RateLimited(int limit, int retryAfterSeconds) =>
        new(StatusCodes.Status429TooManyRequests, Codes.TooManyRequests, "Too Many Requests",
            $"Rate limit of {limit} requests a minute exceeded; retry after {retryAfterSeconds} seconds.", [])
        {
            RetryAfterSeconds = retryAfterSeconds,
        };

    /// <summary>The error a status code gives when nothing more specific was said.</summary>
    public static TalkdeskError ForStatus(int status) => status switch
    {
        StatusCodes.Status401Unauthorized => Error(status, Codes.Unauthorized, "Unauthorized", "No valid API token."),
        StatusCodes.Status403Forbidden => Error(status, Codes.Forbidden, "Forbidden", "The token may not do this."),
        StatusCodes.Status404NotFound => Error(status, Codes.NotFound, "Not Found", "No such resource."),
        StatusCodes.Status405MethodNotAllowed => Error(status, Codes.MethodNotAllowed, "Method Not Allowed", "The method is not allowed on this path."),
        StatusCodes.Status429TooManyRequests => Error(status, Codes.TooManyRequests, "Too Many Requests", "Rate limit exceeded."),
        >= 500 => Error(status, Codes.InternalError, "Internal Server Error", "The server could not complete the request."),
        _ => Error(status, Codes.BadRequest, "Bad Request", "The request could not be read."),
    };

    /// <summary>The path of a job.</summary>
    public static string JobPath(ReportJob job) => $"{Prefix}/reports/{ReportNames.Name(job.Type)}/jobs/{job.Id}";

    /// <summary>The path of a job's file.</summary>
    public static string FilePath(ReportJob job) => $"{Prefix}/reports/{ReportNames.Name(job.Type)}/files/{job.Id}";

    /// <summary>Writes a job object: id, name, timezone, status, format, timespan, _links (absolute URLs).</summary>
    internal static void WriteJob(Utf8JsonWriter w, ReportJob job, string baseUrl)
    {
        w.WriteStartObject();
        w.WriteString("id"u8, job.Id);
        w.WriteString("name"u8, job.Request.Name);
        w.WriteString("timezone"u8, job.Request.TimeZone);
        w.WriteString("status"u8, ReportJob.StatusName(job.Status));
        if (job.Status == ReportJobStatus.Failed)
        {
            // decisions.md: Talkdesk's job has no such field; a client that does not know it ignores it.
            w.WriteString("failure"u8, job.Error ?? "the job failed");
        }

        w.WriteString("format"u8, ReportNames.Name(job.Request.Format));
        w.WriteStartObject("timespan"u8);
        w.WriteString("from"u8, job.Request.From);
        w.WriteString("to"u8, job.Request.To);
        w.WriteEndObject();
        w.WriteStartObject("_links"u8);
        w.WriteStartObject("self"u8);
        w.WriteString("href"u8, baseUrl + JobPath(job));
        w.WriteEndObject();
        w.WriteStartObject("files"u8);
        w.WriteString("href"u8, baseUrl + FilePath(job));
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>scheme://host of the request, for absolute links.</summary>
    internal static string BaseUrl(HttpRequest request) => $"{request.Scheme}://{request.Host}{request.PathBase}";
}
