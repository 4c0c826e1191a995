using System.Text;
using OmniReport.TestSupport;

namespace OmniReport.Cli.Tests;

/// <summary><c>omnireport rebuild</c> and <c>omnireport --version</c>.</summary>
public sealed class RebuildCommandTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly string _dir = Directory.CreateTempSubdirectory("omnireport-rebuild-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Rebuild_recomputes_every_account_and_the_reports_stay_byte_identical()
    {
        var events = Path.Combine(_dir, "events.ndjson");
        await File.WriteAllTextAsync(events, string.Concat(new[] { "messaging-basic", "transfers", "voice-calls", "report-fields" }
            .Select(n => Scenarios.ByName(n).EventsNdjson())));
        var db = Path.Combine(_dir, "store.db");
        foreach (var account in new[] { "acme", "globex" })
        {
            Assert.Equal(0, (await Run("accounts", "create", account, "--db", db)).Code);
            Assert.Equal(0, (await Run("import", events, "--account", account, "--db", db)).Code);
        }

        var before = await ExportAsync(db, "acme", "engagements") + await ExportAsync(db, "globex", "erc_omnichannel_report");
        var all = await Run("rebuild", "--db", db);
        Assert.True(all.Code == 0, all.Stderr);
        Assert.Contains("of 2 account(s)", all.Stdout);
        Assert.Contains("interactions of account \"globex\"", all.Stderr); // progress lines, stderr not being a terminal

        var one = await Run("rebuild", "--account", "acme", "--db", db);
        Assert.True(one.Code == 0, one.Stderr);
        Assert.Contains("of 1 account(s)", one.Stdout);
        Assert.Equal(before, await ExportAsync(db, "acme", "engagements") + await ExportAsync(db, "globex", "erc_omnichannel_report"));
    }

    [Fact]
    public async Task Rebuild_of_an_unknown_account_fails_and_says_so()
    {
        var db = Path.Combine(_dir, "x.db");
        Assert.Equal(0, (await Run("accounts", "create", "somebody", "--db", db)).Code);
        var r = await Run("rebuild", "--account", "nobody", "--db", db);
        Assert.Equal(1, r.Code);
        Assert.Contains("no account named \"nobody\"", r.Stderr);
    }

    [Fact]
    public async Task Version_prints_the_version_and_the_projection_format()
    {
        var r = await Run("--version");
        Assert.Equal(0, r.Code);
        Assert.Matches($@"^omnireport \d+\.\d+\.\d+\S* \(projection format {OmniReport.Storage.ProjectionFormat.Current}\)\n$", r.Stdout);
    }

    private async Task<string> ExportAsync(string db, string account, string report)
    {
        var outFile = Path.Combine(_dir, $"{account}-{report}.csv");
        var r = await Run("export", "--account", account, "--report", report, "--from", "2026-01-01 00:00:00", "--to", "2027-01-01 00:00:00",
            "--format", "csv", "--out", outFile, "--db", db);
        Assert.True(r.Code == 0, r.Stderr);
        var text = await File.ReadAllTextAsync(outFile);
        Assert.True(text.Split('\n').Length > 3, text);
        return text;
    }

    private static async Task<(int Code, string Stdout, string Stderr)> Run(params string[] args)
    {
        using var stdout = new MemoryStream();
        using var stderr = new StringWriter();
        var code = await CommandLine.RunAsync(args, new Terminal(stdout, stderr), new FixedTime(Now));
        return (code, Encoding.UTF8.GetString(stdout.ToArray()), stderr.ToString());
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
