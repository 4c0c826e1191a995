using System.Text;

namespace OmniReport.Cli.Tests;

/// <summary>What every command shares: --help, exit codes, one-line errors (traces only with --verbose).</summary>
public sealed class CommandLineTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("omnireport-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("demo")]
    [InlineData("serve")]
    [InlineData("derive")]
    [InlineData("generate")]
    [InlineData("accounts")]
    [InlineData("tokens")]
    [InlineData("clients")]
    [InlineData("connectors")]
    [InlineData("import")]
    [InlineData("export")]
    public async Task Help_of_every_command_exits_0_and_prints_its_usage_on_stdout(string command)
    {
        var (code, stdout, stderr) = await Run(command, "--help");
        Assert.Equal(0, code);
        Assert.Equal("", stderr);
        Assert.StartsWith($"omnireport {command}", stdout, StringComparison.Ordinal);
        Assert.Contains("--help", stdout, StringComparison.Ordinal);
        Assert.Contains("--config FILE", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("help")]
    public async Task Top_level_help_exits_0_and_lists_every_command_and_the_exit_codes(string flag)
    {
        var (code, stdout, _) = await Run(flag);
        Assert.Equal(0, code);
        foreach (var command in new[] { "demo", "serve", "derive", "generate", "accounts", "tokens", "clients", "connectors", "import", "export" })
        {
            Assert.Contains($"omnireport {command}", stdout, StringComparison.Ordinal);
        }

        Assert.Contains("Exit codes", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_arguments_or_an_unknown_command_or_option_exit_2()
    {
        Assert.Equal(2, (await Run()).Code);
        var unknown = await Run("frobnicate");
        Assert.Equal(2, unknown.Code);
        Assert.Contains("unknown command \"frobnicate\"", unknown.Stderr, StringComparison.Ordinal);
        var option = await Run("serve", "--port", "80");
        Assert.Equal(2, option.Code);
        Assert.Contains("unknown option --port", option.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_input_file_exits_1_in_one_line()
    {
        var (code, _, stderr) = await Run("derive", Path.Combine(_dir, "missing.ndjson"));
        Assert.Equal(1, code);
        Assert.Single(stderr.Trim().Split('\n'));
    }

    [Fact]
    public async Task An_unexpected_error_is_one_line_and_exit_1_and_the_trace_only_with_verbose()
    {
        var db = Path.Combine(_dir, "x.db");
        Assert.Equal(0, (await Run("accounts", "create", "acme", "--db", db)).Code);

        // Writing to /dev/full fails with an IOException nothing expects.
        var plain = await Run("export", "--db", db, "--account", "acme", "--report", "engagements", "--from", "2026-01-01T00:00:00Z", "--to", "2026-02-01T00:00:00Z", "--out", "/dev/full");
        Assert.Equal(1, plain.Code);
        Assert.StartsWith("omnireport export: error: ", plain.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", plain.Stderr, StringComparison.Ordinal);
        Assert.Contains("--verbose", plain.Stderr, StringComparison.Ordinal);

        var verbose = await Run("export", "--db", db, "--account", "acme", "--report", "engagements", "--from", "2026-01-01T00:00:00Z", "--to", "2026-02-01T00:00:00Z", "--out", "/dev/full", "--verbose");
        Assert.Equal(1, verbose.Code);
        Assert.StartsWith("omnireport export: error: ", verbose.Stderr, StringComparison.Ordinal);
        Assert.Contains("   at ", verbose.Stderr, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Stdout, string Stderr)> Run(params string[] args)
    {
        using var stdout = new MemoryStream();
        using var stderr = new StringWriter();
        var code = await CommandLine.RunAsync(args, new Terminal(stdout, stderr) { Variable = _ => null }, TimeProvider.System);
        return (code, Encoding.UTF8.GetString(stdout.ToArray()), stderr.ToString());
    }
}
