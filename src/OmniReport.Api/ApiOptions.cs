namespace OmniReport.Api;

/// <summary>The service's knobs (configuration section <c>OmniReport</c>; <c>omnireport serve</c> options).</summary>
public sealed class ApiOptions
{
    /// <summary>Requests a minute per token (SPEC §5.1: 700); 0 turns limiting off.</summary>
    public int RateLimitPerMinute { get; set; } = 700;

    /// <summary>Requests a minute per client address that present no valid token (SPEC §5.1: 100); 0 turns limiting off.</summary>
    public int AddressRateLimitPerMinute { get; set; } = 100;

    /// <summary>Largest ingest body, in bytes (SPEC §5.2: 10 MB).</summary>
    public long MaxIngestBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>Most events in one ingest request (SPEC §5.2).</summary>
    public int MaxIngestEvents { get; set; } = 10_000;

    /// <summary>Largest settings body, in bytes.</summary>
    public int MaxSettingsBytes { get; set; } = 1024 * 1024;

    /// <summary>How often the inactivity sweep runs.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long an authenticated token is remembered before the store is asked again.</summary>
    public TimeSpan TokenCacheTime { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Report job workers in this process (0: this process runs none; another one sharing the database does).</summary>
    public int ReportWorkers { get; set; } = 2;

    /// <summary>How long a report job's claim lasts without renewal (a job whose worker died is taken up after it).</summary>
    public TimeSpan ReportJobLease { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long finished report jobs and their files are kept.</summary>
    public TimeSpan ReportRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>The least severe log entries written (request logs are <see cref="LogLevel.Information"/>).</summary>
    public LogLevel MinimumLogLevel { get; set; } = LogLevel.Information;

    /// <summary>How long shutdown waits for in-flight requests.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
