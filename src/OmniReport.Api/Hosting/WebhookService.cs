using Microsoft.Extensions.Options;
using OmniReport.Api.Webhooks;

namespace OmniReport.Api.Hosting;

/// <summary>
/// Delivers webhooks for the life of the server (SPEC §9): <see cref="ApiOptions.WebhookWorkers"/> loops share one
/// <see cref="WebhookDispatcher"/>; each works on one webhook at a time and, when none is due, looks again every
/// <see cref="ApiOptions.WebhookPollInterval"/> on the injected clock. A failing store call is logged and retried.
/// </summary>
internal sealed partial class WebhookService(WebhookDispatcher dispatcher, Storage.IStore store, IOptions<ApiOptions> options, TimeProvider time,
    ILogger<WebhookService> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.WebhookWorkers <= 0)
        {
            return;
        }

        try
        {
            await store.ReleaseOrphanedWebhookLeasesAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }

        await Task.WhenAll(Enumerable.Range(0, options.Value.WebhookWorkers).Select(_ => Task.Run(() => LoopAsync(stoppingToken), CancellationToken.None))).ConfigureAwait(false);
    }

    private async Task LoopAsync(CancellationToken ct)
    {
        // A periodic timer keeps its ticks while the worker is busy, so a worker never sleeps past a tick it missed.
        using var timer = new PeriodicTimer(options.Value.WebhookPollInterval, time);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                if (await dispatcher.RunOnceAsync(ct).ConfigureAwait(false))
                {
                    continue;
                }

                await timer.WaitForNextTickAsync(ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // the loop must survive a failing store call; it is logged and retried at the next tick
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogFailed(log, ex);
                try
                {
                    await timer.WaitForNextTickAsync(ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook delivery failed; retrying")]
    private static partial void LogFailed(ILogger logger, Exception ex);
}
