using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using OmniReport.Core.Reports;

namespace OmniReport.Storage.Sqlite;

public sealed partial class SqliteStore
{
    private const int ReportFileChunk = 64 * 1024;

    /// <inheritdoc />
    public Task<ReportJob> CreateReportJobAsync(long accountId, ReportType type, ReportJobRequest request, CancellationToken ct = default) =>
        Write(c =>
        {
            var now = NowMs;
            var job = new ReportJob
            {
                Id = ReportJob.NewId(), AccountId = accountId, Type = type, Request = request,
                Status = ReportJobStatus.Created, CreatedAtMs = now, UpdatedAtMs = now,
            };
            using var cmd = Command(c, null, """
                INSERT INTO report_jobs (id, account_id, type, name, timezone, format, from_text, to_text, from_ms, to_ms, status, created_at_ms, updated_at_ms)
                VALUES ($id, $a, $type, $name, $tz, $format, $ft, $tt, $fm, $tm, 0, $now, $now)
                """);
            cmd.Parameters.AddWithValue("$id", job.Id);
            cmd.Parameters.AddWithValue("$a", accountId);
            cmd.Parameters.AddWithValue("$type", (int)type);
            cmd.Parameters.AddWithValue("$name", request.Name);
            cmd.Parameters.AddWithValue("$tz", request.TimeZone);
            cmd.Parameters.AddWithValue("$format", (int)request.Format);
            cmd.Parameters.AddWithValue("$ft", request.From);
            cmd.Parameters.AddWithValue("$tt", request.To);
            cmd.Parameters.AddWithValue("$fm", request.FromMs);
            cmd.Parameters.AddWithValue("$tm", request.ToMs);
            cmd.Parameters.AddWithValue("$now", now);
            cmd.ExecuteNonQuery();
            return job;
        }, ct);

    /// <inheritdoc />
    public Task<ReportJob?> GetReportJobAsync(long accountId, ReportType type, string jobId, CancellationToken ct = default)
    {
        using var c = Open();
        return Task.FromResult(FindJob(c, null, accountId, type, jobId));
    }

    /// <inheritdoc />
    public Task<ReportJobPage> ListReportJobsAsync(long accountId, ReportType type, int page, int perPage, CancellationToken ct = default)
    {
        using var c = Open();
        using var count = Command(c, null, "SELECT count(*) FROM report_jobs WHERE account_id = $a AND type = $t");
        count.Parameters.AddWithValue("$a", accountId);
        count.Parameters.AddWithValue("$t", (int)type);
        var total = Convert.ToInt32(count.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        using var cmd = Command(c, null, $"""
            SELECT {ReportJobRows.Columns} FROM report_jobs WHERE account_id = $a AND type = $t
            ORDER BY created_at_ms DESC, id DESC LIMIT $limit OFFSET $offset
            """);
        cmd.Parameters.AddWithValue("$a", accountId);
        cmd.Parameters.AddWithValue("$t", (int)type);
        cmd.Parameters.AddWithValue("$limit", perPage);
        cmd.Parameters.AddWithValue("$offset", (long)(page - 1) * perPage);
        var jobs = new List<ReportJob>();
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            jobs.Add(ReportJobRows.Read(r));
        }

        return Task.FromResult(new ReportJobPage(jobs, total));
    }

    /// <inheritdoc />
    public Task<bool> RemoveReportJobAsync(long accountId, ReportType type, string jobId, CancellationToken ct = default) =>
        Write(c =>
        {
            using var tx = c.BeginTransaction(deferred: false);
            var job = FindJob(c, tx, accountId, type, jobId);
            if (job is null)
            {
                return false;
            }

            if (job.Status is ReportJobStatus.Created or ReportJobStatus.Processing)
            {
                using var cancel = Command(c, tx, "UPDATE report_jobs SET status = $s, lease_until_ms = NULL, updated_at_ms = $now WHERE id = $id");
                cancel.Parameters.AddWithValue("$s", (int)ReportJobStatus.Canceled);
                cancel.Parameters.AddWithValue("$now", NowMs);
                cancel.Parameters.AddWithValue("$id", jobId);
                cancel.ExecuteNonQuery();
            }
            else
            {
                using var delete = Command(c, tx, "DELETE FROM report_jobs WHERE id = $id");
                delete.Parameters.AddWithValue("$id", jobId);
                delete.ExecuteNonQuery();
            }

            DropFile(c, tx, jobId, keepAttempt: null);
            tx.Commit();
            return true;
        }, ct);

