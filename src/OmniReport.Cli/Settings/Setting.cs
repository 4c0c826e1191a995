using System.CommandLine;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace OmniReport.Cli.Settings;

/// <summary>
/// One setting of an installation: its command-line option (<c>--name</c>), environment variable
/// (<c>OMNIREPORT_NAME</c>) and config-file key (the name), its default and what values it takes.
/// <see cref="All"/> is the table docs/configuration.md documents (a test compares them).
/// </summary>
/// <param name="Name">Option name without dashes; also the key in the config file.</param>
/// <param name="Placeholder">What the value is, in --help (N, URL, DURATION).</param>
/// <param name="Default">The value when nothing sets it (null: none).</param>
/// <param name="Description">One line for --help.</param>
/// <param name="Check">Null when the text is acceptable, else what it must be ("a whole number from 0 to 10").</param>
internal sealed record Setting(string Name, string Placeholder, string? Default, string Description, Func<string, string?> Check)
{
    public static readonly Setting Db = new("db", "DB", null,
        "the store: a SQLite file path (default ./omnireport.db), or a PostgreSQL connection string (Host=...;Username=...;Database=...)", _ => null);

    public static readonly Setting Urls = new("urls", "URL", "http://127.0.0.1:8080", "where the service listens; several separated by ;", CheckUrls);

    public static readonly Setting RateLimit = Number("rate-limit", "700", "requests a minute per token; 0 = no limit", 0, int.MaxValue);

    public static readonly Setting AddressRateLimit = Number("address-rate-limit", "100", "requests a minute per client address that present no valid token; 0 = no limit", 0, int.MaxValue);

    public static readonly Setting SweepInterval = Duration("sweep-interval", "1s", "how often inactivity ends that have come due are applied", TimeSpan.FromMilliseconds(10));

    public static readonly Setting ReportWorkers = Number("report-workers", "2", "report job workers in this process (0: leave jobs to other instances)", 0, 64);

    public static readonly Setting JobLease = Duration("job-lease", "10s", "a report job's claim without renewal; a dead worker's job is retaken after it (at once with SQLite)", TimeSpan.FromSeconds(1));

    public static readonly Setting ReportRetention = Duration("report-retention", "7d", "how long finished report jobs and their files are kept", TimeSpan.FromMinutes(1));

    public static readonly Setting StreamKeepAlive = Duration("stream-keep-alive", "15s", "how often an open GET /api/v2/stream sends a comment line so proxies keep it", TimeSpan.FromSeconds(1));

    public static readonly Setting StreamBuffer = Number("stream-buffer", "10000", "messages buffered per stream client; a client further behind is cut off and resumes by id", 1, 10_000_000);

    public static readonly Setting StreamPollInterval = Duration("stream-poll-interval", "250ms", "SQLite: how often a server looks for changes other processes wrote; PostgreSQL: the pause before listening again", TimeSpan.FromMilliseconds(10));

    public static readonly Setting ChangeRetention = Duration("change-retention", "7d", "how long the change log keeps a change for streams resuming by id (SPEC: at least 7 days)", TimeSpan.FromDays(7));

    public static readonly Setting WebhookTargets = new("webhook-targets", "TARGETS", "public",
        "where webhooks may be delivered: public (never loopback, private or link-local addresses) or any", v => v is "public" or "any" ? null : "public or any");

    public static readonly Setting WebhookWorkers = Number("webhook-workers", "4", "webhook deliveries in flight at once in this process (0: leave them to other instances)", 0, 256);

    public static readonly Setting MaxIngestEvents = Number("max-ingest-events", "10000", "most events in one POST /api/v2/events (413 beyond)", 1, 10_000_000);

    public static readonly Setting MaxIngestBytes = Number("max-ingest-bytes", "10485760", "largest POST /api/v2/events body in bytes (413 beyond)", 1024, 2L * 1024 * 1024 * 1024);

