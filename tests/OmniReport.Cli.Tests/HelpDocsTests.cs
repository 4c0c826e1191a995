using System.Text;
using System.Text.RegularExpressions;
using OmniReport.Cli.Settings;

namespace OmniReport.Cli.Tests;

/// <summary><c>omnireport --help</c>, each <c>COMMAND --help</c> and docs/configuration.md tell the same story.</summary>
public sealed partial class HelpDocsTests
{
    private static readonly string[] Commands = [.. CommandLine.Root.Subcommands.Select(c => c.Name)];

    [Fact]
    public async Task Every_setting_is_one_row_of_the_configuration_table_with_its_variable_default_and_the_commands_whose_help_shows_it()
    {
        var rows = TableRows().Matches(await File.ReadAllTextAsync(Path.Combine(DemoTests.RepositoryRoot(), "docs", "configuration.md")))
            .ToDictionary(m => m.Groups["option"].Value, m => m);
        var helps = new Dictionary<string, string>();
        foreach (var command in Commands)
        {
            helps[command] = (await Run(command, "--help")).Stdout;
        }

        Assert.Equal([.. Setting.All.Select(s => $"--{s.Name} {s.Placeholder}"), "--config FILE"], rows.Keys);
        foreach (var s in Setting.All)
        {
            var row = rows[$"--{s.Name} {s.Placeholder}"];
            Assert.Equal(s.Variable, row.Groups["variable"].Value);
            Assert.Equal(s.Default ?? "./omnireport.db", row.Groups["default"].Value);
            var documented = row.Groups["used"].Value.Split(", ").ToHashSet();
            var shown = Commands.Where(c => helps[c].Contains($"\n  --{s.Name} {s.Placeholder} ", StringComparison.Ordinal)).ToHashSet();
            if (s == Setting.Db)
            {
                // demo has a --db of its own, from its command line only (the row says so): never the configured store.
                Assert.Contains("`demo` takes `--db` from its command line only", row.Value, StringComparison.Ordinal);
                shown.Remove("demo");
            }

            Assert.True(documented.SetEquals(shown), $"--{s.Name}: docs say {string.Join(", ", documented)}; --help of {string.Join(", ", shown)}");
            foreach (var c in shown)
            {
                Assert.Contains(s.Default is null ? s.Description : $"(default {s.Default})", helps[c], StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task The_overview_lists_every_command_with_the_usage_line_of_its_own_help()
    {
        var overview = (await Run("--help")).Stdout;
        foreach (var command in Commands)
        {
            var help = (await Run(command, "--help")).Stdout;
            foreach (var usage in help.Split('\n').Where(l => l.StartsWith($"omnireport {command}", StringComparison.Ordinal)))
            {
                Assert.Contains("  " + usage + "\n", overview, StringComparison.Ordinal);
            }

            Assert.Contains("--config FILE", help, StringComparison.Ordinal);
            Assert.Contains("--verbose", help, StringComparison.Ordinal);
        }
    }

    private static async Task<(int Code, string Stdout)> Run(params string[] args)
    {
        using var stdout = new MemoryStream();
        var code = await CommandLine.RunAsync(args, new Terminal(stdout, TextWriter.Null) { Variable = _ => null }, TimeProvider.System);
        Assert.Equal(0, code);
        return (code, Encoding.UTF8.GetString(stdout.ToArray()));
    }

    [GeneratedRegex(@"^\| `(?<option>--[a-z-]+ [A-Z]+)` \| `(?<variable>[A-Z_]+)` \| `?(?<default>[^`|]+?)`?(?: if present)? \| (?<used>[a-z, ]+) \|.*", RegexOptions.Multiline)]
    private static partial Regex TableRows();
}