    /// <inheritdoc />
    public Task<ReportJob?> ClaimReportJobAsync(TimeSpan lease, CancellationToken ct = default) =>
        Write(c =>
        {
            var now = NowMs;
            using var tx = c.BeginTransaction(deferred: false);
            using var cmd = Command(c, tx, $"""
                UPDATE report_jobs SET status = {JobStatusSql.Processing}, attempt = attempt + 1, lease_until_ms = $until, updated_at_ms = $now
                WHERE id = (SELECT id FROM report_jobs
                            WHERE status = {JobStatusSql.Created} OR (status = {JobStatusSql.Processing} AND lease_until_ms < $now)
                            ORDER BY created_at_ms, id LIMIT 1)
                RETURNING {ReportJobRows.Columns}
                """);
            cmd.Parameters.AddWithValue("$until", now + (long)lease.TotalMilliseconds);
            cmd.Parameters.AddWithValue("$now", now);
            ReportJob? job = null;
            using (var r = cmd.ExecuteReader())
            {
                if (r.Read())
                {
                    job = ReportJobRows.Read(r);
                }
            }

            if (job is not null)
            {
                DropFile(c, tx, job.Id, keepAttempt: null);
            }

            tx.Commit();
            return job;
        }, ct);

    /// <inheritdoc />
    public Task<int> ReleaseOrphanedReportJobsAsync(CancellationToken ct = default) =>
        Write(c =>
        {
            // The file is this server's: a job still processing was left by a process that died. Its attempt stays
            // as it is, so should that process still be alive after all, it can no longer finish the job.
            using var cmd = Command(c, null, $"UPDATE report_jobs SET lease_until_ms = 0 WHERE status = {JobStatusSql.Processing}");
            return cmd.ExecuteNonQuery();
        }, ct);

    /// <inheritdoc />
    public Task<bool> RenewReportJobAsync(string jobId, int attempt, TimeSpan lease, CancellationToken ct = default) =>
        Write(c =>
        {
            using var cmd = Command(c, null, $"UPDATE report_jobs SET lease_until_ms = $until WHERE id = $id AND attempt = $n AND status = {JobStatusSql.Processing}");
            cmd.Parameters.AddWithValue("$until", NowMs + (long)lease.TotalMilliseconds);
            cmd.Parameters.AddWithValue("$id", jobId);
            cmd.Parameters.AddWithValue("$n", attempt);
            return cmd.ExecuteNonQuery() == 1;
        }, ct);

    /// <inheritdoc />
    public Task<bool> AppendReportFileAsync(string jobId, int attempt, int part, ReadOnlyMemory<byte> data, CancellationToken ct = default) =>
        Write(c =>
        {
            // A part needs no fsync of its own: a crash before completion re-runs the job, and the FULL commit that
            // completes it syncs the WAL with every part before it.
            Exec(c, null, "PRAGMA synchronous=NORMAL;");
            using var tx = c.BeginTransaction(deferred: false);
            if (!Holds(c, tx, jobId, attempt))
            {
                return false;
            }

            using var cmd = Command(c, tx, "INSERT INTO report_files (job_id, attempt, part, data) VALUES ($id, $n, $p, $d)");
            cmd.Parameters.AddWithValue("$id", jobId);
            cmd.Parameters.AddWithValue("$n", attempt);
            cmd.Parameters.AddWithValue("$p", part);
            // The part is bound as it is when it fills its array (no 1 MB copy per part on the large-object heap).
            cmd.Parameters.Add("$d", SqliteType.Blob).Value =
                MemoryMarshal.TryGetArray(data, out var whole) && whole.Offset == 0 && whole.Count == whole.Array!.Length ? whole.Array : data.ToArray();
            cmd.ExecuteNonQuery();
            tx.Commit();
            return true;
        }, ct, scan: true);

    /// <inheritdoc />
    public Task<bool> CompleteReportJobAsync(string jobId, int attempt, long rows, CancellationToken ct = default) =>
        Write(c =>
        {
            using var cmd = Command(c, null, $"UPDATE report_jobs SET status = {JobStatusSql.Done}, rows = $rows, lease_until_ms = NULL, updated_at_ms = $now WHERE id = $id AND attempt = $n AND status = {JobStatusSql.Processing}");
            cmd.Parameters.AddWithValue("$rows", rows);
            cmd.Parameters.AddWithValue("$now", NowMs);
            cmd.Parameters.AddWithValue("$id", jobId);
            cmd.Parameters.AddWithValue("$n", attempt);
            return cmd.ExecuteNonQuery() == 1;
        }, ct);

    /// <inheritdoc />
    public Task FailReportJobAsync(string jobId, int attempt, string error, CancellationToken ct = default) =>
        Write(c =>
        {
            using var tx = c.BeginTransaction(deferred: false);
            using var cmd = Command(c, tx, $"UPDATE report_jobs SET status = {JobStatusSql.Failed}, error = $e, lease_until_ms = NULL, updated_at_ms = $now WHERE id = $id AND attempt = $n AND status = {JobStatusSql.Processing}");
            cmd.Parameters.AddWithValue("$e", error);
            cmd.Parameters.AddWithValue("$now", NowMs);
            cmd.Parameters.AddWithValue("$id", jobId);
            cmd.Parameters.AddWithValue("$n", attempt);
            if (cmd.ExecuteNonQuery() == 1)
            {
                DropFile(c, tx, jobId, keepAttempt: null);
            }

            tx.Commit();
            return true;
        }, ct);

