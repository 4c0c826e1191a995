namespace OmniReport.Cli;

/// <summary>
/// One configurable value: its command-line option (<c>--name</c>), environment variable and config-file key
/// (the same name), and default. <see cref="All"/> is the one table docs/configuration.md documents.
/// </summary>
/// <param name="Name">Option name without dashes; also the key in the config file.</param>
/// <param name="Placeholder">What the value is, in --help (N, URL, DURATION).</param>
/// <param name="Default">The value when nothing sets it (null: none).</param>
/// <param name="Description">One line for --help and the docs.</param>
internal sealed record Setting(string Name, string Placeholder, string? Default, string Description)
{
    public static readonly Setting Db = new("db", "DB", null,
        "the store: a SQLite file path (default ./omnireport.db), or a PostgreSQL connection string (Host=...;Username=...;Database=...)");

    public static readonly Setting Urls = new("urls", "URL", "http://127.0.0.1:8080", "where the service listens; several separated by ;");

    public static readonly Setting RateLimit = new("rate-limit", "N", "700", "requests a minute per token; 0 = no limit");

    public static readonly Setting AddressRateLimit = new("address-rate-limit", "N", "100", "requests a minute per client address that present no valid token; 0 = no limit");

    public static readonly Setting SweepInterval = new("sweep-interval", "DURATION", "1s", "how often inactivity ends that have come due are applied");

    public static readonly Setting ReportWorkers = new("report-workers", "N", "2", "report job workers in this process (0: leave jobs to other instances)");

    public static readonly Setting JobLease = new("job-lease", "DURATION", "10s", "a report job's claim without renewal; a dead worker's job is retaken after it (at once with SQLite)");

    public static readonly Setting ReportRetention = new("report-retention", "DURATION", "7d", "how long finished report jobs and their files are kept");

    public static readonly Setting MaxIngestEvents = new("max-ingest-events", "N", "10000", "most events in one POST /api/v2/events (413 beyond)");

    public static readonly Setting MaxIngestBytes = new("max-ingest-bytes", "N", "10485760", "largest POST /api/v2/events body in bytes (413 beyond)");

    public static readonly Setting ShutdownTimeout = new("shutdown-timeout", "DURATION", "30s", "how long Ctrl+C / SIGTERM waits for requests in flight");

    public static readonly Setting LogLevel = new("log-level", "LEVEL", "information", "request logs and above: trace, debug, information, warning, error, critical, none");

    public static readonly Setting BatchSize = new("batch-size", "N", "50000", "events per transaction of import and demo");

    /// <summary>Every setting, in the order of the documentation table.</summary>
    public static readonly IReadOnlyList<Setting> All =
        [Db, Urls, RateLimit, AddressRateLimit, SweepInterval, ReportWorkers, JobLease, ReportRetention, MaxIngestEvents, MaxIngestBytes, ShutdownTimeout, LogLevel, BatchSize];

    /// <summary>The settings of the service (serve and demo).</summary>
    public static readonly IReadOnlyList<Setting> Service =
        [Urls, RateLimit, AddressRateLimit, SweepInterval, ReportWorkers, JobLease, ReportRetention, MaxIngestEvents, MaxIngestBytes, ShutdownTimeout, LogLevel];

    /// <summary>The environment variable: <c>OMNIREPORT_</c> and the name in upper case, dashes as underscores.</summary>
    public string Variable => "OMNIREPORT_" + Name.ToUpperInvariant().Replace('-', '_');

    /// <summary>The --help lines of these settings.</summary>
    public static string HelpLines(IEnumerable<Setting> settings) =>
        string.Concat(settings.Select(s => $"  {"--" + s.Name + " " + s.Placeholder,-27} {s.Description}{(s.Default is null ? "" : $" (default {s.Default})")}\n"));
}
