using System.Data.Common;
using OmniReport.Core.Reports;

namespace OmniReport.Storage.Sql;

/// <summary>The report-job queue (SPEC §5.4); reading a done job's file streams blobs, which each store does its way.</summary>
public abstract partial class SqlStore
{
    /// <inheritdoc cref="IReportJobQueue.CreateReportJobAsync"/>
    public Task<ReportJob> CreateReportJobAsync(long accountId, ReportType type, ReportJobRequest request, CancellationToken ct = default) =>
        WriteAsync(async (c, tx) =>
        {
            var now = NowMs;
            var job = new ReportJob
            {
                Id = ReportJob.NewId(), AccountId = accountId, Type = type, Request = request,
                Status = ReportJobStatus.Created, CreatedAtMs = now, UpdatedAtMs = now,
            };
            await ExecAsync(c, tx, $"""
                INSERT INTO report_jobs (id, account_id, type, name, timezone, format, from_text, to_text, from_ms, to_ms, status, created_at_ms, updated_at_ms)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, {JobStatusSql.Created}, $11, $11)
                """, ct, job.Id, accountId, (short)type, request.Name, request.TimeZone, (short)request.Format, request.From, request.To, request.FromMs, request.ToMs, now)
                .ConfigureAwait(false);
            return job;
        }, bulk: false, ct);

    /// <inheritdoc cref="IReportJobQueue.GetReportJobAsync"/>
    public async Task<ReportJob?> GetReportJobAsync(long accountId, ReportType type, string jobId, CancellationToken ct = default)
    {
        await using var lease = await ReadAsync(scan: false, ct).ConfigureAwait(false);
        return await FindJobAsync(lease.Connection, null, accountId, type, jobId, ct).ConfigureAwait(false);
    }

