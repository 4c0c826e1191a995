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

        var workers = Enumerable.Range(0, Math.Max(0, options.Value.ReportWorkers)).Select(_ => RunAsync(stoppingToken));
        await Task.WhenAll(workers).ConfigureAwait(false);
    }

    private async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await worker.RunAsync(ct).ConfigureAwait(false);
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
                await Task.Delay(TimeSpan.FromSeconds(1), ct).ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Report job worker failed; retrying")]
    private static partial void LogWorkerFailed(ILogger logger, Exception ex);
}
