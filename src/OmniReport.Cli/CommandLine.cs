using System.CommandLine;
using System.Reflection;
using OmniReport.Cli.Commands;
using OmniReport.Cli.Settings;
using OmniReport.Storage;

namespace OmniReport.Cli;

/// <summary>
/// The <c>omnireport</c> command on System.CommandLine: the tree of commands (one file each under Commands/), and
/// the one place that turns a parse error or a failure into one line on stderr and an exit code.
/// </summary>
internal static class CommandLine
{
    private static readonly Option<bool> Verbose = new("--verbose") { Description = "show the full stack trace of an unexpected error", Recursive = true };

    /// <summary>The command tree (built once; handlers get the terminal and the clock through their <see cref="Run"/>).</summary>
    public static RootCommand Root { get; } = Build();

    public static async Task<int> RunAsync(string[] args, Terminal console, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(console);
        var parse = Root.Parse(args is ["help"] ? ["--help"] : args);
        var command = parse.CommandResult.Command;
        var name = command == Root ? "omnireport" : "omnireport " + Run.NameOf(parse);
        try
        {
            if (parse.Tokens.Any(t => t.Value is "--help" or "-h" or "-?"))
            {
                await console.WriteOutAsync(Help.Of(command, Root)).ConfigureAwait(false);
                return 0;
            }

            if (command == Root && parse.Tokens is [{ Value: "--version" }])
            {
                await console.WriteOutAsync($"omnireport {Version} (projection format {ProjectionFormat.Current})\n").ConfigureAwait(false);
                return 0;
            }

            if (parse.Errors.Count > 0)
            {
                throw new UsageException(ErrorText(parse, command));
            }

            if (parse.Action is Handler handler)
            {
                return await handler.Work(new Run(parse, console, time)).ConfigureAwait(false);
            }

            await console.Error.WriteAsync(Help.Of(Root, Root)).ConfigureAwait(false);
            return 2;
        }
        catch (UsageException ex)
        {
            await console.Error.WriteLineAsync($"{name}: {ex.Message}").ConfigureAwait(false);
            return ex.ExitCode;
        }
        catch (CommandFailedException ex)
        {
            await console.Error.WriteLineAsync($"{name}: {ex.Message}").ConfigureAwait(false);
            return 1;
        }
#pragma warning disable CA1031 // the last resort: one line (the trace only with --verbose) and exit 1, never a crash dump
        catch (Exception ex)
#pragma warning restore CA1031
        {
            var message = ex is AggregateException { InnerExceptions.Count: 1 } agg ? agg.InnerExceptions[0].Message : ex.Message;
            await console.Error.WriteLineAsync($"{name}: error: {message.ReplaceLineEndings(" ")}").ConfigureAwait(false);
            await console.Error.WriteLineAsync(parse.GetValue(Verbose) ? ex.ToString() : "(run again with --verbose for the details)").ConfigureAwait(false);
            return 1;
        }
    }

    /// <summary>The product version (the assembly's informational version, without the source revision).</summary>
    public static string Version { get; } =
        (typeof(CommandLine).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0").Split('+')[0];

    private static RootCommand Build()
    {
        var root = new RootCommand("omnireport: omnichannel engagement reporting")
        {
            DemoCommand.Create(),
            ServeCommand.Create(),
            DeriveCommand.Create(),
            GenerateCommand.Create(),
            AccountsCommand.Create(),
            TokensCommand.Create(),
            ClientsCommand.Create(),
            ConnectorsCommand.Create(),
            ImportCommand.Create(),
            ExportCommand.Create(),
            RebuildCommand.Create(),
        };
        root.Options.Add(Configuration.ConfigOption);
        root.Options.Add(Verbose);
        foreach (var option in root.Options)
        {
            option.Description = option.Name switch
            {
                "--help" => "this text",
                "--version" => "the version of omnireport",
                _ => option.Description,
            };
        }

        return root;
    }

    /// <summary>The first problem, in one line, with where to look for the right usage.</summary>
    private static string ErrorText(ParseResult parse, Command command)
    {
        var see = command == Root ? "omnireport --help" : $"omnireport {Run.NameOf(parse)} --help";
        if (parse.UnmatchedTokens.Count > 0)
        {
            var token = parse.UnmatchedTokens[0];
            return token.StartsWith('-') ? $"unknown option {token} (see {see})"
                : command == Root ? $"unknown command \"{token}\" (see {see})"
                : $"unexpected argument \"{token}\" (see {see})";
        }

        if (command.Options.FirstOrDefault(o => o.Required && parse.GetResult(o) is null) is { } missing)
        {
            return $"{missing.Name} {missing.HelpName} is required (see {see})";
        }

        return $"{parse.Errors[0].Message} (see {see})";
    }
}
