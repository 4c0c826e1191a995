using Microsoft.Extensions.Options;
using OmniReport.Storage;

namespace OmniReport.Api.Hosting;

/// <summary>
/// Runs report jobs for the life of the server (SPEC §5.4): <see cref="ApiOptions.ReportWorkers"/> workers share
/// one <see cref="ReportJobWorker"/>'s queue of store claims, so jobs accepted before a crash or restart finish after it.
/// </summary>
internal sealed partial class ReportJobService(ReportJobWorker worker, IOptions<ApiOptions> options, ILogger<ReportJobService> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.ReportWorkers <= 0)
        {
            return;
        }

        try
        {
            await worker.ReleaseOrphansAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }

        // A step that had to wait for the store's write lock goes on on the pool thread that released it; so that
        // such a job cannot make requests wait for the pool to grow either, the pool keeps a thread more for each worker.
        ThreadPool.GetMinThreads(out var minWorkers, out var minIo);
        ThreadPool.SetMinThreads(minWorkers + options.Value.ReportWorkers, minIo);
        var workers = Enumerable.Range(0, Math.Max(0, options.Value.ReportWorkers)).Select(i => OnOwnThread(i, stoppingToken)).ToList();
        await Task.WhenAll(workers).ConfigureAwait(false);
    }

    /// <summary>
    /// One worker on a thread of its own, never on the thread pool. A report is long CPU work with store reads
    /// that mostly complete synchronously (SQLite's always do); on pool threads it held them for seconds, and
    /// requests waited for the pool to grow (a GET /api/v2/engagements took 300 ms while 20 jobs ran). Here each
    /// step is started, and its synchronous parts run, on the worker's own thread; the pool is left to requests,
    /// and --report-workers bounds how many such threads compete with them for the cores.
    /// </summary>
    private Task OnOwnThread(int n, CancellationToken ct)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            Run(ct);
            done.SetResult();
        })
        {
            IsBackground = true,
            Name = $"report-worker-{n}",
        };
        thread.Start();
        return done.Task;
    }

    private void Run(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                // Two calls, each started from this thread: a claim that waited for the store's write lock goes on
                // elsewhere, but the job itself then starts here again.
                if (worker.ClaimAsync(ct).GetAwaiter().GetResult() is { } job)
                {
                    worker.RunJobAsync(job, ct).GetAwaiter().GetResult();
                }
                else
                {
                    worker.IdleAsync(ct).GetAwaiter().GetResult();
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // the worker loop must survive a failing store call; it is logged and retried
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogWorkerFailed(log, ex);
                ct.WaitHandle.WaitOne(TimeSpan.FromSeconds(1));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Report job worker failed; retrying")]
    private static partial void LogWorkerFailed(ILogger logger, Exception ex);
}
