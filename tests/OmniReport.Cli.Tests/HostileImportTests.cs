using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Npgsql;
using OmniReport.TestSupport;

namespace OmniReport.Cli.Tests;

/// <summary>
/// SPEC §1 "Bad input" through <c>import</c> (SQLite and PostgreSQL) and <c>derive</c>: rejected lines are named by
/// line number as an editor counts, the command goes on past them, and every valid event of the file is stored.
/// </summary>
public sealed class HostileImportTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly string _dir = Directory.CreateTempSubdirectory("omnireport-hostile-").FullName;
    private readonly List<string> _schemas = [];

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
        if (_schemas.Count > 0)
        {
            NpgsqlConnection.ClearAllPools();
            using var c = new NpgsqlConnection(PostgresServer);
            c.Open();
            foreach (var s in _schemas)
            {
                using var cmd = new NpgsqlCommand($"DROP SCHEMA {s} CASCADE", c);
                cmd.ExecuteNonQuery();
            }
        }
    }

    private static string? PostgresServer => TestEnvironment.PostgresServer;

    private static bool PostgresRequired => TestEnvironment.PostgresRequired;

    /// <summary>The stores to run on: a SQLite file, and a PostgreSQL schema when a server is given (required in CI).</summary>
    private List<string> Stores()
    {
        var stores = new List<string> { Path.Combine(_dir, $"s{Guid.NewGuid():N}.db") };
        if (PostgresServer is null)
        {
            Assert.False(PostgresRequired, "PostgreSQL is required but OMNIREPORT_TEST_POSTGRES is not set");
            return stores;
        }

        var schema = $"cli_{Guid.NewGuid():N}";
        using (var c = new NpgsqlConnection(PostgresServer))
        {
            c.Open();
            using var cmd = new NpgsqlCommand($"CREATE SCHEMA {schema}", c);
            cmd.ExecuteNonQuery();
        }

        _schemas.Add(schema);
        stores.Add(new NpgsqlConnectionStringBuilder(PostgresServer) { SearchPath = schema }.ConnectionString);
        return stores;
    }

    [Fact]
    public async Task Import_rejects_each_hostile_line_alone_by_line_number_and_stores_the_rest_on_both_stores()
    {
        var lines = HostileInput.Mixed;
        var valid = lines.Count(HostileInput.IsValid);
        foreach (var db in Stores())
        {
            var account = $"a{Guid.NewGuid():N}";
            Assert.Equal(0, (await Run("accounts", "create", account, "--db", db)).Code);
            foreach (var (name, bytes) in new[] { ("mixed.ndjson", HostileInput.Ndjson(lines)), ("mixed.json", HostileInput.Array(lines)) })
            {
                var file = Path.Combine(_dir, name);
                await File.WriteAllBytesAsync(file, bytes);
                var r = await Run("import", file, "--account", account, "--db", db);
                Assert.True(r.Code == 0, r.Stderr);
                var first = name.EndsWith(".ndjson", StringComparison.Ordinal);
                Assert.Contains($"{(first ? valid : 0)} accepted, {(first ? 0 : valid)} duplicates, {lines.Count - valid} rejected", r.Stdout, StringComparison.Ordinal);
                for (var i = 0; i < lines.Count; i++)
                {
                    var line = lines[i];
                    if (HostileInput.IsValid(line))
                    {
                        continue;
                    }

                    // NDJSON: line i+1 (the byte-order mark is no line); the array has one element per line as well.
                    var id = line.Id is null ? "" : $" (id \"{line.Id}\")";
                    var field = line.Field is null ? "" : $", field \"{line.Field}\"";
                    Assert.Contains($"rejected: line {i + 1}{id}{field}: ", r.Stderr, StringComparison.Ordinal);
                }

                Assert.DoesNotContain(new string('x', 101), r.Stderr, StringComparison.Ordinal);
            }

            // The rejected ids were not half-stored: valid events with those ids are accepted now.
            var repaired = Path.Combine(_dir, "repaired.ndjson");
            var ids = lines.Where(l => !HostileInput.IsValid(l) && l.Id!.Length < 100).Select(l => l.Id!).ToList();
            await File.WriteAllLinesAsync(repaired, ids.Select(Ended));
            var again = await Run("import", repaired, "--account", account, "--db", db);
            Assert.Contains($"{ids.Count} accepted, 0 duplicates, 0 rejected", again.Stdout, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Import_of_a_120000_line_file_with_a_bad_line_at_110000_stores_every_other_line()
    {
        var file = Path.Combine(_dir, "big.ndjson");
        await using (var w = new StreamWriter(file, false, new UTF8Encoding(false)))
        {
            for (var i = 1; i <= 120_000; i++)
            {
                if (i == 110_000)
                {
                    await w.FlushAsync();
                    w.BaseStream.Write(Encoding.UTF8.GetBytes($"{{\"id\":\"e{i}\",\"type\":\"offer.created\",\"occurred_at\":\"2026-03-02T09:00:00Z\",\"interaction_id\":\"i{i}\",\"agent_id\":\"7\",\"agent_name\":\"A"));
                    w.BaseStream.Write([0xFF, 0xFE]);
                    w.BaseStream.Write("\"}\n"u8);
                    continue;
                }

                await w.WriteLineAsync($"{{\"id\":\"e{i}\",\"type\":\"interaction.created\",\"occurred_at\":\"2026-03-02T09:00:00Z\",\"interaction_id\":\"i{i % 5000}\",\"channel\":\"email\"}}");
            }
        }

        var db = Path.Combine(_dir, "big.db");
        Assert.Equal(0, (await Run("accounts", "create", "acme", "--db", db)).Code);
        var r = await Run("import", file, "--account", "acme", "--db", db, "--batch-size", "20000");
        Assert.True(r.Code == 0, r.Stderr);
        Assert.Contains("imported 120000 events", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("119999 accepted, 0 duplicates, 1 rejected", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("rejected: line 110000 (id \"e110000\"), field \"agent_name\": holds bytes that are not UTF-8", r.Stderr, StringComparison.Ordinal);

        var again = await Run("import", file, "--account", "acme", "--db", db);
        Assert.Contains("0 accepted, 119999 duplicates, 1 rejected", again.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_of_a_broken_array_stores_what_came_before_the_break_and_exits_1()
    {
        var file = Path.Combine(_dir, "broken.json");
        await File.WriteAllTextAsync(file, $"[\n{Ended("a-1")},\n{Ended("a-2")},\n{{\"id\":\"a-3\",");
        var db = Path.Combine(_dir, "broken.db");
        Assert.Equal(0, (await Run("accounts", "create", "acme", "--db", db)).Code);
        var r = await Run("import", file, "--account", "acme", "--db", db);
        Assert.Equal(1, r.Code);
        Assert.Contains("2 accepted, 0 duplicates, 1 rejected", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("line 4, element 2: the JSON array ends inside an element; nothing after it was read", r.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Derive_names_each_hostile_line_and_reports_the_valid_events()
    {
        var file = Path.Combine(_dir, "mixed.ndjson");
        await File.WriteAllBytesAsync(file, HostileInput.Ndjson(HostileInput.Mixed));
        var r = await Run("derive", file, "--now", "2026-03-03T00:00:00Z", "--report", "erc_omnichannel_report", "--format", "json_bulk");
        Assert.True(r.Code == 0, r.Stderr);
        Assert.Contains("rejected, 3 used", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("line 13 (id \"h-11\"), field \"occurred_at\": \"9999-12-31T23:51:00-01:00\" is outside the years 0001–9999 in UTC", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("line 6 (id \"h-5\"), field \"interaction_id\": must not contain U+0000", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("line 2 (id \"h-1\"), field \"agent_name\": holds bytes that are not UTF-8", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("line 12 (id \"h-10\"), field \"agent_id\": is given twice", r.Stderr, StringComparison.Ordinal);
        var record = JsonDocument.Parse(r.Stdout.Trim()).RootElement;
        Assert.Equal("i-1", record.GetProperty("interaction_id").GetString());
        Assert.Equal("Ann \U0001F600", record.GetProperty("agent_name").GetString());
    }

    [Fact]
    public async Task Derive_of_a_broken_array_writes_the_report_of_what_came_before_and_exits_1()
    {
        var file = Path.Combine(_dir, "broken.json");
        var created = "{\"id\":\"c\",\"type\":\"interaction.created\",\"occurred_at\":\"2026-03-02T09:00:00Z\",\"interaction_id\":\"i-9\",\"channel\":\"email\"}";
        await File.WriteAllTextAsync(file, $"[{created},\n{Ended("d")} {Ended("e")}]");
        var r = await Run("derive", file, "--now", "2026-03-03T00:00:00Z", "--report", "erc_omnichannel_report", "--format", "json_bulk");
        Assert.Equal(1, r.Code);
        Assert.Contains("line 2, element 2: expected , or ] after array element 1", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("\"interaction_id\":\"i-9\"", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_of_fuzzed_files_never_fails_and_stores_exactly_the_valid_events_on_both_stores()
    {
        // The same fixed seeds on each store (reproducible), then fresh ones for two seconds a store.
        foreach (var db in Stores())
        {
            await FuzzImportAsync(db, TimeSpan.FromSeconds(2));
        }
    }

    private async Task FuzzImportAsync(string db, TimeSpan randomRun)
    {
        var clock = Stopwatch.StartNew();
        for (var n = 0; n < 25 || clock.Elapsed < randomRun; n++)
        {
            var seed = n < 25 ? 23_000 + n : Random.Shared.Next();
            var random = new Random(seed);
            var ndjson = random.Next(2) == 0;
            var body = HostileInput.Mutated(random, ndjson, random.Next(1, 40), $"f{seed}");
            var file = Path.Combine(_dir, ndjson ? "fuzz.ndjson" : "fuzz.json");
            await File.WriteAllBytesAsync(file, body);
            var account = $"f{n}";
            Assert.Equal(0, (await Run("accounts", "create", account, "--db", db)).Code);
            var r = await Run("import", file, "--account", account, "--db", db);
            var (records, brokenFile) = HostileInput.FileRecords(body);
            var what = $"{(db.EndsWith(".db", StringComparison.Ordinal) ? "SQLite" : "PostgreSQL")}, seed {seed}: {Encoding.UTF8.GetString(body)}\n{r.Stdout}\n{r.Stderr}";
            Assert.True(r.Code == (brokenFile ? 1 : 0), what);
            var valid = records.Where(x => x.Event is not null).Select(x => x.Event!.Id).ToList();
            var distinct = valid.Distinct(StringComparer.Ordinal).ToList();
            var rejected = records.Count(x => x.Event is null) + (brokenFile ? 1 : 0);
            Assert.True(r.Stdout.Contains($"{distinct.Count} accepted, {valid.Count - distinct.Count} duplicates, {rejected} rejected", StringComparison.Ordinal), what);

            var check = Path.Combine(_dir, "check.ndjson");
            var free = records.Where(x => x.Event is null).Select(x => x.Error!.Id).OfType<string>()
                .Where(id => id.Length < 100 && !distinct.Contains(id)).Distinct().Where(id => new Core.Events.EventParser().TryParse(Ended(id), 0, out _, out _)).ToList();
            await File.WriteAllLinesAsync(check, distinct.Concat(free).Select(Ended));
            var again = await Run("import", check, "--account", account, "--db", db);
            Assert.True(again.Stdout.Contains($"{free.Count} accepted, {distinct.Count} duplicates, 0 rejected", StringComparison.Ordinal), $"{what}\n{again.Stdout}");
        }
    }

    private static string Ended(string id) =>
        $"{{\"id\":{JsonSerializer.Serialize(id)},\"type\":\"interaction.ended\",\"occurred_at\":\"2026-03-02T10:00:00Z\",\"interaction_id\":\"z\"}}";

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
