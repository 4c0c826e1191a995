using System.Text.Json;

namespace OmniReport.Api.Zendesk;

/// <summary>
/// An error of the Zendesk dialect: <c>{"error": code, "description": text, "details": {field: [{"description", "error"}]}}</c>
/// (<c>details</c> is <c>{}</c> when no field is named). Endpoints declare which statuses they answer with it
/// (<see cref="DialectMetadata.ProducesDialectErrors"/>) for the OpenAPI document.
/// </summary>
public sealed class ZendeskError : IResult, IStatusCodeHttpResult
{
    internal ZendeskError(int status, string error, string description, string? field, string? fieldDescription)
    {
        StatusCode = status;
        Error = error;
        Description = description;
        Field = field;
        FieldDescription = fieldDescription;
    }

    /// <summary>The HTTP status.</summary>
    public int StatusCode { get; }

    int? IStatusCodeHttpResult.StatusCode => StatusCode;

    /// <summary>The error code (<c>InvalidValue</c>, <c>RecordNotFound</c>, …).</summary>
    public string Error { get; }

    /// <summary>What went wrong, for people.</summary>
    public string Description { get; }

    /// <summary>The field or parameter named in <c>details</c>, if any.</summary>
    public string? Field { get; }

    private string? FieldDescription { get; }

    /// <summary>The body, as written.</summary>
    public ZendeskErrorBody Body => new(Error, Description, Field is null
        ? new Dictionary<string, IReadOnlyList<ZendeskErrorDetail>>()
        : new Dictionary<string, IReadOnlyList<ZendeskErrorDetail>> { [Field] = [new ZendeskErrorDetail(FieldDescription!, Error)] });

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
            response.Headers.RetryAfter = s.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        await JsonSerializer.SerializeAsync(response.Body, Body, ZendeskJson.Wire.ZendeskErrorBody, httpContext.RequestAborted).ConfigureAwait(false);
    }
}
