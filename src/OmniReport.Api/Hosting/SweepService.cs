using Microsoft.Extensions.Options;
using OmniReport.Storage;

namespace OmniReport.Api.Hosting;

/// <summary>
/// Hosts the store's <see cref="InactivitySweeper"/> (SPEC §3.4: inactivity ends are applied as time passes)
/// for the life of the server; a failed sweep is logged and the next one still runs.
/// </summary>
internal sealed partial class SweepService(IStore store, IOptions<ApiOptions> options, TimeProvider time, ILogger<SweepService> log) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        new InactivitySweeper(store, time, options.Value.SweepInterval, ex => LogSweepFailed(log, ex)).RunAsync(stoppingToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Inactivity sweep failed")]
    private static partial void LogSweepFailed(ILogger logger, Exception ex);
}
