using System.Diagnostics;
using OmniReport.Core.Settings;
using OmniReport.TestSupport;
using static OmniReport.Storage.Tests.StoreTestKit;

namespace OmniReport.Storage.Tests;

/// <summary>A rebuild running in one process while another process ingests into the same account.</summary>
public sealed partial class PostgresStoreTests
{
    [StoreFact]
    public async Task A_rebuild_in_one_process_while_another_imports_ends_like_a_single_writer()
    {
        var lines = SyntheticEvents.Generate(3000, seed: 31, agents: 12);
        var db = await NewDatabaseAsync();
        var setup = await OpenAsync(db, TimeProvider.System);
        await setup.CreateAccountAsync("acme");
        var file = Path.Combine(Path.GetTempPath(), $"omnireport-rebuild-{Guid.NewGuid():N}.ndjson");
        await File.WriteAllTextAsync(file, SyntheticEvents.Ndjson(lines));
        try
        {
            // The import in small batches, so it runs long enough; rebuilds in a second process, one after the other,
            // from its first stored batch until it has finished, and one more after.
            using var import = StartCli("import", file, "--account", "acme", "--db", db, "--batch-size", "100");
            var firstBatch = new TaskCompletionSource();
            var importErrors = Task.Run(async () =>
            {
                while (await import.StandardError.ReadLineAsync() is { } line)
                {
                    if (line.StartsWith("stored ", StringComparison.Ordinal))
                    {
                        firstBatch.TrySetResult();
                    }
                }
            });
            var importOut = import.StandardOutput.ReadToEndAsync();
            await firstBatch.Task.WaitAsync(TimeSpan.FromMinutes(2));
            var rebuilds = 0;
            var overlapping = 0;
            do
            {
                var running = !import.HasExited;
                using var rebuild = StartCli("rebuild", "--account", "acme", "--db", db);
                var output = await rebuild.StandardOutput.ReadToEndAsync();
                var errors = await rebuild.StandardError.ReadToEndAsync();
                await rebuild.WaitForExitAsync();
                Assert.True(rebuild.ExitCode == 0, errors);
                Assert.Contains("rebuilt", output, StringComparison.Ordinal);
                rebuilds++;
                overlapping += running && !import.HasExited ? 1 : 0;
            }
            while (!import.HasExited);

            await import.WaitForExitAsync();
            await importErrors;
            Assert.Equal(0, import.ExitCode);
            Assert.Contains($"imported {lines.Count} events", await importOut, StringComparison.Ordinal);
            Assert.True(overlapping > 0, $"no rebuild of the {rebuilds} ran wholly while the import did");

            var store = await OpenAsync(db, TimeProvider.System);
            var account = (await store.FindAccountAsync("acme"))!;
            var now = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();
            Assert.Equal(Reference(lines, AccountSettings.Default, now), await ReportsAsync(store, account.Id));
            var log = await store.ReadChangesAsync(account.Id, 0, int.MaxValue);
            Assert.Equal(Enumerable.Range(1, log.Count).Select(k => (long)k), log.Select(c => c.Sequence));
            Assert.Equal(new AccountProjection(account, ProjectionFormat.Current, false, false), (await store.ListProjectionsAsync()).Single());
            await AssertRollupsMatchRecordsAsync(store, account.Id, "rebuilds while importing");
        }
        finally
        {
            File.Delete(file);
        }
    }
}
