using System.Text;
using Microsoft.Extensions.Logging;
using OmniReport.Cli.Commands;
using OmniReport.Cli.Settings;

namespace OmniReport.Cli.Tests;

/// <summary>
/// One way to configure every command (docs/configuration.md): command-line option, then environment variable,
/// then config file (--config FILE, else $OMNIREPORT_CONFIG, else ./omnireport.json), then default.
/// </summary>
public sealed class ConfigurationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("omnireport-config-").FullName;
    private readonly Dictionary<string, string> _env = [];

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Default_when_nothing_sets_it()
    {
        var a = Args();
        Assert.Equal(("700", "default"), a.Get(Setting.RateLimit));
        Assert.Equal((null, "default"), a.Get(Setting.Db));
    }

    [Fact]
    public void Config_file_in_the_working_directory_over_the_default()
    {
        File.WriteAllText(Path.Combine(_dir, "omnireport.json"), """{"rate-limit": 50, "urls": "http://127.0.0.1:9000"}""");
        var a = Args();
        Assert.Equal("50", a.Text(Setting.RateLimit));
        Assert.Equal("http://127.0.0.1:9000", a.Text(Setting.Urls));
        Assert.Equal("7d", a.Text(Setting.ReportRetention));
    }

    [Fact]
    public void Environment_variable_over_the_config_file()
    {
        File.WriteAllText(Path.Combine(_dir, "omnireport.json"), """{"rate-limit": 50}""");
        _env["OMNIREPORT_RATE_LIMIT"] = "60";
        Assert.Equal(("60", "$OMNIREPORT_RATE_LIMIT"), Args().Get(Setting.RateLimit));
    }

    [Fact]
    public void Command_line_option_over_the_environment_variable()
    {
        File.WriteAllText(Path.Combine(_dir, "omnireport.json"), """{"rate-limit": 50}""");
        _env["OMNIREPORT_RATE_LIMIT"] = "60";
        Assert.Equal(("70", "--rate-limit"), Args("--rate-limit", "70").Get(Setting.RateLimit));
    }

    [Fact]
    public void Config_option_over_OMNIREPORT_CONFIG_over_the_working_directory_file()
    {
        File.WriteAllText(Path.Combine(_dir, "omnireport.json"), """{"report-workers": 1}""");
        var fromEnv = Path.Combine(_dir, "env.json");
        File.WriteAllText(fromEnv, """{"report-workers": 3}""");
        var fromOption = Path.Combine(_dir, "option.json");
        File.WriteAllText(fromOption, """{"report-workers": 4}""");
        Assert.Equal("1", Args().Text(Setting.ReportWorkers));
        _env["OMNIREPORT_CONFIG"] = fromEnv;
        Assert.Equal("3", Args().Text(Setting.ReportWorkers));
        Assert.Equal("4", Args("--config", fromOption).Text(Setting.ReportWorkers));
    }

    [Fact]
    public void Service_options_come_from_all_three_sources()
    {
        var file = Path.Combine(_dir, "settings.json");
        File.WriteAllText(file, """
            // comments are allowed
            {"job-lease": "45s", "report-retention": "2d", "max-ingest-events": 500, "log-level": "warning", "sweep-interval": "5s"}
            """);
        _env["OMNIREPORT_SWEEP_INTERVAL"] = "250ms";
        _env["OMNIREPORT_MAX_INGEST_BYTES"] = "2048";
        var options = ServeCommand.ReadOptions(Args("--config", file, "--report-workers", "0", "--max-ingest-bytes", "4096"));
        Assert.Equal(TimeSpan.FromSeconds(45), options.ReportJobLease);
        Assert.Equal(TimeSpan.FromDays(2), options.ReportRetention);
        Assert.Equal(500, options.MaxIngestEvents);
        Assert.Equal(LogLevel.Warning, options.MinimumLogLevel);
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.SweepInterval);
        Assert.Equal(4096, options.MaxIngestBytes);
        Assert.Equal(0, options.ReportWorkers);
        Assert.Equal(700, options.RateLimitPerMinute);
    }

    [Theory]
    [InlineData("30s", 30)]
    [InlineData("5m", 300)]
    [InlineData("1.5h", 5400)]
    [InlineData("7d", 604800)]
    [InlineData("500ms", 0.5)]
    [InlineData("12", 12)]
    public void Durations_take_a_unit(string text, double seconds)
    {
        Assert.True(Values.TryDuration(text, out var d));
        Assert.Equal(seconds, d.TotalSeconds);
    }

    [Fact]
    public async Task A_bad_value_exits_2_naming_where_it_came_from()
    {
        _env["OMNIREPORT_RATE_LIMIT"] = "lots";
        var (code, _, stderr) = await Run("serve");
        Assert.Equal(2, code);
        Assert.Contains("rate-limit (from $OMNIREPORT_RATE_LIMIT) must be a whole number", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_key_or_bad_json_in_the_config_file_exits_2()
    {
        var file = Path.Combine(_dir, "typo.json");
        File.WriteAllText(file, """{"rate_limit": 5}""");
        var typo = await Run("serve", "--config", file);
        Assert.Equal(2, typo.Code);
        Assert.Contains("unknown setting \"rate_limit\"", typo.Stderr, StringComparison.Ordinal);
        File.WriteAllText(file, "{not json");
        Assert.Equal(2, (await Run("serve", "--config", file)).Code);
        Assert.Equal(2, (await Run("serve", "--config", Path.Combine(_dir, "missing.json"))).Code);
    }

    [Fact]
    public async Task OMNIREPORT_DB_chooses_the_store_of_every_command()
    {
        var db = Path.Combine(_dir, "from-env.db");
        _env["OMNIREPORT_DB"] = db;
        Assert.Equal(0, (await Run("accounts", "create", "acme")).Code);
        Assert.True(File.Exists(db));
        var token = await Run("tokens", "create", "--account", "acme");
        Assert.Equal(0, token.Code);
        Assert.StartsWith("omr_", token.Stdout, StringComparison.Ordinal);
    }

    private Configuration Args(params string[] args) => Configuration.Load(CommandLine.Root.Parse(["serve", .. args]), Console());

    private Terminal Console() => new(Stream.Null, TextWriter.Null) { Variable = n => _env.GetValueOrDefault(n), WorkingDirectory = _dir };

    private async Task<(int Code, string Stdout, string Stderr)> Run(params string[] args)
    {
        using var stdout = new MemoryStream();
        using var stderr = new StringWriter();
        var code = await CommandLine.RunAsync(args, new Terminal(stdout, stderr) { Variable = n => _env.GetValueOrDefault(n), WorkingDirectory = _dir }, TimeProvider.System);
        return (code, Encoding.UTF8.GetString(stdout.ToArray()), stderr.ToString());
    }
}
