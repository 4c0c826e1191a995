using OmniReport.Core.Reports;

namespace OmniReport.Storage;

/// <summary>The life of a report job (SPEC §5.4).</summary>
public enum ReportJobStatus
{
    /// <summary>Accepted, waiting for a worker.</summary>
    Created,
    /// <summary>A worker is writing its file.</summary>
    Processing,
    /// <summary>The file can be downloaded.</summary>
    Done,
    /// <summary>The worker failed; there is no file.</summary>
    Failed,
    /// <summary>Canceled before it finished; there is no file.</summary>
    Canceled,
}

/// <summary>A report job as stored.</summary>
public sealed record ReportJob
{
    /// <summary>The job id (32 lower-case hex digits).</summary>
    public required string Id { get; init; }

    /// <summary>The account that created it.</summary>
    public required long AccountId { get; init; }

    /// <summary>The report type.</summary>
    public required ReportType Type { get; init; }

    /// <summary>The job's request: name, zone, format and timespan.</summary>
    public required ReportJobRequest Request { get; init; }

    /// <summary>Where the job is.</summary>
    public required ReportJobStatus Status { get; init; }

    /// <summary>When it was created (Unix ms).</summary>
    public required long CreatedAtMs { get; init; }

    /// <summary>When its status last changed (Unix ms); retention counts from here.</summary>
    public required long UpdatedAtMs { get; init; }

    /// <summary>Records in the file once done.</summary>
    public long? Rows { get; init; }

    /// <summary>The claim that owns the job while it is processing (bumped by every claim).</summary>
    public int Attempt { get; init; }

    /// <summary>Why it failed.</summary>
    public string? Error { get; init; }

    /// <summary>The wire name of a status.</summary>
    public static string StatusName(ReportJobStatus s) => s switch
    {
        ReportJobStatus.Created => "created",
        ReportJobStatus.Processing => "processing",
        ReportJobStatus.Done => "done",
        ReportJobStatus.Failed => "failed",
        _ => "canceled",
    };

    /// <summary>A new job id.</summary>
    public static string NewId() => Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
}

/// <summary>A page of jobs and how many there are in all.</summary>
/// <param name="Jobs">The jobs of the page, newest first.</param>
/// <param name="Total">All jobs of the account and type.</param>
public sealed record ReportJobPage(IReadOnlyList<ReportJob> Jobs, int Total);

/// <summary>
/// <see cref="ReportJobStatus"/> as stored: the status's name in lower case (migration 111), never its ordinal, so the
/// enum can gain or reorder members without rewriting rows. The values are spliced into queries as quoted literals (not
/// parameters) so the planner can use the partial index of unfinished jobs, whose predicate names the same literals.
/// </summary>
internal static class JobStatusSql
{
    public static readonly string Created = Literal(ReportJobStatus.Created);
    public static readonly string Processing = Literal(ReportJobStatus.Processing);
    public static readonly string Done = Literal(ReportJobStatus.Done);
    public static readonly string Failed = Literal(ReportJobStatus.Failed);
    public static readonly string Canceled = Literal(ReportJobStatus.Canceled);

    /// <summary>The finished statuses (done, failed, canceled), as a list for <c>IN (…)</c>.</summary>
    public static readonly string Finished = string.Join(", ", Done, Failed, Canceled);

    /// <summary>The stored name of a status.</summary>
    public static string Name(ReportJobStatus s) => s.ToString().ToLowerInvariant();

    /// <summary>The status of a stored name.</summary>
    public static ReportJobStatus Parse(string name) =>
        Enum.TryParse<ReportJobStatus>(name, ignoreCase: true, out var s) && Name(s) == name
            ? s
            : throw new InvalidDataException($"report_jobs.status holds \"{name}\", which is no report job status");

    private static string Literal(ReportJobStatus s) => "'" + Name(s) + "'";
}
