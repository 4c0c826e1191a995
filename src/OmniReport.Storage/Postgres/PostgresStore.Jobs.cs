using System.Runtime.CompilerServices;
using Npgsql;
using OmniReport.Core.Reports;

namespace OmniReport.Storage.Postgres;

public sealed partial class PostgresStore
{
    /// <inheritdoc />
    public async Task<ReportJob> CreateReportJobAsync(long accountId, ReportType type, ReportJobRequest request, CancellationToken ct = default)
    {
        var now = NowMs;
        var job = new ReportJob
        {
            Id = ReportJob.NewId(), AccountId = accountId, Type = type, Request = request,
            Status = ReportJobStatus.Created, CreatedAtMs = now, UpdatedAtMs = now,
        };
        await using var cmd = _source.CreateCommand("""
            INSERT INTO report_jobs (id, account_id, type, name, timezone, format, from_text, to_text, from_ms, to_ms, status, created_at_ms, updated_at_ms)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 0, $11, $11)
            """);
        Add(cmd, job.Id, accountId, (short)type, request.Name, request.TimeZone, (short)request.Format, request.From, request.To, request.FromMs, request.ToMs, now);
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        return job;
    }

    /// <inheritdoc />
    public async Task<ReportJob?> GetReportJobAsync(long accountId, ReportType type, string jobId, CancellationToken ct = default)
    {
        await using var c = await _source.OpenConnectionAsync(ct).ConfigureAwait(false);
        return await FindJobAsync(c, null, accountId, type, jobId, forUpdate: false, ct).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<ReportJobPage> ListReportJobsAsync(long accountId, ReportType type, int page, int perPage, CancellationToken ct = default)
    {
        await using var c = await _source.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var count = new NpgsqlCommand("SELECT count(*) FROM report_jobs WHERE account_id = $1 AND type = $2", c);
        Add(count, accountId, (short)type);
        var total = (int)(long)(await count.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
        await using var cmd = new NpgsqlCommand($"""
            SELECT {ReportJobRows.Columns} FROM report_jobs WHERE account_id = $1 AND type = $2
            ORDER BY created_at_ms DESC, id DESC LIMIT $3 OFFSET $4
            """, c);
        Add(cmd, accountId, (short)type, (long)perPage, (long)(page - 1) * perPage);
        var jobs = new List<ReportJob>();
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            jobs.Add(ReportJobRows.Read(r));
        }

        return new ReportJobPage(jobs, total);
    }

    /// <inheritdoc />
    public async Task<bool> RemoveReportJobAsync(long accountId, ReportType type, string jobId, CancellationToken ct = default)
    {
        await using var c = await _source.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var tx = await c.BeginTransactionAsync(ct).ConfigureAwait(false);
        var job = await FindJobAsync(c, tx, accountId, type, jobId, forUpdate: true, ct).ConfigureAwait(false);
        if (job is null)
        {
            return false;
        }

        if (job.Status is ReportJobStatus.Created or ReportJobStatus.Processing)
        {
            await using var cancel = new NpgsqlCommand($"UPDATE report_jobs SET status = {JobStatusSql.Canceled}, lease_until_ms = NULL, updated_at_ms = $1 WHERE id = $2", c, tx);
            Add(cancel, NowMs, jobId);
            await cancel.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        else
        {
            await using var delete = new NpgsqlCommand("DELETE FROM report_jobs WHERE id = $1", c, tx);
            Add(delete, jobId);
            await delete.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        await DropFileAsync(c, tx, jobId, ct).ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);
        return true;
    }

    /// <inheritdoc />
    public async Task<ReportJob?> ClaimReportJobAsync(TimeSpan lease, CancellationToken ct = default)
    {
        var now = NowMs;
        await using var c = await _source.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var tx = await c.BeginTransactionAsync(ct).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand($"""
            UPDATE report_jobs SET status = {JobStatusSql.Processing}, attempt = attempt + 1, lease_until_ms = $1, updated_at_ms = $2
            WHERE id = (SELECT id FROM report_jobs
                        WHERE status = {JobStatusSql.Created} OR (status = {JobStatusSql.Processing} AND lease_until_ms < $2)
                        ORDER BY created_at_ms, id LIMIT 1
                        FOR UPDATE SKIP LOCKED)
            RETURNING {ReportJobRows.Columns}
            """, c, tx);
        Add(cmd, now + (long)lease.TotalMilliseconds, now);
        ReportJob? job = null;
        await using (var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            if (await r.ReadAsync(ct).ConfigureAwait(false))
            {
                job = ReportJobRows.Read(r);
            }
        }

        if (job is not null)
        {
            await DropFileAsync(c, tx, job.Id, ct).ConfigureAwait(false);
        }

        await tx.CommitAsync(ct).ConfigureAwait(false);
        return job;
    }

    /// <inheritdoc />
    public Task<int> ReleaseOrphanedReportJobsAsync(CancellationToken ct = default) =>
        Task.FromResult(0); // several servers share the database: a job's lease is the only sign its worker died

    /// <inheritdoc />
    public async Task<bool> RenewReportJobAsync(string jobId, int attempt, TimeSpan lease, CancellationToken ct = default)
    {
        await using var cmd = _source.CreateCommand($"UPDATE report_jobs SET lease_until_ms = $1 WHERE id = $2 AND attempt = $3 AND status = {JobStatusSql.Processing}");
        Add(cmd, NowMs + (long)lease.TotalMilliseconds, jobId, attempt);
        return await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public async Task<bool> AppendReportFileAsync(string jobId, int attempt, int part, ReadOnlyMemory<byte> data, CancellationToken ct = default)
    {
        // Inserted only while the attempt holds the job; the job row is locked against a concurrent cancel. A part
        // needs no durability of its own: a crash before completion re-runs the job, and the synchronous commit
        // that completes it flushes the WAL up to and with every part before it.
        await using var c = await _source.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var tx = await c.BeginTransactionAsync(ct).ConfigureAwait(false);
        await ExecAsync(c, tx, "SET LOCAL synchronous_commit = off", ct).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand($"""
            INSERT INTO report_files (job_id, attempt, part, data)
            SELECT id, attempt, $3, $4 FROM report_jobs WHERE id = $1 AND attempt = $2 AND status = {JobStatusSql.Processing} FOR UPDATE
            """, c, tx);
        cmd.Parameters.Add(new NpgsqlParameter { Value = jobId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = attempt });
        cmd.Parameters.Add(new NpgsqlParameter { Value = part });
        cmd.Parameters.Add(new NpgsqlParameter<ReadOnlyMemory<byte>> { TypedValue = data, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bytea });
        var n = await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);
        return n == 1;
    }

    /// <inheritdoc />
    public async Task<bool> CompleteReportJobAsync(string jobId, int attempt, long rows, CancellationToken ct = default)
    {
        await using var cmd = _source.CreateCommand($"UPDATE report_jobs SET status = {JobStatusSql.Done}, rows = $1, lease_until_ms = NULL, updated_at_ms = $2 WHERE id = $3 AND attempt = $4 AND status = {JobStatusSql.Processing}");
        Add(cmd, rows, NowMs, jobId, attempt);
        return await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public async Task FailReportJobAsync(string jobId, int attempt, string error, CancellationToken ct = default)
    {
        await using var c = await _source.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var tx = await c.BeginTransactionAsync(ct).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand($"UPDATE report_jobs SET status = {JobStatusSql.Failed}, error = $1, lease_until_ms = NULL, updated_at_ms = $2 WHERE id = $3 AND attempt = $4 AND status = {JobStatusSql.Processing}", c, tx);
        Add(cmd, error, NowMs, jobId, attempt);
        if (await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 1)
        {
            await DropFileAsync(c, tx, jobId, ct).ConfigureAwait(false);
        }

        await tx.CommitAsync(ct).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ReadOnlyMemory<byte>> ReadReportFileAsync(long accountId, ReportType type, string jobId, [EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var c = await _source.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand($"""
            SELECT f.data FROM report_jobs j JOIN report_files f ON f.job_id = j.id AND f.attempt = j.attempt
            WHERE j.id = $1 AND j.account_id = $2 AND j.type = $3 AND j.status = {JobStatusSql.Done}
            ORDER BY f.part
            """, c);
        Add(cmd, jobId, accountId, (short)type);
        await using var r = await cmd.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, ct).ConfigureAwait(false);
        var buffer = new byte[64 * 1024];
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            // Streamed out in chunks into one reused buffer: each chunk is valid until the next is asked for.
            await using var part = await r.GetStreamAsync(0, ct).ConfigureAwait(false);
            int n;
            while ((n = await part.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
            {
                yield return buffer.AsMemory(0, n);
            }
        }
    }

    /// <inheritdoc />
    public async Task<int> DeleteExpiredReportJobsAsync(long beforeMs, CancellationToken ct = default)
    {
        await using var c = await _source.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var tx = await c.BeginTransactionAsync(ct).ConfigureAwait(false);
        await using var files = new NpgsqlCommand($"DELETE FROM report_files WHERE job_id IN (SELECT id FROM report_jobs WHERE status >= {JobStatusSql.Done} AND updated_at_ms < $1)", c, tx);
        Add(files, beforeMs);
        await files.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        await using var jobs = new NpgsqlCommand($"DELETE FROM report_jobs WHERE status >= {JobStatusSql.Done} AND updated_at_ms < $1", c, tx);
        Add(jobs, beforeMs);
        var n = await jobs.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);
        return n;
    }

    private static async Task DropFileAsync(NpgsqlConnection c, NpgsqlTransaction tx, string jobId, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("DELETE FROM report_files WHERE job_id = $1", c, tx);
        Add(cmd, jobId);
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    private static async Task<ReportJob?> FindJobAsync(NpgsqlConnection c, NpgsqlTransaction? tx, long accountId, ReportType type, string jobId, bool forUpdate, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"SELECT {ReportJobRows.Columns} FROM report_jobs WHERE id = $1 AND account_id = $2 AND type = $3" + (forUpdate ? " FOR UPDATE" : ""), c, tx);
        Add(cmd, jobId, accountId, (short)type);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        return await r.ReadAsync(ct).ConfigureAwait(false) ? ReportJobRows.Read(r) : null;
    }

    /// <summary>Adds positional parameters ($1, $2, …) with their CLR types.</summary>
    private static void Add(NpgsqlCommand cmd, params object[] values)
    {
        foreach (var v in values)
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = v });
        }
    }
}
