using Microsoft.Extensions.Options;
using OmniReport.Storage;

namespace OmniReport.Api.Hosting;

/// <summary>
/// Applies inactivity ends as time passes (SPEC §3.4): asks the store to sweep on a fixed period of the injected
/// clock. A failed sweep is logged and retried at the next tick.
/// </summary>
internal sealed partial class SweepService(IStore store, IOptions<ApiOptions> options, TimeProvider time, ILogger<SweepService> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SweepInterval, time);
        try
        {
            do
            {
                try
                {
                    var n = await store.SweepAsync(stoppingToken).ConfigureAwait(false);
                    if (n > 0)
                    {
                        LogSwept(log, n);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogSweepFailed(log, ex);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // shutting down
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Inactivity sweep recomputed {Count} interactions")]
    private static partial void LogSwept(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Inactivity sweep failed")]
    private static partial void LogSweepFailed(ILogger logger, Exception ex);
}
