using OmniReport.Core.Reports;

namespace OmniReport.Storage;

/// <summary>
/// Report jobs (SPEC §5.4). A job is durable from creation. Workers claim it with a lease that they renew while they
/// write; every claim bumps its attempt, and only the attempt that holds the job may append to its file or finish it,
/// so a job whose worker died is taken up again and its file is produced once.
/// </summary>
public interface IReportJobQueue
{
    /// <summary>Stores a new job in status created.</summary>
    Task<ReportJob> CreateReportJobAsync(long accountId, ReportType type, ReportJobRequest request, CancellationToken ct = default);

    /// <summary>The account's job of this type, or null.</summary>
    Task<ReportJob?> GetReportJobAsync(long accountId, ReportType type, string jobId, CancellationToken ct = default);

    /// <summary>A page (1-based) of the account's jobs of this type, newest first.</summary>
    Task<ReportJobPage> ListReportJobsAsync(long accountId, ReportType type, int page, int perPage, CancellationToken ct = default);

    /// <summary>
    /// Cancels a job that has not finished (it stays, as canceled), or deletes a finished or canceled one with
    /// its file. False when there is no such job.
    /// </summary>
    Task<bool> RemoveReportJobAsync(long accountId, ReportType type, string jobId, CancellationToken ct = default);

    /// <summary>
    /// Takes the oldest job that is created, or processing with an expired lease: it becomes processing under a
    /// new attempt, leased until now + <paramref name="lease"/>, and the file parts of earlier attempts are dropped.
    /// Null when there is no work.
    /// </summary>
    Task<ReportJob?> ClaimReportJobAsync(TimeSpan lease, CancellationToken ct = default);

    /// <summary>
    /// Called when a process starts its report workers: jobs left processing by a process that died become
    /// claimable at once where the store can tell they are orphaned (an embedded SQLite file belongs to one
    /// server); a shared PostgreSQL database leaves them to their leases. Returns how many were released.
    /// </summary>
    Task<int> ReleaseOrphanedReportJobsAsync(CancellationToken ct = default);

    /// <summary>Extends the lease of the attempt; false when the attempt no longer holds the job (canceled, deleted, taken).</summary>
    Task<bool> RenewReportJobAsync(string jobId, int attempt, TimeSpan lease, CancellationToken ct = default);

    /// <summary>
    /// Appends part <paramref name="part"/> (0, 1, …) of the attempt's file, as bytes the store keeps as they are (the
    /// worker stores gzip members: <see cref="ReportJobFiles"/>); false when the attempt lost the job.
    /// </summary>
    Task<bool> AppendReportFileAsync(string jobId, int attempt, int part, ReadOnlyMemory<byte> data, CancellationToken ct = default);

    /// <summary>Marks the attempt's job done with its file; false when the attempt lost the job.</summary>
    Task<bool> CompleteReportJobAsync(string jobId, int attempt, long rows, CancellationToken ct = default);

    /// <summary>Marks the attempt's job failed and drops its file parts.</summary>
    Task FailReportJobAsync(string jobId, int attempt, string error, CancellationToken ct = default);

    /// <summary>
    /// The stored parts of a done job's file in order, streamed in chunks; empty when the job is not done. Each chunk's
    /// memory is valid only until the next one is asked for. <see cref="ReportJobFiles.CopyAsync"/> gives the text.
    /// </summary>
    IAsyncEnumerable<ReadOnlyMemory<byte>> ReadReportFileAsync(long accountId, ReportType type, string jobId, CancellationToken ct = default);

    /// <summary>Deletes finished jobs (done, failed, canceled) whose status changed before <paramref name="beforeMs"/>, with their files.</summary>
    Task<int> DeleteExpiredReportJobsAsync(long beforeMs, CancellationToken ct = default);
}