    public static readonly Setting ShutdownTimeout = Duration("shutdown-timeout", "30s", "how long Ctrl+C / SIGTERM waits for requests in flight", TimeSpan.Zero);

    public static readonly Setting LogLevel = new("log-level", "LEVEL", "information",
        "request logs and above: trace, debug, information, warning, error, critical, none", CheckLogLevel);

    public static readonly Setting LogFormat = new("log-format", "FORMAT", "auto",
        "text (one short line a request), json (one JSON object a line) or auto: text on a terminal, else json",
        v => v is "auto" or "text" or "json" ? null : "auto, text or json");

    public static readonly Setting BatchSize = Number("batch-size", "50000", "events per transaction of import and demo (an import's first batches are smaller: 5,000, doubling up to N)", 1, 1_000_000);

    public static readonly Setting ParseThreads = Number("parse-threads", "0", "threads that parse and validate events (derive, import, HTTP ingest), derive them and format the report (derive); 0 = one per core, 1 = the one-thread path", 0, 256);

    /// <summary>Every setting, in the order of the documentation table.</summary>
    public static readonly IReadOnlyList<Setting> All =
        [Db, Urls, RateLimit, AddressRateLimit, SweepInterval, ReportWorkers, JobLease, ReportRetention, StreamKeepAlive, StreamBuffer, StreamPollInterval, ChangeRetention, WebhookTargets, WebhookWorkers, MaxIngestEvents, MaxIngestBytes, ShutdownTimeout, LogLevel, LogFormat, BatchSize, ParseThreads];

    /// <summary>The settings of the service (serve and demo).</summary>
    public static readonly IReadOnlyList<Setting> Service =
        [Urls, RateLimit, AddressRateLimit, SweepInterval, ReportWorkers, JobLease, ReportRetention, StreamKeepAlive, StreamBuffer, StreamPollInterval, ChangeRetention, WebhookTargets, WebhookWorkers, MaxIngestEvents, MaxIngestBytes, ShutdownTimeout, LogLevel, LogFormat, ParseThreads];

    /// <summary>The environment variable: <c>OMNIREPORT_</c> and the name in upper case, dashes as underscores.</summary>
    public string Variable => "OMNIREPORT_" + Name.ToUpperInvariant().Replace('-', '_');

    /// <summary>The command-line option. Its value is text: it is checked with the other sources' values, by <see cref="Check"/>.</summary>
    public Option<string> Option { get; } = new("--" + Name)
    {
        HelpName = Placeholder,
        Description = Description + (Default is null ? "" : $" (default {Default})"),
    };

    private static Setting Number(string name, string fallback, string description, long min, long max) =>
        new(name, "N", fallback, description, v => Values.TryNumber(v, min, max, out _) ? null : Values.NumberText(min, max));

    private static Setting Duration(string name, string fallback, string description, TimeSpan min) =>
        new(name, "DURATION", fallback, description, v => Values.TryDuration(v, out var d) && d >= min ? null
            : $"a duration of at least {min.TotalSeconds} s such as 500ms, 30s, 5m, 12h or 7d");

    private static string? CheckLogLevel(string v) =>
        !int.TryParse(v, out _) && Enum.TryParse<LogLevel>(v, ignoreCase: true, out var level) && Enum.IsDefined(level)
            ? null
            : "trace, debug, information, warning, error, critical or none";

    /// <summary>Kestrel's own reading of an address, so what passes here is what it can bind.</summary>
    private static string? CheckUrls(string v)
    {
        const string What = "one or more URLs separated by ; such as http://127.0.0.1:8080";
        var parts = v.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 0)
        {
            return What;
        }

        foreach (var part in parts)
        {
            try
            {
                var address = BindingAddress.Parse(part);
                if (address.Scheme is not ("http" or "https") || address.IsUnixPipe || address.IsNamedPipe)
                {
                    return What;
                }
            }
            catch (FormatException)
            {
                return What;
            }
        }

        return null;
    }
}
