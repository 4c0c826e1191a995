using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using OmniReport.Api.Auth;
using OmniReport.Api.Hosting;
using OmniReport.Api.Ingest;
using OmniReport.Api.Talkdesk;
using OmniReport.Core.Reports;
using OmniReport.Storage;

namespace OmniReport.Api.Endpoints;

/// <summary>
/// Report jobs under <c>/data/reports/{type}</c> (SPEC §5.4), wire-compatible with Talkdesk's Explore API:
/// create, poll (303 to the file once done), download, list, cancel and delete.
/// </summary>
public static class ReportJobsApi
{
    /// <summary>The report-file download's OpenAPI operation id.</summary>
    internal const string DownloadOperation = "DownloadReport";

    private const int MaxPerPage = 100;

    /// <summary>Maps the resource.</summary>
    public static IEndpointRouteBuilder MapReportJobs(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(TalkdeskDialect.Prefix + "/reports/{type}").WithTags("Report jobs").RequireScope(Scopes.ReportsRead);
        group.MapPost("/jobs", CreateJob)
            .WithName("CreateReportJob")
            .WithSummary("Create a report job")
            .WithDescription("type: erc_omnichannel_report (interaction records) or engagements. Records are selected by their start time, from inclusive, to exclusive.")
            .Accepts<TalkdeskJobRequest>("application/json")
            .Produces<TalkdeskJobEnvelope>(StatusCodes.Status202Accepted)
            .ProducesTalkdeskErrors(400, 401, 403, 404, 429);
        group.MapGet("/jobs", ListJobs)
            .WithName("ListReportJobs")
            .WithSummary("List report jobs, newest first")
            .ProducesTalkdeskErrors(400, 401, 403, 404, 429);
        group.MapGet("/jobs/{id}", GetJob)
            .WithName("GetReportJob")
            .WithSummary("Show a report job; 303 to its file once done")
            .Produces<TalkdeskJobEnvelope>(StatusCodes.Status200OK)
            .Produces<TalkdeskJobEnvelope>(StatusCodes.Status303SeeOther)
            .ProducesTalkdeskErrors(401, 403, 404, 429);
        group.MapDelete("/jobs/{id}", DeleteJob)
            .WithName("DeleteReportJob")
            .WithSummary("Cancel a running job, or delete a finished one and its file")
            .ProducesTalkdeskErrors(401, 403, 404, 429);
        group.MapGet("/files/{id}", GetFile)
            .WithName(DownloadOperation)
            .WithSummary("Download a done job's report file")
            .ProducesTalkdeskErrors(401, 403, 404, 429);
        return app;
    }

    internal static async Task<Results<JobResult, TalkdeskError>> CreateJob(
        Caller caller, [FromRoute] string type, HttpRequest request, IStore store, ReportJobWorker worker, IOptions<ApiOptions> options, CancellationToken ct)
    {
        if (!ReportNames.TryType(type, out var reportType))
        {
            return UnknownType(type);
        }

        ReportJobRequest? jobRequest;
        IReadOnlyList<FieldProblem> problems;
        using (var body = await RequestBody.ReadAsync(request, options.Value.MaxSettingsBytes, ct).ConfigureAwait(false))
        {
            if (body is null)
            {
                return TalkdeskDialect.Invalid([new FieldProblem("body", $"must be a JSON object of at most {options.Value.MaxSettingsBytes} bytes")]);
            }

            if (!ReportJobRequest.TryParse(type, body.Span, out jobRequest, out problems))
            {
                return TalkdeskDialect.Invalid(problems);
            }
        }

        var job = await store.CreateReportJobAsync(caller.AccountId, reportType, jobRequest!, ct).ConfigureAwait(false);
        worker.Wake();
        return new JobResult(job, StatusCodes.Status202Accepted);
    }

