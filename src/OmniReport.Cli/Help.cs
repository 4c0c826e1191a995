using System.CommandLine;
using System.Text;

namespace OmniReport.Cli;

/// <summary>
/// The --help text, generated from the command tree: a usage line made of the command's arguments and required
/// options, its description, and one line per option with its placeholder, description and default. Written here
/// rather than by System.CommandLine's help so the first line is the usage, as <c>man</c> pages and the docs show it.
/// </summary>
internal static class Help
{
    private const int OptionColumn = 30;

    /// <summary>The help of <paramref name="command"/> (of each of its sub-commands, for a group such as <c>accounts</c>).</summary>
    public static string Of(Command command, RootCommand root)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (command == root)
        {
            return Overview(root);
        }

        var b = new StringBuilder();
        foreach (var leaf in command.Subcommands.Count > 0 ? command.Subcommands : [command])
        {
            b.Append(Usage(leaf)).Append("\n\n").Append(leaf.Description?.TrimEnd()).Append("\n\nOptions:\n");
            foreach (var option in leaf.Options.Concat(root.Options.Where(o => o.Recursive)))
            {
                b.Append(OptionLine(option));
            }

            b.Append('\n');
        }

        return b.ToString().TrimEnd() + "\n";
    }

    /// <summary>The usage line: <c>omnireport export --account NAME … [options]</c>.</summary>
    public static string Usage(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var path = new List<string>();
        for (Symbol? s = command; s is Command c; s = c.Parents.FirstOrDefault())
        {
            path.Insert(0, c is RootCommand ? "omnireport" : c.Name);
        }

        var parts = path
            .Concat(command.Arguments.Select(a => a.HelpName ?? a.Name))
            .Concat(command.Options.Where(o => o.Required).Select(o => $"{o.Name} {o.HelpName}"));
        return string.Join(' ', parts) + " [options]";
    }

    /// <summary>One option's line; continuation lines are indented to the description column.</summary>
    public static string OptionLine(Option option)
    {
        ArgumentNullException.ThrowIfNull(option);
        var name = option.HelpName is null ? option.Name : $"{option.Name} {option.HelpName}";
        var description = (option.Description ?? "").ReplaceLineEndings("\n" + new string(' ', OptionColumn + 3));
        return $"  {name,-OptionColumn} {description}\n";
    }

    private static string Overview(RootCommand root)
    {
        var b = new StringBuilder();
        b.Append(root.Description).Append("\n\nUsage:\n");
        foreach (var c in root.Subcommands)
        {
            foreach (var leaf in c.Subcommands.Count > 0 ? c.Subcommands : [c])
            {
                b.Append("  ").Append(Usage(leaf)).Append('\n');
            }
        }

        b.Append("  omnireport COMMAND --help\n\nOptions of every command:\n");
        foreach (var option in root.Options)
        {
            b.Append(OptionLine(option));
        }

        b.Append("""

            Settings: command-line option, then environment variable (OMNIREPORT_DB, OMNIREPORT_URLS, ...), then config
            file, then default (docs/configuration.md).

            Exit codes: 0 done (serve and demo: after Ctrl+C or SIGTERM, once requests in flight finish);
            1 failure (bad input file, rejected events with --strict, store unreachable, unexpected error);
            2 bad arguments or configuration; 130 interrupted by Ctrl+C (import, export, generate).

            """);
        return b.ToString();
    }
}
