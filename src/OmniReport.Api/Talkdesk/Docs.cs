using System.ComponentModel;
using System.Text.Json.Serialization;

namespace OmniReport.Api.Talkdesk;

// Shapes that only describe the dialect's JSON in the OpenAPI document; the bodies are written by JobResults
// and TalkdeskError.
#pragma warning disable CA1812 // never instantiated: they exist for the OpenAPI document

/// <summary>The body of POST /data/reports/{type}/jobs.</summary>
internal sealed record JobRequestDoc(
    [property: Description("The report's name (default: the report type; Talkdesk clients leave it out).")] string? Name,
    [property: Description("IANA time zone of the timespan and of the times in the file (default: timespan.timezone, else UTC).")] string? Timezone,
    [property: Description("json, csv or json_bulk.")] string Format,
    TimespanRequestDoc Timespan);

/// <summary>The timespan of a new job: from inclusive, to exclusive, at most 366 days.</summary>
internal sealed record TimespanRequestDoc(
    [property: Description("RFC 3339, or YYYY-MM-DDTHH:MM:SS / YYYY-MM-DD HH:MM:SS in the job's time zone.")] string From,
    [property: Description("As from; exclusive.")] string To,
    [property: Description("The job's IANA time zone, as Talkdesk clients send it; the top-level timezone wins when both are given.")] string? Timezone);

/// <summary>A timespan: from inclusive, to exclusive, at most 366 days.</summary>
internal sealed record TimespanDoc(
    [property: Description("RFC 3339, or YYYY-MM-DDTHH:MM:SS / YYYY-MM-DD HH:MM:SS in the job's time zone.")] string From,
    [property: Description("As from; exclusive.")] string To);

/// <summary>A job.</summary>
internal sealed record JobDoc(
    string Id,
    string Name,
    string Timezone,
    [property: Description("created, processing, done, failed or canceled.")] string Status,
    [property: Description("Only on a failed job: why it failed, in words.")] string? Failure,
    string Format,
    TimespanDoc Timespan,
    [property: JsonPropertyName("_links")] JobLinksDoc Links);

/// <summary>Links of a job.</summary>
internal sealed record JobLinksDoc(HrefDoc Self, HrefDoc Files);

/// <summary>A link.</summary>
internal sealed record HrefDoc(string Href);

/// <summary>A job in its envelope.</summary>
internal sealed record JobEnvelopeDoc(JobDoc Job);

/// <summary>A page of jobs.</summary>
internal sealed record JobListDoc(
    [property: JsonPropertyName("_embedded")] JobListEmbeddedDoc Embedded,
    int Total,
    int Page,
    int PerPage);

/// <summary>The jobs of a page.</summary>
internal sealed record JobListEmbeddedDoc(IReadOnlyList<JobDoc> Jobs);

/// <summary>An error of the Talkdesk dialect.</summary>
internal sealed record TalkdeskErrorDoc(
    [property: Description("bad_request, unauthorized, forbidden, not_found, method_not_allowed, too_many_requests, internal_error.")] string Code,
    string Message,
    string Description,
    IReadOnlyList<TalkdeskFieldDoc> Fields);

/// <summary>A field named by an error.</summary>
internal sealed record TalkdeskFieldDoc(string Name, string Description);
#pragma warning restore CA1812
