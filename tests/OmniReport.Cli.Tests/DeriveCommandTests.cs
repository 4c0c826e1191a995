using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using OmniReport.TestSupport;

namespace OmniReport.Cli.Tests;

/// <summary><c>omnireport derive</c>: the shared scenarios, every format, and its errors.</summary>
public sealed class DeriveCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("omnireport-derive-").FullName;

    public static TheoryData<string> Names => Scenarios.Names();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Derive_gives_every_scenarios_expected_records(string name)
    {
        var s = Scenarios.ByName(name);
        var (events, settings) = Files(s);
        foreach (var (report, expected) in new[] { ("engagements", s.ExpectedEngagements), ("erc_omnichannel_report", s.ExpectedInteractions) })
        {
            var (code, stdout, stderr) = await Run("derive", events, "--settings", settings, "--now", s.Now, "--report", report, "--format", "json", "--timezone", "UTC");
            Assert.True(code == 0, stderr);
            Assert.Null(Scenarios.FirstDifference(JsonNode.Parse(stdout)!["entries"]!.AsArray(), expected));
            Assert.Equal(expected.Count, JsonNode.Parse(stdout)!["total"]!.GetValue<int>());
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Derive_reads_a_json_array_like_ndjson(string name)
    {
        var s = Scenarios.ByName(name);
        var (ndjson, settings) = Files(s);
        var array = Path.Combine(_dir, "events.json");
        await File.WriteAllTextAsync(array, s.Events.ToJsonString());
        var a = await Run("derive", ndjson, "--settings", settings, "--now", s.Now, "--format", "csv");
        var b = await Run("derive", array, "--settings", settings, "--now", s.Now, "--format", "csv");
        Assert.Equal(0, b.Code);
        Assert.Equal(a.Stdout, b.Stdout);
    }

    [Fact]
    public async Task Csv_has_a_header_in_field_order_crlf_and_empty_cells_for_null()
    {
        var s = Scenarios.ByName("voice-calls");
        var (events, settings) = Files(s);
        var (code, stdout, _) = await Run("derive", events, "--settings", settings, "--now", s.Now, "--report", "erc_omnichannel_report", "--format", "csv");
        Assert.Equal(0, code);
        var lines = stdout.Split("\r\n");
        Assert.Equal("interaction_id,waiting_time,start_date-time,end_date-time,duration,interaction_type,interaction_status,interaction_direction,agent_type,groups,agent_name,agent_id,external_id,name,contact,contact_id,disposition_name,transcription-recording,notes", lines[0]);
        Assert.Equal("c-1,11,2026-03-02 11:00:00,2026-03-02 11:00:37,37,VOICE,FINISHED,INBOUND,USER,agents,lishi xiao,654367b0b82ba35ce2d69439,,Luis,+351210000000,508,,,", lines[1]);
        Assert.Equal("", lines[^1]);
        Assert.DoesNotContain('\n', stdout.Replace("\r\n", "", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Csv_quotes_fields_with_commas_quotes_and_newlines()
    {
        var events = Path.Combine(_dir, "q.ndjson");
        await File.WriteAllTextAsync(events, """
            {"id":"1","type":"interaction.created","occurred_at":"2026-03-02T10:00:00Z","interaction_id":"q","channel":"email","requester":{"name":"Lima, \"Ana\"","contact":"a\nb"}}
            """);
        var (code, stdout, _) = await Run("derive", events, "--now", "2026-03-03T00:00:00Z", "--report", "erc_omnichannel_report", "--format", "csv");
        Assert.Equal(0, code);
        Assert.Contains(",\"Lima, \"\"Ana\"\"\",\"a\nb\",", stdout);
    }

    [Fact]
    public async Task Json_bulk_writes_one_entry_per_line()
    {
        var s = Scenarios.ByName("transfers");
        var (events, settings) = Files(s);
        var (code, stdout, _) = await Run("derive", events, "--settings", settings, "--now", s.Now, "--format", "json_bulk");
        Assert.Equal(0, code);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.Null(Scenarios.FirstDifference(new JsonArray(lines.Select(l => JsonNode.Parse(l)).ToArray()), s.ExpectedEngagements));
    }

    [Fact]
    public async Task Times_are_written_in_the_requested_zone_across_a_daylight_saving_change()
    {
        var events = Path.Combine(_dir, "dst.ndjson");
        // Lisbon moves from UTC+0 to UTC+1 at 01:00 UTC on 2026-03-29.
        await File.WriteAllTextAsync(events, """
            {"id":"1","type":"interaction.created","occurred_at":"2026-03-29T00:30:00Z","interaction_id":"a","channel":"email"}
            {"id":"2","type":"interaction.created","occurred_at":"2026-03-29T01:30:00Z","interaction_id":"b","channel":"email"}
            """);
        var (code, stdout, _) = await Run("derive", events, "--now", "2026-04-01T00:00:00Z", "--report", "erc_omnichannel_report", "--timezone", "Europe/Lisbon");
        Assert.Equal(0, code);
        var entries = JsonNode.Parse(stdout)!["entries"]!.AsArray();
        Assert.Equal("2026-03-29 00:30:00", entries[0]!["start_date-time"]!.GetValue<string>());
        Assert.Equal("2026-03-29 02:30:00", entries[1]!["start_date-time"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_malformed_event_is_named_on_stderr_and_the_valid_ones_still_count()
    {
        var events = Path.Combine(_dir, "bad.ndjson");
        await File.WriteAllTextAsync(events, """
            {"id":"1","type":"interaction.created","occurred_at":"2026-03-02T10:00:00Z","interaction_id":"x","channel":"email"}
            {"id":"2","type":"interaction.created","occurred_at":"2026-03-02T10:00:00Z","interaction_id":"y","channel":"fax"}
            not json at all

            {"id":"3","type":"interaction.created","occurred_at":"2026-03-02T10:00:00","interaction_id":"z","channel":"chat"}
            {"id":"4","type":"interaction.created","occurred_at":"2026-03-02T11:00:00+01:00","interaction_id":"w","channel":"chat"}
            """);
        var (code, stdout, stderr) = await Run("derive", events, "--now", "2026-03-03T00:00:00Z", "--report", "erc_omnichannel_report");
        Assert.Equal(0, code);
        // Named by line as an editor counts: from 1, the blank line included.
        Assert.Contains("line 2 (id \"2\"), field \"channel\"", stderr);
        Assert.Contains("line 3:", stderr);
        Assert.Contains("line 5 (id \"3\"), field \"occurred_at\"", stderr);
        var ids = JsonNode.Parse(stdout)!["entries"]!.AsArray().Select(e => e!["interaction_id"]!.GetValue<string>());
        Assert.Equal(["w", "x"], ids);

        var strict = await Run("derive", events, "--strict", "--now", "2026-03-03T00:00:00Z");
        Assert.Equal(1, strict.Code);
    }

    [Theory]
    [InlineData("--format", "xml", "--format must be json, json_bulk or csv")]
    [InlineData("--report", "calls", "--report must be engagements or erc_omnichannel_report")]
    [InlineData("--timezone", "Mars/Olympus", "--timezone must be an IANA time zone")]
    [InlineData("--now", "yesterday", "--now must be an RFC 3339 time")]
    [InlineData("--colour", "red", "unknown option --colour")]
    public async Task Bad_arguments_give_one_line_and_exit_2(string option, string value, string message)
    {
        var events = Path.Combine(_dir, "e.ndjson");
        await File.WriteAllTextAsync(events, "");
        var (code, stdout, stderr) = await Run("derive", events, option, value);
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Contains(message, stderr);
        Assert.DoesNotContain("   at ", stderr);
    }

    [Fact]
    public async Task A_missing_file_or_broken_array_exits_1_without_a_stack_trace()
    {
        var missing = await Run("derive", Path.Combine(_dir, "nope.ndjson"));
        Assert.Equal(1, missing.Code);
        Assert.Contains("cannot read", missing.Stderr);

        var broken = Path.Combine(_dir, "broken.json");
        await File.WriteAllTextAsync(broken, "[{\"id\":\"1\"}, ");
        var r = await Run("derive", broken);
        Assert.Equal(1, r.Code);
        Assert.Contains("not closed", r.Stderr);
        Assert.DoesNotContain("   at ", r.Stderr);
    }

    [Fact]
    public async Task Bad_settings_name_the_field()
    {
        var events = Path.Combine(_dir, "e.ndjson");
        await File.WriteAllTextAsync(events, "");
        var settings = Path.Combine(_dir, "s.json");
        await File.WriteAllTextAsync(settings, """{"business_hours":{"timezone":"Europe/Lisbon","weekly":[{"day":"mon","start":"09:00","end":"25:00"}]}}""");
        var (code, _, stderr) = await Run("derive", events, "--settings", settings);
        Assert.Equal(1, code);
        Assert.Contains("business_hours.weekly[0].end", stderr);
    }

    [Fact]
    public async Task The_launcher_at_the_repository_root_runs_derive()
    {
        var s = Scenarios.ByName("messaging-basic");
        var (events, settings) = Files(s);
        var psi = new ProcessStartInfo(Path.Combine(Scenarios.RepositoryRoot, "omnireport"))
        {
            ArgumentList = { "derive", events, "--settings", settings, "--now", s.Now },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var p = Process.Start(psi)!;
        var stdout = await p.StandardOutput.ReadToEndAsync();
        var stderr = await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        Assert.True(p.ExitCode == 0, stderr);
        Assert.Null(Scenarios.FirstDifference(JsonNode.Parse(stdout)!["entries"]!.AsArray(), s.ExpectedEngagements));
    }

    private (string Events, string Settings) Files(Scenario s)
    {
        var events = Path.Combine(_dir, $"{s.Name}.ndjson");
        var settings = Path.Combine(_dir, $"{s.Name}.settings.json");
        File.WriteAllText(events, s.EventsNdjson());
        File.WriteAllText(settings, s.Settings.ToJsonString());
        return (events, settings);
    }

    private static async Task<(int Code, string Stdout, string Stderr)> Run(params string[] args)
    {
        using var stdout = new MemoryStream();
        using var stderr = new StringWriter();
        var code = await CommandLine.RunAsync(args, new Terminal(stdout, stderr), TimeProvider.System);
        return (code, Encoding.UTF8.GetString(stdout.ToArray()), stderr.ToString());
    }
}
