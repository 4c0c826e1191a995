using System.Text;
using OmniReport.TestSupport;

namespace OmniReport.Cli.Tests;

/// <summary><c>omnireport export</c>: the same file a report job (and derive) writes, and its errors.</summary>
public sealed class ExportCommandTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly string _dir = Directory.CreateTempSubdirectory("omnireport-export-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Theory]
    [InlineData("erc_omnichannel_report", "csv", "Europe/Lisbon")]
    [InlineData("engagements", "json", "UTC")]
    [InlineData("engagements", "json_bulk", "America/New_York")]
    public async Task Export_writes_what_derive_writes_for_the_same_events(string report, string format, string zone)
    {
        var events = Path.Combine(_dir, "events.ndjson");
        await File.WriteAllTextAsync(events, string.Concat(new[] { "messaging-basic", "transfers", "voice-calls", "report-fields" }
            .Select(n => Scenarios.ByName(n).EventsNdjson())));
        var db = Path.Combine(_dir, "store.db");
        Assert.Equal(0, (await Run("accounts", "create", "acme", "--db", db)).Code);
        Assert.Equal(0, (await Run("import", events, "--account", "acme", "--db", db)).Code);

        var outFile = Path.Combine(_dir, "out");
        var export = await Run("export", "--account", "acme", "--report", report, "--from", "2026-01-01 00:00:00", "--to", "2027-01-01 00:00:00",
            "--timezone", zone, "--format", format, "--out", outFile, "--db", db);
        Assert.True(export.Code == 0, export.Stderr);
        var derive = await Run("derive", events, "--now", "2026-06-01T00:00:00Z", "--report", report, "--format", format, "--timezone", zone);
        Assert.Equal(derive.Stdout, await File.ReadAllTextAsync(outFile));
        Assert.Contains("exported", export.Stderr);
    }

    /// <summary>
    /// Late events, deletions and duplicates imported in batches of 7, whose interactions run on across batches: SQLite
    /// plans each batch while the one before it is stored and plans again what that one changed; the store ends where
    /// derive ends.
    /// </summary>
    [Theory]
    [InlineData("engagements")]
    [InlineData("erc_omnichannel_report")]
    public async Task Export_after_an_import_in_small_batches_writes_what_derive_writes(string report)
    {
        var events = Path.Combine(_dir, "events.ndjson");
        await File.WriteAllLinesAsync(events, SyntheticEvents.RandomStream(new Random(3), 60, 3));
        var db = Path.Combine(_dir, "store.db");
        Assert.Equal(0, (await Run("accounts", "create", "acme", "--db", db)).Code);
        var import = await Run("import", events, "--account", "acme", "--batch-size", "7", "--db", db);
        Assert.True(import.Code == 0, import.Stderr);

        var outFile = Path.Combine(_dir, "out");
        var export = await Run("export", "--account", "acme", "--report", report, "--from", "2026-01-01 00:00:00", "--to", "2027-01-01 00:00:00",
            "--timezone", "UTC", "--format", "json", "--out", outFile, "--db", db);
        Assert.True(export.Code == 0, export.Stderr);
        var derive = await Run("derive", events, "--now", "2026-06-01T00:00:00Z", "--report", report, "--format", "json", "--timezone", "UTC");
        Assert.Equal(derive.Stdout, await File.ReadAllTextAsync(outFile));
        Assert.True(derive.Stdout.Length > 5000, "derive wrote almost nothing");
    }

    [Theory]
    [InlineData("--from", "yesterday", "--from:")]
    [InlineData("--format", "xml", "--format:")]
    [InlineData("--timezone", "Nowhere/Land", "--timezone:")]
    public async Task Bad_options_are_named(string option, string value, string message)
    {
        var args = new List<string> { "export", "--account", "acme", "--report", "engagements", "--from", "2026-01-01T00:00:00Z", "--to", "2026-02-01T00:00:00Z", "--db", Path.Combine(_dir, "x.db") };
        var i = args.IndexOf(option);
        if (i >= 0)
        {
            args[i + 1] = value;
        }
        else
        {
            args.AddRange([option, value]);
        }

        var r = await Run([.. args]);
        Assert.Equal(2, r.Code);
        Assert.Contains(message, r.Stderr);
    }

    [Fact]
    public async Task A_span_over_366_days_is_refused()
    {
        var r = await Run("export", "--account", "acme", "--report", "engagements", "--from", "2026-01-01T00:00:00Z", "--to", "2027-01-03T00:00:00Z");
        Assert.Equal(2, r.Code);
        Assert.Contains("366 days", r.Stderr);
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