    /// <inheritdoc />
    public async IAsyncEnumerable<ReadOnlyMemory<byte>> ReadReportFileAsync(long accountId, ReportType type, string jobId, [EnumeratorCancellation] CancellationToken ct = default)
    {
        using var scan = OpenForScan();
        var c = scan.Connection;
        using var cmd = Command(c, null, $"""
            SELECT f.data FROM report_jobs j JOIN report_files f ON f.job_id = j.id AND f.attempt = j.attempt
            WHERE j.id = $id AND j.account_id = $a AND j.type = $t AND j.status = {JobStatusSql.Done}
            ORDER BY f.part
            """);
        cmd.Parameters.AddWithValue("$id", jobId);
        cmd.Parameters.AddWithValue("$a", accountId);
        cmd.Parameters.AddWithValue("$t", (int)type);
        using var r = cmd.ExecuteReader();
        var buffer = new byte[ReportFileChunk];
        while (r.Read())
        {
            // Copied out in chunks into one reused buffer: each chunk is valid until the next is asked for.
            for (long offset = 0; ; offset += buffer.Length)
            {
                ct.ThrowIfCancellationRequested();
                var n = (int)r.GetBytes(0, offset, buffer, 0, buffer.Length);
                if (n <= 0)
                {
                    break;
                }

                yield return buffer.AsMemory(0, n);
            }
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<int> DeleteExpiredReportJobsAsync(long beforeMs, CancellationToken ct = default) =>
        Write(c =>
        {
            using var tx = c.BeginTransaction(deferred: false);
            using var files = Command(c, tx, $"DELETE FROM report_files WHERE job_id IN (SELECT id FROM report_jobs WHERE status >= {JobStatusSql.Done} AND updated_at_ms < $before)");
            files.Parameters.AddWithValue("$before", beforeMs);
            files.ExecuteNonQuery();
            using var jobs = Command(c, tx, $"DELETE FROM report_jobs WHERE status >= {JobStatusSql.Done} AND updated_at_ms < $before");
            jobs.Parameters.AddWithValue("$before", beforeMs);
            var n = jobs.ExecuteNonQuery();
            tx.Commit();
            return n;
        }, ct);

    /// <summary>
    /// A connection for a long scan or a large blob (report reads and file parts): a small page cache, so a
    /// report over millions of rows does not fill the 64 MB cache that ingest connections keep; the memory it
    /// used is handed back when the scan ends (<see cref="ScanConnection.Dispose"/>).
    /// </summary>
    private ScanConnection OpenForScan()
    {
        var c = Open();
        Exec(c, null, "PRAGMA cache_size=-2048;");
        return new ScanConnection(c);
    }

    /// <summary>A pooled connection that gives its page cache back (shrink_memory) before it returns to the pool.</summary>
    private readonly struct ScanConnection(SqliteConnection connection) : IDisposable
    {
        public SqliteConnection Connection => connection;

        public void Dispose()
        {
            try
            {
                Exec(connection, null, "PRAGMA shrink_memory;");
            }
            finally
            {
                connection.Dispose();
            }
        }
    }

    /// <summary>Runs <paramref name="work"/> as this process's one writer, on a scan connection when <paramref name="scan"/>.</summary>
    private async Task<T> Write<T>(Func<SqliteConnection, T> work, CancellationToken ct, bool scan = false)
    {
        await _write.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (scan)
            {
                using var s = OpenForScan();
                return work(s.Connection);
            }

            using var c = Open();
            return work(c);
        }
        finally
        {
            _write.Release();
        }
    }

    private static bool Holds(SqliteConnection c, SqliteTransaction tx, string jobId, int attempt)
    {
        using var cmd = Command(c, tx, $"SELECT 1 FROM report_jobs WHERE id = $id AND attempt = $n AND status = {JobStatusSql.Processing}");
        cmd.Parameters.AddWithValue("$id", jobId);
        cmd.Parameters.AddWithValue("$n", attempt);
        return cmd.ExecuteScalar() is not null;
    }

    private static void DropFile(SqliteConnection c, SqliteTransaction tx, string jobId, int? keepAttempt)
    {
        using var cmd = Command(c, tx, keepAttempt is null
            ? "DELETE FROM report_files WHERE job_id = $id"
            : "DELETE FROM report_files WHERE job_id = $id AND attempt <> $keep");
        cmd.Parameters.AddWithValue("$id", jobId);
        if (keepAttempt is { } keep)
        {
            cmd.Parameters.AddWithValue("$keep", keep);
        }

        cmd.ExecuteNonQuery();
    }

    private static ReportJob? FindJob(SqliteConnection c, SqliteTransaction? tx, long accountId, ReportType type, string jobId)
    {
        using var cmd = Command(c, tx, $"SELECT {ReportJobRows.Columns} FROM report_jobs WHERE id = $id AND account_id = $a AND type = $t");
        cmd.Parameters.AddWithValue("$id", jobId);
        cmd.Parameters.AddWithValue("$a", accountId);
        cmd.Parameters.AddWithValue("$t", (int)type);
        using var r = cmd.ExecuteReader();
        return r.Read() ? ReportJobRows.Read(r) : null;
    }
}
