using System.Text;
using OmniReport.Core.Events;

namespace OmniReport.Cli.Tests;

/// <summary><c>omnireport generate</c>: reproducible NDJSON that <c>derive</c> reads without complaint.</summary>
public sealed class GenerateCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("omnireport-generate-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Same_seed_gives_the_same_bytes_and_another_seed_other_bytes()
    {
        var a = await Run("generate", "--interactions", "200", "--seed", "42", "--late", "0.1", "--duplicates", "0.05");
        var b = await Run("generate", "--interactions", "200", "--seed", "42", "--late", "0.1", "--duplicates", "0.05");
        var c = await Run("generate", "--interactions", "200", "--seed", "43", "--late", "0.1", "--duplicates", "0.05");
        Assert.Equal(0, a.Code);
        Assert.Equal(a.Stdout, b.Stdout);
        Assert.NotEqual(a.Stdout, c.Stdout);
    }

    [Fact]
    public async Task Every_line_is_an_event_the_parser_accepts()
    {
        var (code, stdout, _) = await Run("generate", "--interactions", "300", "--channels", "email=1,voice=1,bot-only=1", "--timezone", "Europe/Lisbon");
        Assert.Equal(0, code);
        var parser = new EventParser();
        var lines = stdout.Split('\n');
        Assert.Equal("", lines[^1]);
        for (var i = 0; i < lines.Length - 1; i++)
        {
            Assert.True(parser.TryParse(lines[i], i, out _, out var error), error?.ToString());
        }
    }

    [Fact]
    public async Task Out_writes_the_file_and_derive_reads_it_without_rejecting_any_event()
    {
        var file = Path.Combine(_dir, "events.ndjson");
        var generated = await Run("generate", "--events", "3000", "--start", "2026-06-01", "--days", "2", "--out", file);
        Assert.Equal(0, generated.Code);
        Assert.Equal("", generated.Stdout);
        Assert.Equal(3000, File.ReadLines(file).Count());
        Assert.StartsWith("2026-06-0", File.ReadLines(file).First().Split("\"occurred_at\":\"")[1], StringComparison.Ordinal);
        var derived = await Run("derive", file, "--now", "2026-07-01T00:00:00Z", "--strict", "--format", "csv");
        Assert.True(derived.Code == 0, derived.Stderr);
        Assert.Equal("", derived.Stderr);
        Assert.True(derived.Stdout.Split("\r\n").Length > 100);
    }

    [Fact]
    public async Task Help_describes_the_options()
    {
        var (code, stderr, _) = await Run("generate", "--help");
        Assert.Equal(0, code);
        foreach (var option in new[] { "--seed", "--interactions", "--events", "--days", "--agents", "--groups", "--channels", "--late", "--duplicates", "--start", "--out" })
        {
            Assert.Contains(option, stderr, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("--interactions", "0")]
    [InlineData("--seed", "-1")]
    [InlineData("--late", "2")]
    [InlineData("--start", "March")]
    [InlineData("--timezone", "Mars/Olympus")]
    [InlineData("--channels", "fax=1")]
    [InlineData("--agents", "1")]
    public async Task Bad_options_exit_2_naming_the_option(string option, string value)
    {
        var (code, stdout, stderr) = await Run("generate", option, value);
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Contains(option == "--agents" ? "agents" : option, stderr, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Stdout, string Stderr)> Run(params string[] args)
    {
        using var stdout = new MemoryStream();
        using var stderr = new StringWriter();
        var code = await CommandLine.RunAsync(args, new Terminal(stdout, stderr), TimeProvider.System);
        return (code, Encoding.UTF8.GetString(stdout.ToArray()), stderr.ToString());
    }
}
