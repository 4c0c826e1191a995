using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization;
using OmniReport.Api.Hosting;
using OmniReport.Core.Reports;
using OmniReport.Storage;

namespace OmniReport.Api.Talkdesk;

/// <summary>A report job as the dialect writes it (SPEC §5.4).</summary>
/// <param name="Id">The job's id.</param>
/// <param name="Name">The report's name.</param>
/// <param name="Timezone">IANA time zone of the timespan and of the times in the file.</param>
/// <param name="Status">created, processing, done, failed or canceled.</param>
/// <param name="Format">json, csv or json_bulk.</param>
/// <param name="Timespan">As the client sent it.</param>
/// <param name="Links">Absolute URLs of the job and of its file.</param>
public sealed record TalkdeskJob(
    string Id,
    string Name,
    string Timezone,
    [property: Description("created, processing, done, failed or canceled.")] string Status,
    [property: Description("json, csv or json_bulk."), JsonPropertyOrder(1)] string Format,
    [property: JsonPropertyOrder(1)] TalkdeskTimespan Timespan,
    [property: JsonPropertyName("_links"), JsonPropertyOrder(1)] TalkdeskJobLinks Links)
{
    /// <summary>Only on a failed job: why it failed (written after <see cref="Status"/>, left out otherwise).</summary>
    [Description("Only on a failed job: why it failed, in words.")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Failure { get; init; }

    /// <summary>The wire form of <paramref name="job"/>, its links under <paramref name="baseUrl"/>.</summary>
    public static TalkdeskJob From(ReportJob job, string baseUrl)
    {
        ArgumentNullException.ThrowIfNull(job);
        // decisions.md: Talkdesk's job has no failure field; a client that does not know it ignores it.
        var failure = job.Status == ReportJobStatus.Failed ? job.Error ?? "the job failed" : null;
        return new(job.Id, job.Request.Name, job.Request.TimeZone, ReportJob.StatusName(job.Status), ReportNames.Name(job.Request.Format),
            new TalkdeskTimespan(job.Request.From, job.Request.To),
            new TalkdeskJobLinks(new TalkdeskHref(baseUrl + TalkdeskDialect.JobPath(job)), new TalkdeskHref(baseUrl + TalkdeskDialect.FilePath(job))))
        {
            Failure = failure,
        };
    }
}

/// <summary>A timespan: from inclusive, to exclusive, at most 366 days.</summary>
/// <param name="From">RFC 3339, or YYYY-MM-DDTHH:MM:SS / YYYY-MM-DD HH:MM:SS in the job's time zone.</param>
/// <param name="To">As from; exclusive.</param>
public sealed record TalkdeskTimespan(
    [property: Description("RFC 3339, or YYYY-MM-DDTHH:MM:SS / YYYY-MM-DD HH:MM:SS in the job's time zone.")] string From,
    [property: Description("As from; exclusive.")] string To);

/// <summary>Links of a job.</summary>
/// <param name="Self">The job.</param>
/// <param name="Files">Its file.</param>
public sealed record TalkdeskJobLinks(TalkdeskHref Self, TalkdeskHref Files);

/// <summary>A link.</summary>
/// <param name="Href">An absolute URL.</param>
public sealed record TalkdeskHref(string Href);

/// <summary>A job in its envelope: <c>{"job": {...}}</c>.</summary>
/// <param name="Job">The job.</param>
public sealed record TalkdeskJobEnvelope(TalkdeskJob Job);

/// <summary>A page of jobs: <c>{"_embedded": {"jobs": [...]}, "total", "page", "per_page"}</c>.</summary>
/// <param name="Embedded">The jobs.</param>
/// <param name="Total">Jobs of the type, all pages.</param>
/// <param name="Page">This page, from 1.</param>
/// <param name="PerPage">Jobs a page.</param>
public sealed record TalkdeskJobList([property: JsonPropertyName("_embedded")] TalkdeskJobs Embedded, long Total, int Page, int PerPage);

/// <summary>The jobs of a page.</summary>
/// <param name="Jobs">Newest first.</param>
public sealed record TalkdeskJobs(IReadOnlyList<TalkdeskJob> Jobs);

/// <summary>An error: <c>{"code", "message", "description", "fields": [{"name", "description"}]}</c>.</summary>
/// <param name="Code">bad_request, unauthorized, forbidden, not_found, method_not_allowed, too_many_requests, internal_error.</param>
/// <param name="Message">A short message.</param>
/// <param name="Description">What went wrong, for people.</param>
/// <param name="Fields">The fields at fault; empty when none is.</param>
public sealed record TalkdeskErrorBody(
    [property: Description("bad_request, unauthorized, forbidden, not_found, method_not_allowed, too_many_requests, internal_error.")] string Code,
    string Message,
    string Description,
    IReadOnlyList<FieldProblem> Fields);

/// <summary>
/// The body of <c>POST /data/reports/{type}/jobs</c>, for the OpenAPI document. The endpoint reads the body with
/// <see cref="ReportJobRequest.TryParse"/> rather than deserializing this type, so that it can name every bad field.
/// </summary>
/// <param name="Name">The report's name.</param>
/// <param name="Timezone">The time zone.</param>
/// <param name="Format">The file's format.</param>
/// <param name="Timespan">The records' start times.</param>
public sealed record TalkdeskJobRequest(
    [property: Description("The report's name (default: the report type; Talkdesk clients leave it out).")] string? Name,
    [property: Description("IANA time zone of the timespan and of the times in the file (default: timespan.timezone, else UTC).")] string? Timezone,
    [property: Description("json, csv or json_bulk.")] string Format,
    TalkdeskTimespanRequest Timespan);

/// <summary>The timespan of a new job: from inclusive, to exclusive, at most 366 days.</summary>
/// <param name="From">Start, inclusive.</param>
/// <param name="To">End, exclusive.</param>
/// <param name="Timezone">The job's time zone, as Talkdesk clients send it.</param>
public sealed record TalkdeskTimespanRequest(
    [property: Description("RFC 3339, or YYYY-MM-DDTHH:MM:SS / YYYY-MM-DD HH:MM:SS in the job's time zone.")] string From,
    [property: Description("As from; exclusive.")] string To,
    [property: Description("The job's IANA time zone, as Talkdesk clients send it; the top-level timezone wins when both are given.")] string? Timezone);

/// <summary>
/// The dialect's JSON, source-generated: snake_case names, fields in the order of the records, UTF-8 text unescaped.
/// </summary>
[JsonSerializable(typeof(TalkdeskJobEnvelope))]
[JsonSerializable(typeof(TalkdeskJobList))]
[JsonSerializable(typeof(TalkdeskErrorBody))]
internal sealed partial class TalkdeskJson : JsonSerializerContext
{
    /// <summary>The context with the dialect's encoder.</summary>
    public static TalkdeskJson Wire { get; } = new(WireJson.Options());
}
