using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using OmniReport.Core.Settings;
using OmniReport.TestSupport;
using static OmniReport.Storage.Tests.StoreTestKit;

namespace OmniReport.Storage.Tests;

/// <summary>The store through the real <c>omnireport import</c> process: killed mid-import, and resumed.</summary>
public abstract partial class StoreContractTests
{
    private static readonly Regex Stored = new(@"^stored (\d+) events", RegexOptions.Compiled);

    [StoreFact]
    public async Task A_killed_import_leaves_exactly_the_batches_it_acknowledged_and_a_rerun_completes_it()
    {
        const int batch = 300;
        var db = await NewDatabaseAsync();
        var setup = await OpenAsync(db, TimeProvider.System);
        await setup.CreateAccountAsync("acme");
        var lines = SyntheticEvents.Generate(8000, seed: 21);
        var file = Path.Combine(Path.GetTempPath(), $"omnireport-crash-{Guid.NewGuid():N}.ndjson");
        await File.WriteAllTextAsync(file, SyntheticEvents.Ndjson(lines));
        try
        {
            // Acknowledged = the last "stored N events" line the process wrote before it was killed (lines
            // still in the pipe when it died count: they were written).
            long acknowledged = 0;
            using (var p = StartCli("import", file, "--account", "acme", "--db", db, "--batch-size", batch.ToString(CultureInfo.InvariantCulture)))
            {
                var seen = 0;
                while (await p.StandardError.ReadLineAsync() is { } line)
                {
                    if (Stored.Match(line) is { Success: true } m)
                    {
                        acknowledged = long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
                        if (++seen == 8)
                        {
                            p.Kill(); // SIGKILL: no cleanup, no flush
                        }
                    }
                }

                await p.WaitForExitAsync();
                Assert.True(acknowledged < lines.Count, "the import finished before it could be killed");
            }

            var store = await OpenAsync(db, TimeProvider.System);
            var account = (await store.FindAccountAsync("acme"))!;
            var now = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();
            var actual = await ReportsAsync(store, account.Id);
            // The kill may land between a commit and its line: then exactly one more whole batch is there.
            var asAcknowledged = Reference(lines.Take((int)acknowledged), AccountSettings.Default, now);
            var oneMore = Reference(lines.Take((int)acknowledged + batch), AccountSettings.Default, now);
            if (actual != asAcknowledged && actual != oneMore)
            {
                var match = Enumerable.Range(0, 60).Select(k => k * batch).FirstOrDefault(n => Reference(lines.Take(n), AccountSettings.Default, now) == actual, -1);
                Assert.Fail($"the store holds neither the {acknowledged} acknowledged events nor one batch more; it matches {match}");
            }

            using (var p = StartCli("import", file, "--account", "acme", "--db", db, "--batch-size", "5000"))
            {
                var output = await p.StandardOutput.ReadToEndAsync();
                await p.StandardError.ReadToEndAsync();
                await p.WaitForExitAsync();
                Assert.Equal(0, p.ExitCode);
                Assert.Contains($"imported {lines.Count} events", output, StringComparison.Ordinal);
            }

            Assert.Equal(Reference(lines, AccountSettings.Default, now), await ReportsAsync(store, account.Id));
        }
        finally
        {
            File.Delete(file);
        }
    }

    protected static Process StartCli(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "omnireport.dll"));
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        return Process.Start(psi)!;
    }
}