    /// <inheritdoc cref="IReportJobQueue.ListReportJobsAsync"/>
    public async Task<ReportJobPage> ListReportJobsAsync(long accountId, ReportType type, int page, int perPage, CancellationToken ct = default)
    {
        await using var lease = await ReadAsync(scan: false, ct).ConfigureAwait(false);
        var c = lease.Connection;
        var total = Convert.ToInt32(await ScalarAsync(c, null, "SELECT count(*) FROM report_jobs WHERE account_id = $1 AND type = $2", ct, accountId, (short)type)
            .ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
        var jobs = await ListAsync(c, null, ReportJobRows.Read, $"""
            SELECT {ReportJobRows.Columns} FROM report_jobs WHERE account_id = $1 AND type = $2
            ORDER BY created_at_ms DESC, id DESC LIMIT $3 OFFSET $4
            """, ct, accountId, (short)type, (long)perPage, (long)(page - 1) * perPage).ConfigureAwait(false);
        return new ReportJobPage(jobs, total);
    }

    /// <inheritdoc cref="IReportJobQueue.RemoveReportJobAsync"/>
    public Task<bool> RemoveReportJobAsync(long accountId, ReportType type, string jobId, CancellationToken ct = default) =>
        WriteAsync(async (c, tx) =>
        {
            var job = await FindJobAsync(c, tx, accountId, type, jobId, ct, Dialect.ForUpdate).ConfigureAwait(false);
            if (job is null)
            {
                return false;
            }

            if (job.Status is ReportJobStatus.Created or ReportJobStatus.Processing)
            {
                await ExecAsync(c, tx, $"UPDATE report_jobs SET status = {JobStatusSql.Canceled}, lease_until_ms = NULL, updated_at_ms = $1 WHERE id = $2", ct, NowMs, jobId)
                    .ConfigureAwait(false);
            }
            else
            {
                await ExecAsync(c, tx, "DELETE FROM report_jobs WHERE id = $1", ct, jobId).ConfigureAwait(false);
            }

            await DropFileAsync(c, tx, jobId, ct).ConfigureAwait(false);
            return true;
        }, bulk: false, ct);

    /// <inheritdoc cref="IReportJobQueue.ClaimReportJobAsync"/>
    public Task<ReportJob?> ClaimReportJobAsync(TimeSpan lease, CancellationToken ct = default) =>
        WriteAsync(async (c, tx) =>
        {
            var now = NowMs;
            // The statuses are literals (not parameters) so the planner can use the partial index of unfinished jobs.
            var claimed = await ListAsync(c, tx, ReportJobRows.Read, $"""
                UPDATE report_jobs SET status = {JobStatusSql.Processing}, attempt = attempt + 1, lease_until_ms = $1, updated_at_ms = $2
                WHERE id = (SELECT id FROM report_jobs
                            WHERE status = {JobStatusSql.Created} OR (status = {JobStatusSql.Processing} AND lease_until_ms < $2)
                            ORDER BY created_at_ms, id LIMIT 1{Dialect.ForUpdateSkipLocked})
                RETURNING {ReportJobRows.Columns}
                """, ct, now + (long)lease.TotalMilliseconds, now).ConfigureAwait(false);
            if (claimed.Count == 0)
            {
                return null;
            }

            await DropFileAsync(c, tx, claimed[0].Id, ct).ConfigureAwait(false);
            return claimed[0];
        }, bulk: false, ct);

    /// <inheritdoc cref="IReportJobQueue.RenewReportJobAsync"/>
    public Task<bool> RenewReportJobAsync(string jobId, int attempt, TimeSpan lease, CancellationToken ct = default) =>
        WriteAsync(async (c, tx) => await ExecAsync(c, tx, $"UPDATE report_jobs SET lease_until_ms = $1 WHERE id = $2 AND attempt = $3 AND status = {JobStatusSql.Processing}", ct,
            NowMs + (long)lease.TotalMilliseconds, jobId, attempt).ConfigureAwait(false) == 1, bulk: false, ct);

    /// <inheritdoc cref="IReportJobQueue.AppendReportFileAsync"/>
    public Task<bool> AppendReportFileAsync(string jobId, int attempt, int part, ReadOnlyMemory<byte> data, CancellationToken ct = default) =>
        // Inserted only while the attempt holds the job; the job row is locked against a concurrent cancel. A part needs
        // no durability of its own (bulk): a crash before completion re-runs the job, and the durable commit that
        // completes it makes every part before it durable too.
        WriteAsync(async (c, tx) => await ExecAsync(c, tx, $"""
            INSERT INTO report_files (job_id, attempt, part, data)
            SELECT id, attempt, $3, $4 FROM report_jobs WHERE id = $1 AND attempt = $2 AND status = {JobStatusSql.Processing}{Dialect.ForUpdate}
            """, ct, jobId, attempt, part, Dialect.Blob(data)).ConfigureAwait(false) == 1, bulk: true, ct);

    /// <inheritdoc cref="IReportJobQueue.CompleteReportJobAsync"/>
    public Task<bool> CompleteReportJobAsync(string jobId, int attempt, long rows, CancellationToken ct = default) =>
        WriteAsync(async (c, tx) => await ExecAsync(c, tx, $"""
            UPDATE report_jobs SET status = {JobStatusSql.Done}, rows = $1, lease_until_ms = NULL, updated_at_ms = $2
            WHERE id = $3 AND attempt = $4 AND status = {JobStatusSql.Processing}
            """, ct, rows, NowMs, jobId, attempt).ConfigureAwait(false) == 1, bulk: false, ct);

    /// <inheritdoc cref="IReportJobQueue.FailReportJobAsync"/>
    public Task FailReportJobAsync(string jobId, int attempt, string error, CancellationToken ct = default) =>
        WriteAsync(async (c, tx) =>
        {
            if (await ExecAsync(c, tx, $"""
                UPDATE report_jobs SET status = {JobStatusSql.Failed}, error = $1, lease_until_ms = NULL, updated_at_ms = $2
                WHERE id = $3 AND attempt = $4 AND status = {JobStatusSql.Processing}
                """, ct, error, NowMs, jobId, attempt).ConfigureAwait(false) == 1)
            {
                await DropFileAsync(c, tx, jobId, ct).ConfigureAwait(false);
            }

            return true;
        }, bulk: false, ct);

    /// <inheritdoc cref="IReportJobQueue.DeleteExpiredReportJobsAsync"/>
    public Task<int> DeleteExpiredReportJobsAsync(long beforeMs, CancellationToken ct = default) =>
        WriteAsync(async (c, tx) =>
        {
            await ExecAsync(c, tx, $"DELETE FROM report_files WHERE job_id IN (SELECT id FROM report_jobs WHERE status IN ({JobStatusSql.Finished}) AND updated_at_ms < $1)", ct, beforeMs)
                .ConfigureAwait(false);
            return await ExecAsync(c, tx, $"DELETE FROM report_jobs WHERE status IN ({JobStatusSql.Finished}) AND updated_at_ms < $1", ct, beforeMs).ConfigureAwait(false);
        }, bulk: false, ct);

    /// <summary>The SQL that reads a done job's file parts in order ($1 job id, $2 account, $3 type).</summary>
    private protected static readonly string ReportFileParts = $"""
        SELECT f.data FROM report_jobs j JOIN report_files f ON f.job_id = j.id AND f.attempt = j.attempt
        WHERE j.id = $1 AND j.account_id = $2 AND j.type = $3 AND j.status = {JobStatusSql.Done}
        ORDER BY f.part
        """;

    private Task<int> DropFileAsync(DbConnection c, DbTransaction tx, string jobId, CancellationToken ct) =>
        ExecAsync(c, tx, "DELETE FROM report_files WHERE job_id = $1", ct, jobId);

    private async Task<ReportJob?> FindJobAsync(DbConnection c, DbTransaction? tx, long accountId, ReportType type, string jobId, CancellationToken ct, string lockClause = "")
    {
        var found = await ListAsync(c, tx, ReportJobRows.Read, $"SELECT {ReportJobRows.Columns} FROM report_jobs WHERE id = $1 AND account_id = $2 AND type = $3{lockClause}", ct,
            jobId, accountId, (short)type).ConfigureAwait(false);
        return found.Count == 0 ? null : found[0];
    }
}
