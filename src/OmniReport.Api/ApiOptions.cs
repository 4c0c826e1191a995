using Microsoft.Extensions.Configuration;

namespace OmniReport.Api;

/// <summary>
/// The service's knobs. <c>omnireport serve</c> binds them from its settings by the key names below (the option
/// names of docs/configuration.md); the others keep their defaults.
/// </summary>
public sealed class ApiOptions
{
    /// <summary>Requests a minute per token (SPEC §5.1: 700); 0 turns limiting off.</summary>
    [ConfigurationKeyName("rate-limit")]
    public int RateLimitPerMinute { get; set; } = 700;

    /// <summary>Requests a minute per client address that present no valid token (SPEC §5.1: 100); 0 turns limiting off.</summary>
    [ConfigurationKeyName("address-rate-limit")]
    public int AddressRateLimitPerMinute { get; set; } = 100;

    /// <summary>Largest ingest body, in bytes (SPEC §5.2: 10 MB).</summary>
    [ConfigurationKeyName("max-ingest-bytes")]
    public long MaxIngestBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>Most events in one ingest request (SPEC §5.2).</summary>
    [ConfigurationKeyName("max-ingest-events")]
    public int MaxIngestEvents { get; set; } = 10_000;

    /// <summary>
    /// Threads that parse and validate the events of one large ingest body (0: one per core; 1: the request's own
    /// thread only). Bodies of 512 events or fewer are parsed on the request's thread anyway.
    /// </summary>
    [ConfigurationKeyName("parse-threads")]
    public int ParseThreads { get; set; }

    /// <summary>Largest settings body, in bytes.</summary>
    public int MaxSettingsBytes { get; set; } = 1024 * 1024;

    /// <summary>How often the inactivity sweep runs.</summary>
    [ConfigurationKeyName("sweep-interval")]
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long an authenticated token is remembered before the store is asked again.</summary>
    public TimeSpan TokenCacheTime { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Report job workers in this process (0: this process runs none; another one sharing the database does).</summary>
    [ConfigurationKeyName("report-workers")]
    public int ReportWorkers { get; set; } = 2;

    /// <summary>How long a report job's claim lasts without renewal (a job whose worker died is taken up after it).</summary>
    [ConfigurationKeyName("job-lease")]
    public TimeSpan ReportJobLease { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long finished report jobs and their files are kept.</summary>
    [ConfigurationKeyName("report-retention")]
    public TimeSpan ReportRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often an open event stream sends a comment line so proxies keep the connection (SPEC §9: 15 s).</summary>
    [ConfigurationKeyName("stream-keep-alive")]
    public TimeSpan StreamKeepAlive { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Messages buffered for one stream client; a client further behind is cut off and resumes by id.</summary>
    [ConfigurationKeyName("stream-buffer")]
    public int StreamBuffer { get; set; } = 10_000;

    /// <summary>
    /// SQLite: how often a server looks for changes another process (omnireport import) wrote into the same file;
    /// PostgreSQL: the pause before listening again after the connection was lost.
    /// </summary>
    [ConfigurationKeyName("stream-poll-interval")]
    public TimeSpan StreamPollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How long the change log keeps a change, for streams resuming by id (SPEC §9: at least 7 days).</summary>
    [ConfigurationKeyName("change-retention")]
    public TimeSpan ChangeRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often older changes are pruned.</summary>
    public TimeSpan ChangePruneInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The least severe log entries written (request logs are <see cref="LogLevel.Information"/>).</summary>
    [ConfigurationKeyName("log-level")]
    public LogLevel MinimumLogLevel { get; set; } = LogLevel.Information;

    /// <summary>How long shutdown waits for in-flight requests.</summary>
    [ConfigurationKeyName("shutdown-timeout")]
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Logs as JSON lines (for collectors) rather than short text lines (for a person at a terminal).</summary>
    public bool JsonLogs { get; set; } = true;

    /// <summary>Which addresses webhooks may be delivered to (SPEC §9): public ones only, by default, or any.</summary>
    [ConfigurationKeyName("webhook-targets")]
    public Webhooks.WebhookTargets WebhookTargets { get; set; } = Webhooks.WebhookTargets.Public;

    /// <summary>Concurrent webhook deliveries in this process (each works on one webhook at a time).</summary>
    [ConfigurationKeyName("webhook-workers")]
    public int WebhookWorkers { get; set; } = 4;

    /// <summary>How long a receiver has to answer a delivery (SPEC §9: 10 s).</summary>
    public TimeSpan WebhookTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often an idle webhook worker looks for changes to deliver.</summary>
    public TimeSpan WebhookPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a process's claim on a webhook lasts without renewal (it is renewed after each attempt, so it must
    /// outlast one attempt); another process takes the webhook over after it, should the first have died.
    /// </summary>
    public TimeSpan WebhookLease { get; set; } = TimeSpan.FromSeconds(30);
}
