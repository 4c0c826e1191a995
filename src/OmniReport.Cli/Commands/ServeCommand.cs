using System.CommandLine;
using Microsoft.Extensions.Hosting;
using OmniReport.Api;
using OmniReport.Cli.Settings;

namespace OmniReport.Cli.Commands;

/// <summary><c>omnireport serve</c> (SPEC §6): the HTTP service on its own Kestrel server until Ctrl+C / SIGTERM.</summary>
internal static class ServeCommand
{
    public static Command Create() => new Command("serve", """
        Serves the API (SPEC §5) until interrupted (Ctrl+C, SIGTERM); requests in flight finish before it exits
        with code 0. Request logs go to stdout: short lines on a terminal, JSON lines otherwise (--log-format).
        Every option can also come from an environment variable (OMNIREPORT_ and the name in upper case:
        OMNIREPORT_RATE_LIMIT) or the config file; see docs/configuration.md.
        """) { Setting.Db.Option }.With(Setting.Service).Runs(RunAsync);

    private static async Task<int> RunAsync(Run run)
    {
        var options = ReadOptions(run.Settings);
        await using var store = await run.OpenStoreAsync(create: true).ConfigureAwait(false);
        await using var app = ApiHost.Build(store, options, HostArguments(run.Settings), run.Time);
        await Listening.StartAsync(app).ConfigureAwait(false);
        await app.WaitForShutdownAsync().ConfigureAwait(false);
        return 0;
    }

    /// <summary>The host's arguments: where to listen.</summary>
    public static string[] HostArguments(Configuration settings) => ["--urls", settings.Text(Setting.Urls)!];

    /// <summary>The service's options, bound from the settings (Setting.Service) by their names.</summary>
    public static ApiOptions ReadOptions(Configuration settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var options = settings.Bind<ApiOptions>(Setting.Service);
        options.JsonLogs = settings.Text(Setting.LogFormat) switch
        {
            "json" => true,
            "text" => false,
            _ => Console.IsOutputRedirected,
        };
        return options;
    }
}
