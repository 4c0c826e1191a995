using System.Globalization;
using OmniReport.Api;

namespace OmniReport.Cli;

/// <summary><c>omnireport serve</c> (SPEC §6): the HTTP service on its own Kestrel server until Ctrl+C / SIGTERM.</summary>
internal static class ServeCommand
{
    private const string DefaultUrls = "http://127.0.0.1:8080";
    private const string RateLimitVariable = "OMNIREPORT_RATE_LIMIT";

    private const string Help = """
        omnireport serve [--db DB] [--urls URL] [--rate-limit N]

        Serves the API (SPEC §5) until interrupted; in-flight requests finish before it exits.
        Request logs are JSON lines on stdout.

        Options:
          --urls URL        where to listen (default http://127.0.0.1:8080; several separated by ;)
          --rate-limit N    requests a minute per token (default 700, or $OMNIREPORT_RATE_LIMIT; 0 = no limit)
        """ + "\n" + StoreOption.Help;

    private static readonly HashSet<string> Valued = ["urls", "rate-limit", StoreOption.Name];
    private static readonly HashSet<string> Flags = ["help"];

    public static async Task<int> RunAsync(string[] args, Terminal console, TimeProvider time)
    {
        var a = new Arguments("serve", args, Valued, Flags);
        if (a.Flag("help"))
        {
            await console.Error.WriteAsync(Help).ConfigureAwait(false);
            return 0;
        }

        if (a.Positional.Count != 0)
        {
            throw new UsageException($"omnireport serve: unexpected argument \"{a.Positional[0]}\"\n\n{Help}");
        }

        var options = new ApiOptions();
        var limit = a["rate-limit"] ?? Environment.GetEnvironmentVariable(RateLimitVariable);
        if (limit is not null)
        {
            if (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                throw new UsageException($"omnireport serve: --rate-limit must be a whole number, not \"{limit}\"");
            }

            options.RateLimitPerMinute = n;
        }

        await using var store = await StoreOption.OpenAsync(a, time).ConfigureAwait(false);
        await using var app = ApiHost.Build(store, options, ["--urls", a["urls"] ?? DefaultUrls], time);
        await app.RunAsync().ConfigureAwait(false);
        return 0;
    }
}
