using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using NodaTime;
using OmniReport.Api;
using OmniReport.Core.Events;
using OmniReport.Generation;
using OmniReport.Core.Settings;
using OmniReport.Storage;

namespace OmniReport.Cli;

/// <summary>
/// <c>omnireport demo</c> (SPEC §6): a fresh database filled by the generator — a few weeks of a mid-size contact
/// centre, ending the day before today so its engagements are logged — then <c>serve</c> on it, printing the URL,
/// a token with every scope and ready-to-paste curl commands on stdout.
/// </summary>
internal static class DemoCommand
{
    public const string DefaultFile = "omnireport-demo.db";
    public const string AccountName = "demo";

    private static readonly string Help = $"""
        omnireport demo [--urls URL] [--db DB] [options]

        Fills a fresh database with generated events (a few weeks of a mid-size contact centre, ending
        yesterday) and serves it, printing the URL, a token with every scope and curl commands to paste.
        Stops with Ctrl+C (exit 0).

        The database is ./{DefaultFile} unless --db names another: the default file (with its -wal and
        -shm files) is replaced on every run; a file given with --db must not exist yet, and a PostgreSQL
        database must not have an account "{AccountName}". --db is read from the command line only
        (never from $OMNIREPORT_DB or the config file), so a demo never fills a real database by mistake.

        Options:
          --db DB                     SQLite file or PostgreSQL connection string (default ./{DefaultFile}, replaced)
          --seed N                    seed of the generated data (default 1)
          --days N                    days of data (default 21)
          --interactions N            interactions over those days (default 8000)
          --agents N                  human agents (default 60)
          --groups N                  groups (default 6)
        {Setting.HelpLines([.. Setting.Service, Setting.BatchSize])}{Arguments.CommonHelp}
        """;

    private static readonly HashSet<string> Valued =
        [.. Setting.Service.Select(s => s.Name), Setting.BatchSize.Name, StoreOption.Name, "seed", "days", "interactions", "agents", "groups"];

    private static readonly HashSet<string> Flags = [];

