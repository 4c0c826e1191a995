using Microsoft.Extensions.Options;
using OmniReport.Storage;

namespace OmniReport.Api.Hosting;

/// <summary>
/// Keeps the change log to <see cref="ApiOptions.ChangeRetention"/> (SPEC §9: changes are kept at least 7 days for
/// streams that resume by id; a client further behind gets <c>event: reset</c>). Runs at start and then every
/// <see cref="ApiOptions.ChangePruneInterval"/>; several servers on one database may prune at once harmlessly.
/// </summary>
internal sealed partial class ChangeLogPruner(IStore store, IOptions<ApiOptions> options, TimeProvider time, ILogger<ChangeLogPruner> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var before = time.GetUtcNow() - o.ChangeRetention;
                await store.PruneChangesAsync(before.ToUnixTimeMilliseconds(), stoppingToken).ConfigureAwait(false);
                await Task.Delay(o.ChangePruneInterval, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogPruneFailed(log, ex);
                try
                {
                    await Task.Delay(o.ChangePruneInterval, time, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pruning the change log failed; the next run tries again")]
    private static partial void LogPruneFailed(ILogger logger, Exception ex);
}
