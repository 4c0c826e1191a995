using System.Text;
using OmniReport.TestSupport;

namespace OmniReport.Cli.Tests;

/// <summary>
/// <c>omnireport derive</c> parsing on several threads writes the same bytes as on one (<c>--parse-threads 1</c>, the
/// one-thread path), in every report and format, with rejected lines named alike and in file order: generated
/// events over several 1 MB chunks, late and duplicate deliveries, and SPEC §1's bad lines among them.
/// </summary>
public sealed class ParallelDeriveTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("omnireport-parallel-derive-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Derive_on_several_threads_writes_what_one_thread_writes_in_every_report_and_format()
    {
        var ndjson = await FaultyFileAsync();
        Assert.True(new FileInfo(ndjson).Length > 3 << 20, "the file spans several chunks");
        foreach (var report in new[] { "engagements", "erc_omnichannel_report" })
        {
            foreach (var format in new[] { "json", "json_bulk", "csv" })
            {
                string[] args = ["derive", ndjson, "--now", "2026-04-01T00:00:00Z", "--report", report, "--format", format, "--timezone", "Europe/Lisbon"];
                var one = await Run([.. args, "--parse-threads", "1"]);
                var three = await Run([.. args, "--parse-threads", "3"]);
                Assert.Equal(0, one.Code);
                Assert.Contains("rejected", one.Stderr, StringComparison.Ordinal);
                Assert.True(one.Stdout.Length > 100_000, $"{report} {format}: {one.Stdout.Length} bytes");
                Assert.Equal(one.Code, three.Code);
                Assert.True(one.Stdout.AsSpan().SequenceEqual(three.Stdout), $"{report} {format}: the outputs differ");
                Assert.Equal(one.Stderr, three.Stderr);
            }
        }
    }

    [Fact]
    public async Task Derive_of_a_json_array_on_several_threads_writes_what_one_thread_writes()
    {
        var ndjson = await FaultyFileAsync();
        var lines = (await File.ReadAllTextAsync(ndjson)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var array = Path.Combine(_dir, "events.json");
        await File.WriteAllTextAsync(array, "[\n" + string.Join(",\n", lines.Where(l => l.StartsWith('{') && l.EndsWith('}'))) + "\n]");
        string[] args = ["derive", array, "--now", "2026-04-01T00:00:00Z", "--report", "erc_omnichannel_report", "--format", "csv"];
        var one = await Run([.. args, "--parse-threads", "1"]);
        var two = await Run([.. args, "--parse-threads", "2"]);
        Assert.Equal(0, one.Code);
        Assert.Contains("rejected", one.Stderr, StringComparison.Ordinal);
        Assert.True(one.Stdout.AsSpan().SequenceEqual(two.Stdout));
        Assert.Equal(one.Stderr, two.Stderr);
    }

    /// <summary>30,000 generated events (5 % late, 2 % twice) with a bad line of SPEC §1 after every 500th.</summary>
    private async Task<string> FaultyFileAsync()
    {
        var generated = Path.Combine(_dir, "generated.ndjson");
        var (code, _, stderr) = await Run(["generate", "--events", "30000", "--seed", "18", "--late", "0.05", "--duplicates", "0.02", "--out", generated]);
        Assert.True(code == 0, stderr);
        var path = Path.Combine(_dir, "events.ndjson");
        await using var output = File.Create(path);
        var n = 0;
        foreach (var line in await File.ReadAllLinesAsync(generated))
        {
            await output.WriteAsync(Encoding.UTF8.GetBytes(line + "\n"));
            if (++n % 500 == 0)
            {
                await output.WriteAsync(HostileInput.Mixed[n / 500 % HostileInput.Mixed.Count].Bytes);
                await output.WriteAsync("\n"u8.ToArray());
            }
        }

        return path;
    }

    private static async Task<(int Code, byte[] Stdout, string Stderr)> Run(string[] args)
    {
        using var stdout = new MemoryStream();
        using var stderr = new StringWriter();
        var code = await CommandLine.RunAsync(args, new Terminal(stdout, stderr), TimeProvider.System);
        return (code, stdout.ToArray(), stderr.ToString());
    }
}