    public static async Task<int> RunAsync(string[] args, Terminal console, TimeProvider time)
    {
        var a = new Arguments("demo", args, Valued, Flags, console);
        if (a.Flag("help"))
        {
            await console.WriteOutAsync(Help.TrimEnd() + "\n").ConfigureAwait(false);
            return 0;
        }

        if (a.Positional.Count != 0)
        {
            throw new UsageException($"omnireport demo: unexpected argument \"{a.Positional[0]}\"\n\n{Help}");
        }

        var options = ServeCommand.ReadOptions(a);
        var batchSize = (int)a.Number(Setting.BatchSize, 1, 1_000_000);
        var today = LocalDate.FromDateTime(time.GetUtcNow().UtcDateTime);
        var generator = new GeneratorOptions
        {
            Seed = (ulong)Count(a, "seed", 1, 0, long.MaxValue),
            Days = (int)Count(a, "days", 21, 1, 366),
            Interactions = (int)Count(a, "interactions", 8000, 1, 10_000_000),
            Agents = (int)Count(a, "agents", 60, 2, 100_000),
            Groups = (int)Count(a, "groups", 6, 1, 10_000),
            LateFraction = 0.02,
            DuplicateFraction = 0.005,
        };
        generator = generator with { Start = today.PlusDays(-generator.Days - 1) };

        var db = await PrepareDatabaseAsync(a, console).ConfigureAwait(false);
        var clock = Stopwatch.StartNew();
        await using var store = await OpenAsync(db, time).ConfigureAwait(false);
        if (await store.FindAccountAsync(AccountName).ConfigureAwait(false) is not null)
        {
            throw new CommandFailedException($"omnireport demo: the database already has an account \"{AccountName}\"; give --db a fresh database");
        }

        var account = await store.CreateAccountAsync(AccountName).ConfigureAwait(false);
        var token = await store.CreateTokenAsync(account.Id, Scopes.All).ConfigureAwait(false);
        await store.UpdateSettingsAsync(account.Id, DemoSettings()).ConfigureAwait(false);
        var (events, interactions) = await FillAsync(store, account, generator, batchSize, time, console).ConfigureAwait(false);
        await console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"demo: {events} events of {interactions} interactions ({generator.Start:yyyy'-'MM'-'dd} to {today.PlusDays(-1):yyyy'-'MM'-'dd}) stored in {db} in {clock.Elapsed.TotalSeconds:0.0} s")).ConfigureAwait(false);

        await using var app = ApiHost.Build(store, options, ServeCommand.HostArguments(a), time);
        await app.StartAsync().ConfigureAwait(false);
        var url = BaseUrl(app);
        await using (var first = store.QueryEngagementsAsync(account.Id, new EngagementQuery { Limit = 1 }).GetAsyncEnumerator())
        {
            var engagementId = await first.MoveNextAsync().ConfigureAwait(false) ? first.Current.EngagementId : "ENGAGEMENT_ID";
            await console.WriteOutAsync(DemoBanner.Text(url, token, db, engagementId, generator.Start, today, time.GetUtcNow())).ConfigureAwait(false);
        }

        await app.WaitForShutdownAsync().ConfigureAwait(false);
        return 0;
    }

    /// <summary>The demo's database: the default file, removed first, or a --db that must be fresh.</summary>
    private static Task<string> PrepareDatabaseAsync(Arguments a, Terminal console)
    {
        if (a[StoreOption.Name] is { } given)
        {
            if (!StoreFactory.IsPostgres(given) && File.Exists(given) && new FileInfo(given).Length > 0)
            {
                throw new CommandFailedException($"omnireport demo: {given} exists; the demo fills a fresh database (remove it, or give another --db)");
            }

            return Task.FromResult(given);
        }

        var path = Path.Combine(console.WorkingDirectory ?? Directory.GetCurrentDirectory(), DefaultFile);
        foreach (var file in new[] { path, path + "-wal", path + "-shm", path + "-journal" })
        {
            try
            {
                File.Delete(file);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new CommandFailedException($"omnireport demo: cannot replace {file}: {ex.Message} (is another demo running?)");
            }
        }

        return Task.FromResult(path);
    }

    private static async Task<IStore> OpenAsync(string db, TimeProvider time)
    {
        try
        {
            return await StoreFactory.OpenAsync(db, time).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new CommandFailedException($"omnireport demo: cannot open the store: {ex.Message}");
        }
    }

    /// <summary>Business hours of a contact centre open on weekdays and Saturday mornings (first-reply times outside them are null).</summary>
    private static AccountSettings DemoSettings()
    {
        List<WeeklyInterval> weekly = [];
        for (var day = IsoDayOfWeek.Monday; day <= IsoDayOfWeek.Friday; day++)
        {
            weekly.Add(new WeeklyInterval(day, 8 * 60, 20 * 60));
        }

        weekly.Add(new WeeklyInterval(IsoDayOfWeek.Saturday, 9 * 60, 13 * 60));
        return AccountSettings.Default with { BusinessHours = new BusinessHours(DateTimeZone.Utc, weekly, []) };
    }

    /// <summary>Generates the events and stores them in batches, as <c>import</c> does; events after now are left out.</summary>
    private static async Task<(long Events, int Interactions)> FillAsync(IStore store, Account account, GeneratorOptions options, int batchSize, TimeProvider time, Terminal console)
    {
        var nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        var source = new EventGenerator(options);
        var parser = new EventParser();
        var buffer = new ArrayBufferWriter<byte>(1024);
        Utf8JsonWriter? writer = null;
        var batch = new List<Event>(batchSize);
        long stored = 0;
        var lastReport = Stopwatch.StartNew();
        try
        {
            foreach (var e in source.Events())
            {
                if (e.OccurredAtMs > nowMs)
                {
                    continue;
                }

                buffer.ResetWrittenCount();
                e.WriteLine(buffer, ref writer);
                if (!parser.TryParse(buffer.WrittenSpan[..^1], stored + batch.Count, out var ev, out var error))
                {
                    throw new InvalidOperationException($"the generator made an invalid event: {error}");
                }

                batch.Add(ev!);
                if (batch.Count >= batchSize)
                {
                    await store.IngestAsync(account.Id, batch).ConfigureAwait(false);
                    stored += batch.Count;
                    batch = new List<Event>(batchSize);
                    if (lastReport.Elapsed > TimeSpan.FromSeconds(1))
                    {
                        await console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"demo: stored {stored:N0} events…")).ConfigureAwait(false);
                        lastReport.Restart();
                    }
                }
            }

            await store.IngestAsync(account.Id, batch).ConfigureAwait(false);
            stored += batch.Count;
            return (stored, source.InteractionCount);
        }
        finally
        {
            writer?.Dispose();
        }
    }

    /// <summary>The address the server listens on (the real port when --urls asked for port 0), for a client on this machine.</summary>
    private static string BaseUrl(WebApplication app)
    {
        var address = app.Urls.FirstOrDefault(u => u.StartsWith("http://", StringComparison.Ordinal)) ?? app.Urls.First();
        var uri = new Uri(address.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal));
        var host = uri.Host is "0.0.0.0" or "[::]" or "::" ? "127.0.0.1" : uri.Host;
        return $"{uri.Scheme}://{(host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') ? $"[{host}]" : host)}:{uri.Port}";
    }

    private static long Count(Arguments a, string name, long fallback, long min, long max) =>
        a[name] is not { } text ? fallback
        : long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max ? n
        : throw new UsageException($"omnireport demo: --{name} must be a whole number from {min} to {max}, not \"{text}\"");
}
