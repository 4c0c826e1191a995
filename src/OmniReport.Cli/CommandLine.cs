namespace OmniReport.Cli;

/// <summary>The <c>omnireport</c> command: dispatches to one class per sub-command.</summary>
internal static class CommandLine
{
    public const string Usage = """
        omnireport: omnichannel engagement reporting

        Usage:
          omnireport demo [--urls URL] [--db DB] [--seed N] [--days N] [--interactions N]
          omnireport serve [--db DB] [--urls URL] [--rate-limit N] …
          omnireport derive FILE [--settings SETTINGS.json] [--now RFC3339] [--report engagements|erc_omnichannel_report]
                                 [--format json|csv|json_bulk] [--timezone TZ] [--strict]
          omnireport generate [--out FILE] [--seed N] [--interactions N | --events N] [--days N] [--start DATE] …
          omnireport accounts create NAME [--db DB]
          omnireport tokens create --account NAME [--scopes events:write,reports:read,admin] [--db DB]
          omnireport clients create --account NAME [--scopes ...] | clients list --account NAME | clients revoke CLIENT_ID
          omnireport connectors twilio --account NAME --auth-token TOKEN [--url BASE_URL] [--db DB]
          omnireport import FILE --account NAME [--batch-size N] [--db DB]
          omnireport export --account NAME --report TYPE --from TIME --to TIME [--timezone TZ] [--format F] [--out FILE] [--db DB]
          omnireport COMMAND --help

        Every command also takes --config FILE (settings; default ./omnireport.json when present) and --verbose
        (stack traces of unexpected errors). Settings: command-line option, then environment variable
        (OMNIREPORT_DB, OMNIREPORT_URLS, ...), then config file, then default (docs/configuration.md).

        Exit codes: 0 done (serve and demo: after Ctrl+C or SIGTERM, once requests in flight finish);
        1 failure (bad input file, rejected events with --strict, store unreachable, unexpected error);
        2 bad arguments or configuration; 130 interrupted by Ctrl+C (import, export, generate).
        """;

    public static async Task<int> RunAsync(string[] args, Terminal console, TimeProvider time)
    {
        var verbose = args.Contains("--verbose");
        var command = args.Length > 0 ? args[0] : "";
        try
        {
            if (args.Length == 0 || args[0] is "--help" or "-h" or "help")
            {
                if (args.Length == 0)
                {
                    await console.Error.WriteLineAsync(Usage).ConfigureAwait(false);
                    return 2;
                }

                await console.WriteOutAsync(Usage + "\n").ConfigureAwait(false);
                return 0;
            }

            var rest = args.AsSpan(1).ToArray();
            return args[0] switch
            {
                "demo" => await DemoCommand.RunAsync(rest, console, time).ConfigureAwait(false),
                "derive" => await DeriveCommand.RunAsync(rest, console, time).ConfigureAwait(false),
                "serve" => await ServeCommand.RunAsync(rest, console, time).ConfigureAwait(false),
                "generate" => await GenerateCommand.RunAsync(rest, console).ConfigureAwait(false),
                "accounts" => await AccountsCommand.RunAsync(rest, console, time).ConfigureAwait(false),
                "tokens" => await TokensCommand.RunAsync(rest, console, time).ConfigureAwait(false),
                "clients" => await ClientsCommand.RunAsync(rest, console, time).ConfigureAwait(false),
                "connectors" => await ConnectorsCommand.RunAsync(rest, console, time).ConfigureAwait(false),
                "import" => await ImportCommand.RunAsync(rest, console, time).ConfigureAwait(false),
                "export" => await ExportCommand.RunAsync(rest, console, time).ConfigureAwait(false),
                _ => throw new UsageException($"omnireport: unknown command \"{args[0]}\"\n\n{Usage}"),
            };
        }
        catch (UsageException ex)
        {
            await console.Error.WriteLineAsync(ex.Message).ConfigureAwait(false);
            return ex.ExitCode;
        }
        catch (CommandFailedException ex)
        {
            await console.Error.WriteLineAsync(ex.Message).ConfigureAwait(false);
            return 1;
        }
#pragma warning disable CA1031 // the last resort: one line (the trace only with --verbose) and exit 1, never a crash dump
        catch (Exception ex)
#pragma warning restore CA1031
        {
            var message = ex is AggregateException { InnerExceptions.Count: 1 } agg ? agg.InnerExceptions[0].Message : ex.Message;
            await console.Error.WriteLineAsync($"omnireport {command}: error: {message.ReplaceLineEndings(" ")}").ConfigureAwait(false);
            await console.Error.WriteLineAsync(verbose ? ex.ToString() : "(run again with --verbose for the details)").ConfigureAwait(false);
            return 1;
        }
    }
}