    internal static async Task<Results<JobListResult, TalkdeskError>> ListJobs(
        Caller caller, [FromRoute] string type, HttpRequest request, IStore store, CancellationToken ct)
    {
        if (!ReportNames.TryType(type, out var reportType))
        {
            return UnknownType(type);
        }

        var problems = new List<FieldProblem>();
        var page = Positive(request, "page", 1, int.MaxValue, problems);
        var perPage = Positive(request, "per_page", 50, MaxPerPage, problems);
        if (problems.Count > 0)
        {
            return TalkdeskDialect.Invalid(problems);
        }

        var jobs = await store.ListReportJobsAsync(caller.AccountId, reportType, page, perPage, ct).ConfigureAwait(false);
        return new JobListResult(jobs, page, perPage);
    }

    internal static async Task<Results<JobResult, TalkdeskError>> GetJob(
        Caller caller, [FromRoute] string type, [FromRoute] string id, IStore store, CancellationToken ct)
    {
        var (job, error) = await FindAsync(caller, type, id, store, ct).ConfigureAwait(false);
        return job is null ? error!
            : new JobResult(job, job.Status == ReportJobStatus.Done ? StatusCodes.Status303SeeOther : StatusCodes.Status200OK);
    }

    internal static async Task<Results<NoContent, TalkdeskError>> DeleteJob(
        Caller caller, [FromRoute] string type, [FromRoute] string id, IStore store, CancellationToken ct)
    {
        if (!ReportNames.TryType(type, out var reportType))
        {
            return UnknownType(type);
        }

        return await store.RemoveReportJobAsync(caller.AccountId, reportType, id, ct).ConfigureAwait(false)
            ? TypedResults.NoContent()
            : TalkdeskDialect.NotFound($"No {type} job {id}.");
    }

    internal static async Task<Results<ReportFileResult, TalkdeskError>> GetFile(
        Caller caller, [FromRoute] string type, [FromRoute] string id, IStore store, CancellationToken ct)
    {
        var (job, error) = await FindAsync(caller, type, id, store, ct).ConfigureAwait(false);
        return job is null ? error!
            : job.Status == ReportJobStatus.Done ? new ReportFileResult(store, job)
            : TalkdeskDialect.NotFound($"The {type} job {id} has no file: it is {ReportJob.StatusName(job.Status)}.");
    }

    /// <summary>The caller's job of this type, or the dialect's 404 for an unknown type or job.</summary>
    private static async Task<(ReportJob? Job, TalkdeskError? Error)> FindAsync(Caller caller, string type, string id, IStore store, CancellationToken ct)
    {
        if (!ReportNames.TryType(type, out var reportType))
        {
            return (null, UnknownType(type));
        }

        var job = await store.GetReportJobAsync(caller.AccountId, reportType, id, ct).ConfigureAwait(false);
        return job is null ? (null, TalkdeskDialect.NotFound($"No {type} job {id}.")) : (job, null);
    }

    private static TalkdeskError UnknownType(string type) =>
        TalkdeskDialect.Error(StatusCodes.Status404NotFound, TalkdeskDialect.Codes.NotFound, "Not Found",
            $"Unknown report type \"{type}\": erc_omnichannel_report or engagements.", [new FieldProblem("type", "must be erc_omnichannel_report or engagements")]);

    private static int Positive(HttpRequest request, string name, int fallback, int max, List<FieldProblem> problems)
    {
        var text = request.Query[name].ToString();
        if (text.Length == 0)
        {
            return fallback;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 && n <= max)
        {
            return n;
        }

        problems.Add(new FieldProblem(name, $"must be a whole number from 1 to {max}, not \"{text}\""));
        return fallback;
    }
}

/// <summary>Declares the Talkdesk dialect's error answers of an endpoint for the OpenAPI document.</summary>
internal static class TalkdeskMetadata
{
    public static RouteHandlerBuilder ProducesTalkdeskErrors(this RouteHandlerBuilder builder, params int[] statuses)
    {
        foreach (var status in statuses)
        {
            builder.Produces<TalkdeskErrorBody>(status, "application/json");
        }

        return builder;
    }
}
