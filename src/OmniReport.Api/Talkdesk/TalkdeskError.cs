using System.Globalization;
using System.Text.Json;
using OmniReport.Core.Reports;

namespace OmniReport.Api.Talkdesk;

/// <summary>
/// An error of the Talkdesk dialect:
/// <c>{"code", "message", "description", "fields": [{"name", "description"}]}</c>.
/// </summary>
public sealed class TalkdeskError : IResult, IStatusCodeHttpResult
{
    internal TalkdeskError(int status, string code, string message, string description, IReadOnlyList<FieldProblem> fields)
    {
        StatusCode = status;
        Code = code;
        Message = message;
        Description = description;
        Fields = fields;
    }

    /// <summary>The HTTP status.</summary>
    public int StatusCode { get; }

    int? IStatusCodeHttpResult.StatusCode => StatusCode;

    /// <summary>The error code.</summary>
    public string Code { get; }

    /// <summary>A short message.</summary>
    public string Message { get; }

    /// <summary>What went wrong, for people.</summary>
    public string Description { get; }

    /// <summary>The fields named.</summary>
    public IReadOnlyList<FieldProblem> Fields { get; }

    /// <summary>Seconds for a <c>Retry-After</c> header, if any.</summary>
    public int? RetryAfterSeconds { get; init; }

    /// <inheritdoc />
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.StatusCode = StatusCode;
        response.ContentType = "application/json; charset=utf-8";
        if (RetryAfterSeconds is { } s)
        {
            response.Headers.RetryAfter = s.ToString(CultureInfo.InvariantCulture);
        }

        await JsonSerializer.SerializeAsync(response.Body, new TalkdeskErrorBody(Code, Message, Description, Fields), TalkdeskJson.Wire.TalkdeskErrorBody, httpContext.RequestAborted)
            .ConfigureAwait(false);
    }
}
