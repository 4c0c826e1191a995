using Microsoft.Extensions.Logging;
using OmniReport.Api;

namespace OmniReport.Cli;

/// <summary><c>omnireport serve</c> (SPEC §6): the HTTP service on its own Kestrel server until Ctrl+C / SIGTERM.</summary>
internal static class ServeCommand
{
    private static readonly string Help = $"""
        omnireport serve [--db DB] [--urls URL] [options]

        Serves the API (SPEC §5) until interrupted (Ctrl+C, SIGTERM); requests in flight finish before it exits
        with code 0. Request logs are JSON lines on stdout. Every option can also come from an environment
        variable (OMNIREPORT_ and the name in upper case: OMNIREPORT_RATE_LIMIT) or the config file; see
        docs/configuration.md.

        Options:
        {Setting.HelpLines(Setting.Service)}
        """ + StoreOption.Help;

    private static readonly HashSet<string> Valued = [.. Setting.Service.Select(s => s.Name), StoreOption.Name];
    private static readonly HashSet<string> Flags = [];

    public static async Task<int> RunAsync(string[] args, Terminal console, TimeProvider time)
    {
        var a = new Arguments("serve", args, Valued, Flags, console);
        if (a.Flag("help"))
        {
            await console.WriteOutAsync(Help.TrimEnd() + "\n").ConfigureAwait(false);
            return 0;
        }

        if (a.Positional.Count != 0)
        {
            throw new UsageException($"omnireport serve: unexpected argument \"{a.Positional[0]}\"\n\n{Help}");
        }

        var options = ReadOptions(a);
        await using var store = await StoreOption.OpenAsync(a, time).ConfigureAwait(false);
        await using var app = ApiHost.Build(store, options, HostArguments(a), time);
        await app.RunAsync().ConfigureAwait(false);
        return 0;
    }

    /// <summary>The host's arguments: where to listen.</summary>
    public static string[] HostArguments(Arguments a) => ["--urls", a.Text(Setting.Urls)!];

    /// <summary>The service's options from the command line, environment and config file (Setting.Service).</summary>
    public static ApiOptions ReadOptions(Arguments a)
    {
        var (level, levelSource) = a.Get(Setting.LogLevel);
        if (!Enum.TryParse<LogLevel>(level, ignoreCase: true, out var logLevel) || !Enum.IsDefined(logLevel) || int.TryParse(level, out _))
        {
            throw a.Bad(Setting.LogLevel, levelSource, level, "trace, debug, information, warning, error, critical or none");
        }

        if (string.IsNullOrWhiteSpace(a.Text(Setting.Urls)))
        {
            throw a.Bad(Setting.Urls, a.Get(Setting.Urls).Source, "", "a URL such as http://127.0.0.1:8080");
        }

        return new ApiOptions
        {
            RateLimitPerMinute = (int)a.Number(Setting.RateLimit, 0, int.MaxValue),
            AddressRateLimitPerMinute = (int)a.Number(Setting.AddressRateLimit, 0, int.MaxValue),
            SweepInterval = a.Duration(Setting.SweepInterval, TimeSpan.FromMilliseconds(10)),
            ReportWorkers = (int)a.Number(Setting.ReportWorkers, 0, 64),
            ReportJobLease = a.Duration(Setting.JobLease, TimeSpan.FromSeconds(1)),
            ReportRetention = a.Duration(Setting.ReportRetention, TimeSpan.FromMinutes(1)),
            MaxIngestEvents = (int)a.Number(Setting.MaxIngestEvents, 1, 10_000_000),
            MaxIngestBytes = a.Number(Setting.MaxIngestBytes, 1024, 2L * 1024 * 1024 * 1024),
            ShutdownTimeout = a.Duration(Setting.ShutdownTimeout, TimeSpan.Zero),
            MinimumLogLevel = logLevel,
        };
    }
}
