using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Metadata;
using OmniReport.Core.Reports;
using OmniReport.Storage;

namespace OmniReport.Api.Talkdesk;

/// <summary>
/// <c>{"job": {...}}</c> with a status: 202 when created, 200 while not done, 303 with <c>Location</c> of the
/// file once done (the body still says the job, as Talkdesk's does).
/// </summary>
public sealed class JobResult(ReportJob job, int status) : IResult, IStatusCodeHttpResult, IEndpointMetadataProvider
{
    int? IStatusCodeHttpResult.StatusCode => status;

    /// <summary>The job.</summary>
    public ReportJob Job => job;

    /// <inheritdoc />
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.StatusCode = status;
        response.ContentType = "application/json; charset=utf-8";
        if (status == StatusCodes.Status303SeeOther)
        {
            response.Headers.Location = TalkdeskDialect.FilePath(job);
        }
        else if (status == StatusCodes.Status202Accepted)
        {
            response.Headers.Location = TalkdeskDialect.JobPath(job);
        }

        var body = new TalkdeskJobEnvelope(TalkdeskJob.From(job, TalkdeskDialect.BaseUrl(httpContext.Request)));
        await JsonSerializer.SerializeAsync(response.Body, body, TalkdeskJson.Wire.TalkdeskJobEnvelope, httpContext.RequestAborted).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // The statuses differ per endpoint; ReportJobsApi declares them.
    }
}

/// <summary><c>{"_embedded": {"jobs": [...]}, "total": n, "page": p, "per_page": k}</c>.</summary>
public sealed class JobListResult(ReportJobPage page, int pageNumber, int perPage) : IResult, IStatusCodeHttpResult, IEndpointMetadataProvider
{
    int? IStatusCodeHttpResult.StatusCode => StatusCodes.Status200OK;

    /// <inheritdoc />
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; charset=utf-8";
        var baseUrl = TalkdeskDialect.BaseUrl(httpContext.Request);
        var body = new TalkdeskJobList(new TalkdeskJobs([.. page.Jobs.Select(j => TalkdeskJob.From(j, baseUrl))]), page.Total, pageNumber, perPage);
        await JsonSerializer.SerializeAsync(response.Body, body, TalkdeskJson.Wire.TalkdeskJobList, httpContext.RequestAborted).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(TalkdeskJobList), ["application/json"]));
    }
}

/// <summary>200: the report file, streamed part by part from the store.</summary>
public sealed class ReportFileResult(IStore store, ReportJob job) : IResult, IStatusCodeHttpResult, IEndpointMetadataProvider
{
    int? IStatusCodeHttpResult.StatusCode => StatusCodes.Status200OK;

    /// <inheritdoc />
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = ReportWriter.ContentType(job.Request.Format);
        var extension = job.Request.Format switch { ReportFormat.Csv => "csv", ReportFormat.JsonBulk => "ndjson", _ => "json" };
        response.Headers.ContentDisposition = $"attachment; filename=\"{ReportNames.Name(job.Type)}-{job.Id}.{extension}\"";
        await ReportJobFiles.CopyAsync(store, job.AccountId, job.Type, job.Id, response.Body, httpContext.RequestAborted).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // One answer type a status code: the text formats (json_bulk, csv) are added by OpenApiSetup.
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(ReportFileDoc), ["application/json"]));
    }
}
