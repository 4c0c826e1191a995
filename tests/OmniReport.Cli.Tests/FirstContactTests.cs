using System.Text;
using System.Text.RegularExpressions;
using OmniReport.Cli.Commands;
using OmniReport.Cli.Settings;
using OmniReport.TestSupport;

namespace OmniReport.Cli.Tests;

/// <summary>What a new user tripped over in the first ten minutes (docs/decisions.md, issue 16), each tried as they did.</summary>
public sealed partial class FirstContactTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("omnireport-first-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Version_prints_the_version_and_exits_0()
    {
        var (code, stdout, stderr) = await Run("--version");
        Assert.Equal(0, code);
        Assert.Equal("", stderr);
        Assert.Matches(@"^omnireport \d+\.\d+\.\d+\S* \(projection format \d+\)\n$", stdout);
    }

    [Theory]
    [InlineData("serve", "--urls", "notaurl")]
    [InlineData("serve", "--urls", "ftp://127.0.0.1:21")]
    [InlineData("demo", "--urls", "notaurl")]
    public async Task A_bad_address_exits_2_with_one_line_and_nothing_on_stdout(params string[] args)
    {
        var (code, stdout, stderr) = await Run(args);
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Single(stderr.TrimEnd().Split('\n'));
        Assert.Contains("--urls must be one or more URLs", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_config_file_that_is_not_JSON_names_the_line_as_an_editor_counts_and_not_the_parsers_internals()
    {
        File.WriteAllText(Path.Combine(_dir, "bad.json"), "{\n  \"rate-limit\": 5,\n  oops\n}");
        var (code, _, stderr) = await Run("serve", "--config", Path.Combine(_dir, "bad.json"));
        Assert.Equal(2, code);
        Assert.Contains("is not valid JSON (line 3,", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("BytePositionInLine", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.TrimEnd().Split('\n'));
    }

    [Theory]
    [InlineData("export", "--account", "acme", "--report", "engagements", "--from", "2026-01-01", "--to", "2026-02-01")]
    [InlineData("import", "EVENTS", "--account", "acme")]
    [InlineData("tokens", "create", "--account", "acme")]
    public async Task A_database_file_that_does_not_exist_is_named_and_not_created(params string[] args)
    {
        var db = Path.Combine(_dir, "typo.db");
        var events = Path.Combine(_dir, "events.ndjson");
        File.WriteAllText(events, Scenarios.ByName("transfers").EventsNdjson());
        var (code, _, stderr) = await Run([.. args.Select(a => a == "EVENTS" ? events : a), "--db", db]);
        Assert.Equal(1, code);
        Assert.Contains($"no database at {db}", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("accounts create acme", stderr.Replace("NAME", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.False(File.Exists(db));
    }

    [Fact]
    public async Task Import_reports_each_stored_batch_and_its_final_line_once_when_the_count_is_a_multiple_of_the_batch_size()
    {
        var db = Path.Combine(_dir, "store.db");
        Assert.Equal(0, (await Run("accounts", "create", "acme", "--db", db)).Code);
        var lines = Scenarios.ByName("transfers").EventsNdjson().Split('\n', StringSplitOptions.RemoveEmptyEntries).Take(4);
        var events = Path.Combine(_dir, "four.ndjson");
        File.WriteAllText(events, string.Join('\n', lines) + "\n");
        var (code, stdout, stderr) = await Run("import", events, "--account", "acme", "--batch-size", "2", "--db", db);
        Assert.Equal(0, code);
        Assert.Equal(["stored 2 events", "stored 4 events"], StoredLine().Matches(stderr).Select(m => m.Value));
        Assert.StartsWith("imported 4 events into account \"acme\"", stdout, StringComparison.Ordinal);
        Assert.Single(stdout.TrimEnd().Split('\n'));
    }

    [Fact]
    public async Task Import_stores_smaller_batches_first_doubling_up_to_the_batch_size()
    {
        var db = Path.Combine(_dir, "ramp.db");
        var events = Path.Combine(_dir, "ramp.ndjson");
        Assert.Equal(0, (await Run("generate", "--events", "25000", "--seed", "3", "--out", events)).Code);
        Assert.Equal(0, (await Run("accounts", "create", "acme", "--db", db)).Code);
        var (code, stdout, stderr) = await Run("import", events, "--account", "acme", "--batch-size", "12000", "--db", db);
        Assert.Equal(0, code);

        // 5,000, then 10,000, then at most the batch size: the last 10,000 in one batch.
        Assert.Equal(["stored 5000 events", "stored 15000 events", "stored 25000 events"], StoredLine().Matches(stderr).Select(m => m.Value));
        Assert.Contains("25000 accepted, 0 duplicates, 0 rejected", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_refuses_interactions_and_events_together()
    {
        var (code, stdout, stderr) = await Run("generate", "--interactions", "10", "--events", "10");
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Contains("--interactions or --events, not both", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_takes_dates_and_names_its_own_options_in_errors()
    {
        var db = Path.Combine(_dir, "store.db");
        Assert.Equal(0, (await Run("accounts", "create", "acme", "--db", db)).Code);
        var ok = await Run("export", "--account", "acme", "--report", "engagements", "--from", "2026-03-02", "--to", "2026-03-09", "--db", db);
        Assert.True(ok.Code == 0, ok.Stderr);
        Assert.StartsWith("{\"entries\":[]", ok.Stdout, StringComparison.Ordinal);

        var backwards = await Run("export", "--account", "acme", "--report", "engagements", "--from", "2026-03-09", "--to", "2026-03-02", "--db", db);
        Assert.Equal(2, backwards.Code);
        Assert.Contains("--to: must be later than --from", backwards.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("timespan", backwards.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Derive_on_a_directory_says_it_is_a_directory()
    {
        var (code, _, stderr) = await Run("derive", _dir);
        Assert.Equal(1, code);
        Assert.Contains("is a directory", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("denied", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("import", "events.ndjson")]
    [InlineData("export", "--account", "acme")]
    public async Task An_unknown_command_or_a_missing_option_is_one_line_pointing_to_help(params string[] args)
    {
        var (code, _, stderr) = await Run(args);
        Assert.Equal(2, code);
        Assert.Single(stderr.TrimEnd().Split('\n'));
        Assert.Contains("--help)", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("text", false)]
    [InlineData("json", true)]
    public void Log_format_chooses_short_text_lines_or_json(string format, bool json)
    {
        var settings = Configuration.Load(CommandLine.Root.Parse(["serve", "--log-format", format]), new Terminal(Stream.Null, TextWriter.Null) { Variable = _ => null, WorkingDirectory = _dir });
        Assert.Equal(json, ServeCommand.ReadOptions(settings).JsonLogs);
    }

    [Fact]
    public async Task A_second_demo_in_the_same_folder_stops_with_a_word_instead_of_replacing_the_database_of_the_first()
    {
        var db = Path.Combine(_dir, DemoCommand.DefaultFile);
        await File.WriteAllTextAsync(db, "the first demo's data");
        using (new FileStream(db + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
        {
            var (code, stdout, stderr) = await Run("demo", "--urls", "http://127.0.0.1:0");
            Assert.Equal(1, code);
            Assert.Equal("", stdout);
            Assert.Contains("another demo is running in this folder", stderr, StringComparison.Ordinal);
        }

        Assert.Equal("the first demo's data", await File.ReadAllTextAsync(db));
    }

    [Theory]
    [InlineData("{\"inactivity_timeout_minutes\": 5,\n oops}")]
    [InlineData("")]
    public async Task Settings_that_are_not_JSON_name_the_line_from_1_and_not_the_parsers_internals(string json)
    {
        var settings = Path.Combine(_dir, "settings.json");
        var events = Path.Combine(_dir, "events.ndjson");
        await File.WriteAllTextAsync(settings, json);
        await File.WriteAllTextAsync(events, Scenarios.ByName("transfers").EventsNdjson());
        var (code, _, stderr) = await Run("derive", events, "--settings", settings);
        Assert.Equal(1, code);
        Assert.Contains("is not valid JSON", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("BytePositionInLine", stderr, StringComparison.Ordinal);
        if (json.Length > 0)
        {
            Assert.Contains("(line 2, column", stderr, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_READMEs_inline_events_do_not_share_an_interaction_with_the_example_file()
    {
        var root = DemoTests.RepositoryRoot();
        var readme = InteractionId().Matches(File.ReadAllText(Path.Combine(root, "README.md"))).Select(m => m.Groups[1].Value).ToHashSet();
        var example = InteractionId().Matches(File.ReadAllText(Path.Combine(root, "tests", "data", "example.ndjson"))).Select(m => m.Groups[1].Value).ToHashSet();
        Assert.NotEmpty(readme);
        Assert.NotEmpty(example);
        Assert.Empty(readme.Intersect(example));
    }

    private async Task<(int Code, string Stdout, string Stderr)> Run(params string[] args)
    {
        using var stdout = new MemoryStream();
        using var stderr = new StringWriter();
        var code = await CommandLine.RunAsync(args, new Terminal(stdout, stderr) { Variable = _ => null, WorkingDirectory = _dir }, TimeProvider.System);
        return (code, Encoding.UTF8.GetString(stdout.ToArray()), stderr.ToString());
    }

    [GeneratedRegex("^stored \\d+ events", RegexOptions.Multiline)]
    private static partial Regex StoredLine();

    [GeneratedRegex("\"interaction_id\": ?\"([^\"]+)\"")]
    private static partial Regex InteractionId();
}
