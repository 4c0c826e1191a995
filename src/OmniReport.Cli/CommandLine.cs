namespace OmniReport.Cli;

/// <summary>The <c>omnireport</c> command: dispatches to one class per sub-command.</summary>
internal static class CommandLine
{
    public const string Usage = """
        omnireport: omnichannel engagement reporting

        Usage:
          omnireport derive FILE [--settings SETTINGS.json] [--now RFC3339] [--report engagements|erc_omnichannel_report]
                                 [--format json|csv|json_bulk] [--timezone TZ] [--strict]
          omnireport serve [--db DB] [--urls URL] [--rate-limit N]
          omnireport generate [--out FILE] [--seed N] [--interactions N | --events N] [--days N] [--start DATE] …
          omnireport accounts create NAME [--db DB]
          omnireport tokens create --account NAME [--scopes events:write,reports:read,admin] [--db DB]
          omnireport import FILE --account NAME [--batch-size N] [--db DB]
          omnireport COMMAND --help

        Exit codes: 0 done; 1 bad input (file, events with --strict); 2 bad arguments.
        """;

    public static async Task<int> RunAsync(string[] args, Terminal console, TimeProvider time)
    {
        try
        {
            if (args.Length == 0 || args[0] is "--help" or "-h" or "help")
            {
                await console.Error.WriteAsync(Usage).ConfigureAwait(false);
                return args.Length == 0 ? 2 : 0;
            }

            var rest = args.AsSpan(1).ToArray();
            return args[0] switch
            {
                "derive" => await DeriveCommand.RunAsync(rest, console, time).ConfigureAwait(false),
                "serve" => await ServeCommand.RunAsync(rest, console, time).ConfigureAwait(false),
                "generate" => await GenerateCommand.RunAsync(rest, console).ConfigureAwait(false),
                "accounts" => await AccountsCommand.RunAsync(rest, console, time).ConfigureAwait(false),
                "tokens" => await TokensCommand.RunAsync(rest, console, time).ConfigureAwait(false),
                "import" => await ImportCommand.RunAsync(rest, console, time).ConfigureAwait(false),
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
    }
}
