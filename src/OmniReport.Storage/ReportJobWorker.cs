using OmniReport.Core.Reports;

namespace OmniReport.Storage;

/// <summary>Timing and sizes of report jobs.</summary>
public sealed record ReportJobOptions
{
    /// <summary>How long a claim holds a job without renewal; a job whose worker died is taken up after it.</summary>
    public TimeSpan Lease { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How often an idle worker looks for work (it is also woken when this process creates a job).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long finished jobs and their files are kept (SPEC §5.4 default: 7 days).</summary>
    public TimeSpan Retention { get; init; } = TimeSpan.FromDays(7);

    /// <summary>Size of one stored part of a report file.</summary>
    public int PartBytes { get; init; } = 1 << 20;
}

/// <summary>
/// Runs report jobs: claims one, streams its records from the store through the same
/// <see cref="ReportWriter"/> that <c>omnireport derive</c> uses into stored file parts, and marks it done.
/// Memory stays flat whatever the report's size. Several workers (in one process or many on one PostgreSQL)
/// share the work; the store's claims make sure each job's file is produced once.
/// </summary>
public sealed class ReportJobWorker(IStore store, TimeProvider time, ReportJobOptions options)
{
    private readonly SemaphoreSlim _wake = new(0, int.MaxValue);
    private long _lastRetentionMs = long.MinValue;

    /// <summary>At start-up: makes jobs that a dead process left processing claimable, where the store can tell.</summary>
    public Task<int> ReleaseOrphansAsync(CancellationToken ct = default) => store.ReleaseOrphanedReportJobsAsync(ct);

    /// <summary>Tells an idle worker that there is new work.</summary>
    public void Wake() => _wake.Release();

    /// <summary>Runs jobs until <paramref name="ct"/> is canceled.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                if (await StepAsync(ct).ConfigureAwait(false))
                {
                    continue;
                }

                await IdleAsync(ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>Deletes expired jobs when due, then claims and runs one job; false when there was none.</summary>
    public async Task<bool> StepAsync(CancellationToken ct)
    {
        await ExpireAsync(ct).ConfigureAwait(false);
        return await RunOnceAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Deletes expired jobs when due, then claims one job (null when there is none) for <see cref="RunJobAsync"/>.</summary>
    public async Task<ReportJob?> ClaimAsync(CancellationToken ct)
    {
        await ExpireAsync(ct).ConfigureAwait(false);
        return await store.ClaimReportJobAsync(options.Lease, ct).ConfigureAwait(false);
    }

    /// <summary>Waits for a wake-up or the poll interval, on the injected clock.</summary>
    public async Task IdleAsync(CancellationToken ct)
    {
        using var timeout = new CancellationTokenSource(options.PollInterval, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        try
        {
            await _wake.WaitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // the poll interval passed
        }
    }

    /// <summary>Claims and runs one job; false when there was none.</summary>
    public async Task<bool> RunOnceAsync(CancellationToken ct = default)
    {
        var job = await store.ClaimReportJobAsync(options.Lease, ct).ConfigureAwait(false);
        if (job is null)
        {
            return false;
        }

        await RunJobAsync(job, ct).ConfigureAwait(false);
        return true;
    }

    /// <summary>Writes a claimed job's file and marks it done, or failed with the reason.</summary>
    public async Task RunJobAsync(ReportJob job, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(job);
        try
        {
            var rows = await WriteAsync(job, ct).ConfigureAwait(false);
            if (rows is { } n)
            {
                await store.CompleteReportJobAsync(job.Id, job.Attempt, n, ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw; // shutting down: the lease runs out and another worker (or this one after a restart) takes it
        }
#pragma warning disable CA1031 // a failed job is recorded on the job; the worker goes on with the next
        catch (Exception ex)
#pragma warning restore CA1031
        {
            // The text is shown to the client as the job's failure (decisions.md): what failed, not a stack trace.
            var failure = $"the report could not be written: {ex.Message}";
            await store.FailReportJobAsync(job.Id, job.Attempt, failure.Length > 500 ? failure[..500] : failure, CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>Writes the job's file; the number of records, or null when the job was lost (canceled or taken).</summary>
    private async Task<long?> WriteAsync(ReportJob job, CancellationToken ct)
    {
        await using var file = new PartStream(store, job, options.PartBytes, ct);
        var renewEvery = options.Lease / 3;
        var lastRenew = time.GetTimestamp();
        var rows = await ReportExport.WriteAsync(store, job.AccountId, job.Type, job.Request, file, async _ =>
        {
            if (file.Lost)
            {
                return false;
            }

            if (time.GetElapsedTime(lastRenew) < renewEvery)
            {
                return true;
            }

            lastRenew = time.GetTimestamp();
            return await store.RenewReportJobAsync(job.Id, job.Attempt, options.Lease, ct).ConfigureAwait(false);
        }, ct).ConfigureAwait(false);
        return rows is not null && await file.FinishAsync().ConfigureAwait(false) ? rows : null;
    }

    private async Task ExpireAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (now - _lastRetentionMs < 60_000)
        {
            return;
        }

        _lastRetentionMs = now;
        await store.DeleteExpiredReportJobsAsync(now - (long)options.Retention.TotalMilliseconds, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// A write-only stream that stores what it is given as numbered parts of the job's file. Two buffers: while one
    /// part is being stored, the report goes on filling the other, so reading the records and storing the file
    /// overlap.
    /// </summary>
    private sealed class PartStream(IStore store, ReportJob job, int partBytes, CancellationToken ct) : Stream
    {
        private byte[] _buffer = new byte[partBytes];
        private byte[] _spare = new byte[partBytes];
        private Task<bool>? _storing;
        private int _used;
        private int _part;

        public bool Lost { get; private set; }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
        {
            while (!data.IsEmpty && !Lost)
            {
                var n = Math.Min(data.Length, _buffer.Length - _used);
                data[..n].CopyTo(_buffer.AsMemory(_used));
                _used += n;
                data = data[n..];
                if (_used == _buffer.Length)
                {
                    await StorePartAsync().ConfigureAwait(false);
                }
            }
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count, ct).GetAwaiter().GetResult();

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override void Flush()
        {
        }

        /// <summary>Stores the last part and waits for every part to be stored; false when the job was lost.</summary>
        public async Task<bool> FinishAsync()
        {
            if (_used > 0 || _part == 0)
            {
                await StorePartAsync().ConfigureAwait(false);
            }

            await WaitForStoringAsync().ConfigureAwait(false);
            return !Lost;
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            // A report that failed part-way may leave a part being stored; it is of an attempt that will not finish.
            _storing?.ContinueWith(static t => _ = t.Exception, TaskScheduler.Default);
            base.Dispose(disposing);
        }

        /// <summary>Starts storing the full buffer (after the previous part is stored) and goes on with the spare one.</summary>
        private async Task StorePartAsync()
        {
            await WaitForStoringAsync().ConfigureAwait(false);
            if (Lost)
            {
                return;
            }

            var (full, part) = (_buffer.AsMemory(0, _used), _part++);
            // On the thread pool, beside the scan: the part is packed (gzip) and stored there; an embedded store does
            // its I/O inside the call, and neither must hold up the scan.
            _storing = Task.Run(() => store.AppendReportFileAsync(job.Id, job.Attempt, part, ReportJobFiles.Pack(full.Span), ct), ct);
            (_buffer, _spare) = (_spare, _buffer);
            _used = 0;
        }

        private async Task WaitForStoringAsync()
        {
            if (_storing is { } storing)
            {
                _storing = null;
                Lost |= !await storing.ConfigureAwait(false);
            }
        }
    }
}
