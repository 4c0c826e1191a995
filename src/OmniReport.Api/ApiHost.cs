using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using OmniReport.Api.Auth;
using OmniReport.Api.Connectors.AmazonConnect;
using OmniReport.Api.Connectors.Twilio;
using OmniReport.Api.Dashboard;
using OmniReport.Api.Endpoints;
using OmniReport.Api.Hosting;
using OmniReport.Api.Live;
using OmniReport.Api.OpenApi;
using OmniReport.Api.Talkdesk;
using OmniReport.Api.Webhooks;
using OmniReport.Api.Zendesk;
using OmniReport.Storage;

namespace OmniReport.Api;

/// <summary>
/// The composition root of the HTTP service (SPEC §5, §6 <c>serve</c>): Kestrel, JSON request logs, the Zendesk
/// dialect, token authentication and rate limiting, the endpoints, the OpenAPI document, the inactivity sweep
/// and the webhook deliveries.
/// The process entry point is <c>omnireport serve</c>; tests build the same application.
/// </summary>
public static class ApiHost
{
    /// <summary>Builds the service over an open, migrated <paramref name="store"/> (the caller owns and disposes it).</summary>
    /// <param name="store">The store.</param>
    /// <param name="options">Limits and intervals.</param>
    /// <param name="args">Host arguments (<c>--urls</c>, configuration overrides).</param>
    /// <param name="time">The clock (default: the system's).</param>
    /// <param name="configure">Last changes to the builder (tests: the test server, logging).</param>
    public static WebApplication Build(IStore store, ApiOptions options, string[]? args = null, TimeProvider? time = null,
        Action<WebApplicationBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        // No reload of ASP.NET's appsettings files on change (our settings are read once, by the CLI): watching for it
        // is a FileSystemWatcher over the whole working directory, which by default holds the database, so every
        // commit's WAL write woke a thread (about 4 % of the server's CPU under ingest).
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--hostBuilder:reloadConfigOnChange=false", .. args ?? []] });

        builder.Logging.ClearProviders();
        // Hosting's scopes (connection, trace, Kestrel's own request id) would repeat on every line; the request
        // log carries our request id itself.
        if (options.JsonLogs)
        {
            builder.Logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = false;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });
        }
        else
        {
            builder.Logging.AddSimpleConsole(o =>
            {
                o.IncludeScopes = false;
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss ";
            });
        }

        builder.Logging.SetMinimumLevel(options.MinimumLogLevel);
        builder.Logging.AddFilter("Microsoft.AspNetCore", options.MinimumLogLevel > LogLevel.Warning ? options.MinimumLogLevel : LogLevel.Warning);

        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = Math.Max(options.MaxIngestBytes, options.MaxSettingsBytes);
        });
        builder.Services.Configure<HostOptions>(h => h.ShutdownTimeout = options.ShutdownTimeout);

        builder.Services.AddSingleton(store);
        builder.Services.AddSingleton(Options.Create(options));
        builder.Services.AddSingleton(time ?? TimeProvider.System);
        builder.Services.AddSingleton<TokenRateLimiter>();
        builder.Services.AddSingleton<AddressRateLimiter>();
        builder.Services.AddHostedService<SweepService>();
        builder.Services.AddSingleton(sp => new ReportJobWorker(store, sp.GetRequiredService<TimeProvider>(), new ReportJobOptions
        {
            Lease = options.ReportJobLease,
            Retention = options.ReportRetention,
        }));
        builder.Services.AddHostedService<ReportJobService>();
        builder.Services.AddSingleton<StreamHub>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<StreamHub>());
        builder.Services.AddHostedService<ChangeLogPruner>();
        builder.Services.AddSingleton(sp => new WebhookSender(options.WebhookTargets, options.WebhookTimeout, sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton(sp => new WebhookDispatcher(store, sp.GetRequiredService<WebhookSender>(), sp.GetRequiredService<TimeProvider>(), options.WebhookLease));
        builder.Services.AddHostedService<WebhookService>();
        builder.Services.ConfigureHttpJsonOptions(Dialect.Configure);
        builder.Services.AddOmniReportOpenApi();

        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseMiddleware<RequestLogging>();
        app.UseMiddleware<DialectErrors>();
        app.UseRouting();
        app.UseMiddleware<TokenAuthentication>();

        app.MapHealth();
        app.MapDashboard();
        app.MapEvents();
        app.MapSettings();
        app.MapNow();
        app.MapDirectory();
        app.MapEngagements();
        app.MapAggregates();
        app.MapReportJobs();
        app.MapOAuthToken();
        app.MapStream();
        app.MapWebhooks();
        app.MapTwilioConnector();
        app.MapAmazonConnectConnector();
        app.MapOpenApi(OpenApiSetup.DocumentPath);
        return app;
    }
}
