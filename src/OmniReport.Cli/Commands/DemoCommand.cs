using System.Buffers;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using NodaTime;
using OmniReport.Api;
using OmniReport.Cli.Settings;
using OmniReport.Core.Events;
using OmniReport.Generation;
using OmniReport.Core.Settings;
using OmniReport.Storage;

namespace OmniReport.Cli.Commands;

/// <summary>
/// <c>omnireport demo</c> (SPEC §6): a fresh database filled by the generator — a few weeks of a mid-size contact
/// centre, ending the day before today so its engagements are logged — then <c>serve</c> on it, printing the URL,
/// a token with every scope and ready-to-paste curl commands on stdout.
/// </summary>
internal static class DemoCommand
{
    public const string DefaultFile = "omnireport-demo.db";
    public const string AccountName = "demo";

    private static readonly Option<string> Db = Opt.Text("--db", "DB", $"SQLite file or PostgreSQL connection string (default ./{DefaultFile}, replaced)");
    private static readonly Option<long> Seed = Opt.Number("--seed", "seed of the generated data", 0, long.MaxValue, 1);
    private static readonly Option<long> Days = Opt.Number("--days", "days of data", 1, 366, 21);
    private static readonly Option<long> Interactions = Opt.Number("--interactions", "interactions over those days", 1, 10_000_000, 8000);
    private static readonly Option<long> Agents = Opt.Number("--agents", "human agents", 2, 100_000, 60);
    private static readonly Option<long> Groups = Opt.Number("--groups", "groups", 1, 10_000, 6);

    public static Command Create() => new Command("demo", $"""
        Fills a fresh database with generated events (a few weeks of a mid-size contact centre, ending
        yesterday) and serves it, printing the URL, a token with every scope and curl commands to paste.
        Stops with Ctrl+C (exit 0).

        The database is ./{DefaultFile} unless --db names another: the default file (with its -wal and
        -shm files) is replaced on every run; a file given with --db must not exist yet, and a PostgreSQL
        database must not have an account "{AccountName}". --db is read from the command line only
        (never from $OMNIREPORT_DB or the config file), so a demo never fills a real database by mistake.
        """) { Db, Seed, Days, Interactions, Agents, Groups, Setting.BatchSize.Option }.With(Setting.Service).Runs(RunAsync);

    private static async Task<int> RunAsync(Run run)
    {
        var options = ServeCommand.ReadOptions(run.Settings);
        var batchSize = (int)long.Parse(run.Settings.Text(Setting.BatchSize)!, CultureInfo.InvariantCulture);
        var time = run.Time;
        var console = run.Console;
        var today = LocalDate.FromDateTime(time.GetUtcNow().UtcDateTime);
        var generator = new GeneratorOptions
        {
            Seed = (ulong)run.Get(Seed),
            Days = (int)run.Get(Days),
            Interactions = (int)run.Get(Interactions),
            Agents = (int)run.Get(Agents),
            Groups = (int)run.Get(Groups),
            LateFraction = 0.02,
            DuplicateFraction = 0.005,
        };
        generator = generator with { Start = today.PlusDays(-generator.Days - 1) };
        var lastDay = generator.Start.PlusDays(generator.Days - 1);

        using var running = Claim(run.Get(Db), console);
        var db = PrepareDatabase(run.Get(Db), console);
        var clock = Stopwatch.StartNew();
        await using var store = await OpenAsync(db, time).ConfigureAwait(false);
        if (await store.FindAccountAsync(AccountName).ConfigureAwait(false) is not null)
        {
            throw new CommandFailedException($"the database already has an account \"{AccountName}\"; give --db a fresh database");
        }

        var account = await store.CreateAccountAsync(AccountName).ConfigureAwait(false);
        var token = await store.CreateTokenAsync(account.Id, Scopes.All).ConfigureAwait(false);
        await store.UpdateSettingsAsync(account.Id, DemoSettings()).ConfigureAwait(false);
        var (events, interactions) = await FillAsync(store, account, generator, batchSize, time, console).ConfigureAwait(false);
        await console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"demo: {events} events of {interactions} interactions ({generator.Start:yyyy'-'MM'-'dd} to {lastDay:yyyy'-'MM'-'dd}) stored in {db} in {clock.Elapsed.TotalSeconds:0.0} s")).ConfigureAwait(false);

        await using var app = ApiHost.Build(store, options, ServeCommand.HostArguments(run.Settings), time);
        await Listening.StartAsync(app).ConfigureAwait(false);
        var engagementId = await ShowcaseAsync(store, account.Id).ConfigureAwait(false);
        await console.WriteOutAsync(DemoBanner.Text(BaseUrl(app), token, db, engagementId, generator.Start, lastDay, time.GetUtcNow())).ConfigureAwait(false);
        await app.WaitForShutdownAsync().ConfigureAwait(false);
        return 0;
    }

    /// <summary>
    /// The engagement the banner shows: the first one with a first-reply time (one inside business hours), so the
    /// headline metric is not null on the first thing a newcomer opens.
    /// </summary>
    private static async Task<string> ShowcaseAsync(IStore store, long accountId)
    {
        await foreach (var e in store.QueryEngagementsAsync(accountId, new EngagementQuery { Limit = 1000 }).ConfigureAwait(false))
        {
            if (e.AssignmentToFirstReplyTimeSeconds is not null)
            {
                return e.EngagementId;
            }
        }

        return "ENGAGEMENT_ID";
    }

    /// <summary>The demo's database: the default file, removed first, or a --db that must be fresh.</summary>
    /// <summary>
    /// Holds <c>./omnireport-demo.db.lock</c> (an exclusive lock, released when the process ends) while the demo runs, so a
    /// second demo in the same folder stops with a word instead of replacing the database under the first one.
    /// </summary>
    private static FileStream? Claim(string? given, Terminal console)
    {
        if (given is not null)
        {
            return null;
        }

        var path = Path.Combine(console.WorkingDirectory ?? Directory.GetCurrentDirectory(), DefaultFile + ".lock");
        try
        {
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
        }
        catch (IOException)
        {
            throw new CommandFailedException($"another demo is running in this folder (it holds ./{DefaultFile}); stop it first, or give this one another --db");
        }
    }

    private static string PrepareDatabase(string? given, Terminal console)
    {
        if (given is not null)
        {
            if (!StoreFactory.IsPostgres(given) && File.Exists(given) && new FileInfo(given).Length > 0)
            {
                throw new CommandFailedException($"{given} exists; the demo fills a fresh database (remove it, or give another --db)");
            }

            return given;
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
                throw new CommandFailedException($"cannot replace {file}: {ex.Message} (is another demo running?)");
            }
        }

        return path;
    }

    private static async Task<IStore> OpenAsync(string db, TimeProvider time)
    {
        try
        {
            return await StoreFactory.OpenAsync(db, time).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new CommandFailedException($"cannot open the store: {ex.Message}");
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
}
