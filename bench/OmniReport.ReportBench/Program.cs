// Report job benchmark (SPEC §5.4, issue "Report jobs"): see bench/report-1m.sh.
//   seed   DB N            N interactions (created, routed to an agent, ended: 3 events each) through the store's
//                          own ingest, in batches of 10,000; prints the account's token.
//   job    URL TOKEN PID   POST an erc_omnichannel_report CSV job to a running `omnireport serve` (process PID),
//                          poll until 303, download the file; prints time to downloadable, download time, rows, bytes,
//                          and the server's peak-RSS growth during the job (VmHWM reset through clear_refs).
//   load   URL TOKEN JOBS  GET /api/v2/engagements latency on a quiet server, then while JOBS report jobs run (see
//                          bench/report-load.sh); prints both latency summaries and the jobs' total time.
//   copy   CONNSTRING      PostgreSQL's own COPY (SELECT the same rows, same order) TO STDOUT WITH CSV, timed.
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Npgsql;
using OmniReport.Core.Events;
using OmniReport.Storage;

var inv = CultureInfo.InvariantCulture;
var start = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
const string From = "2025-01-01T00:00:00Z";
const string To = "2026-01-01T00:00:00Z";

switch (args.ElementAtOrDefault(0))
{
    case "seed":
        await SeedAsync(args[1], int.Parse(args[2], inv));
        break;
    case "job":
        await JobAsync(args[1], args[2], int.Parse(args[3], inv));
        break;
    case "copy":
        await CopyAsync(args[1]);
        break;
    case "load":
        await LoadAsync(args[1], args[2], int.Parse(args[3], inv));
        break;
    case "scan":
        await ScanAsync(args[1]);
        break;
    default:
        Console.Error.WriteLine("usage: seed DB N | job URL TOKEN PID | copy CONNSTRING");
        return 2;
}

return 0;

async Task SeedAsync(string db, int n)
{
    await using var store = await StoreFactory.OpenAsync(db, TimeProvider.System);
    var account = await store.CreateAccountAsync("bench");
    var token = await store.CreateTokenAsync(account.Id, Scopes.All);
    var parser = new EventParser();
    var batch = new List<Event>(10_000);
    var clock = Stopwatch.StartNew();
    for (var i = 0; i < n; i++)
    {
        var t = start + (i * 20_000L);
        var agent = 100 + (i % 200);
        Add($$"""{"id":"{{i}}c","type":"interaction.created","occurred_at":"{{Time(t)}}","interaction_id":"{{i}}","channel":"email","requester":{"id":"{{i % 50_000}}","name":"Customer {{i % 50_000}}","contact":"c{{i}}@example.com"},"group_id":"{{i % 20}}","group_name":"Group {{i % 20}}","external_id":"x{{i}}"}""");
        Add($$"""{"id":"{{i}}a","type":"assignment.changed","occurred_at":"{{Time(t + 30_000)}}","interaction_id":"{{i}}","agent_id":"{{agent}}","agent_name":"Agent {{agent}}","via":"routing"}""");
        Add($$"""{"id":"{{i}}e","type":"interaction.ended","occurred_at":"{{Time(t + 600_000)}}","interaction_id":"{{i}}"}""");
        if (batch.Count >= 9_999)
        {
            await store.IngestAsync(account.Id, batch);
            batch = new List<Event>(10_000);
        }
    }

    if (batch.Count > 0)
    {
        await store.IngestAsync(account.Id, batch);
    }

    Console.Error.WriteLine(string.Create(inv, $"seeded {n} interactions ({3L * n} events) in {clock.Elapsed.TotalSeconds:0.0} s"));
    Console.WriteLine(token);

    void Add(string json)
    {
        if (!parser.TryParse(json, batch.Count, out var ev, out var error))
        {
            throw new InvalidOperationException(error!.ToString());
        }

        batch.Add(ev!);
    }
}

async Task JobAsync(string url, string token, int pid)
{
    using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(10) };
    http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    var rssBefore = Status(pid, "VmRSS");
    await File.WriteAllTextAsync($"/proc/{pid}/clear_refs", "5"); // resets VmHWM to the current RSS
    var clock = Stopwatch.StartNew();
    using var created = await http.PostAsync("/data/reports/erc_omnichannel_report/jobs",
        new StringContent($$$"""{"name":"bench","timezone":"UTC","format":"csv","timespan":{"from":"{{{From}}}","to":"{{{To}}}"}}""", Encoding.UTF8, "application/json"));
    var body = await created.Content.ReadAsStringAsync();
    if (created.StatusCode != HttpStatusCode.Accepted)
    {
        throw new InvalidOperationException($"create: {(int)created.StatusCode} {body}");
    }

    var id = System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("job").GetProperty("id").GetString();
    string location;
    while (true)
    {
        using var poll = await http.GetAsync($"/data/reports/erc_omnichannel_report/jobs/{id}");
        if (poll.StatusCode == HttpStatusCode.SeeOther)
        {
            location = poll.Headers.Location!.ToString();
            break;
        }

        await Task.Delay(20);
    }

    var ready = clock.Elapsed;
    var peak = Status(pid, "VmHWM");
    clock.Restart();
    using var file = await http.GetAsync(location, HttpCompletionOption.ResponseHeadersRead);
    await using var stream = await file.Content.ReadAsStreamAsync();
    var buffer = new byte[1 << 16];
    long bytes = 0, lines = 0;
    int read;
    while ((read = await stream.ReadAsync(buffer)) > 0)
    {
        bytes += read;
        lines += buffer.AsSpan(0, read).Count((byte)'\n');
    }

    Console.WriteLine(string.Create(inv,
        $"job: downloadable after {ready.TotalSeconds:0.00} s; download {clock.Elapsed.TotalSeconds:0.00} s; {lines - 1} records, {bytes / 1e6:0.0} MB; server RSS {rssBefore / 1024} MB before, peak {peak / 1024} MB during (growth {(peak - rssBefore) / 1024} MB)"));
}

async Task LoadAsync(string url, string token, int jobs)
{
    using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(10) };
    http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    async Task<double> SampleAsync()
    {
        var t = Stopwatch.StartNew();
        using var r = await http.GetAsync("/api/v2/engagements?page_size=100");
        await r.Content.ReadAsByteArrayAsync();
        if (r.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"engagements: {(int)r.StatusCode}");
        }

        return t.Elapsed.TotalMilliseconds;
    }

    for (var i = 0; i < 5; i++)
    {
        await SampleAsync(); // warm-up
    }

    var quiet = new List<double>();
    for (var i = 0; i < 50; i++)
    {
        quiet.Add(await SampleAsync());
        await Task.Delay(100);
    }

    var clock = Stopwatch.StartNew();
    var ids = new List<string>();
    for (var i = 0; i < jobs; i++)
    {
        using var created = await http.PostAsync("/data/reports/erc_omnichannel_report/jobs",
            new StringContent($$$"""{"name":"load {{{i}}}","timezone":"UTC","format":"csv","timespan":{"from":"{{{From}}}","to":"{{{To}}}"}}""", Encoding.UTF8, "application/json"));
        var body = await created.Content.ReadAsStringAsync();
        ids.Add(System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("job").GetProperty("id").GetString()!);
    }

    var busy = new List<double>();
    var pending = new HashSet<string>(ids);
    while (pending.Count > 0)
    {
        busy.Add(await SampleAsync());
        foreach (var id in pending.ToList())
        {
            using var poll = await http.GetAsync($"/data/reports/erc_omnichannel_report/jobs/{id}");
            if (poll.StatusCode == HttpStatusCode.SeeOther)
            {
                pending.Remove(id);
            }
            else
            {
                break; // jobs finish roughly in order: look at the oldest pending one only
            }
        }

        await Task.Delay(100);
    }

    var total = clock.Elapsed;
    static string Summary(List<double> ms)
    {
        var sorted = ms.Order().ToList();
        double P(double p) => sorted[Math.Max(0, (int)Math.Ceiling(p / 100 * sorted.Count) - 1)];
        return string.Create(CultureInfo.InvariantCulture,
            $"p50 {P(50):0.0} ms, p90 {P(90):0.0} ms, p99 {P(99):0.0} ms, max {sorted[^1]:0.0} ms over {sorted.Count} requests ({sorted.Count(x => x > 100)} over 100 ms)");
    }

    Console.WriteLine($"quiet: {Summary(quiet)}");
    Console.WriteLine($"during {jobs} jobs: {Summary(busy)}");
    Console.WriteLine(string.Create(inv, $"{jobs} jobs done in {total.TotalSeconds:0.0} s"));
}

async Task CopyAsync(string connectionString)
{
    await using var source = NpgsqlDataSource.Create(connectionString);
    await using var c = await source.OpenConnectionAsync();
    var clock = Stopwatch.StartNew();
    var sql = $"""
        COPY (SELECT i.interaction_id, i.start_ms, i.record, n.name FROM interactions i
              LEFT JOIN agent_names n ON n.account_id = i.account_id AND n.agent_id = i.agent_id
              WHERE i.account_id = (SELECT id FROM accounts WHERE name = 'bench')
                AND i.start_ms >= {DateTimeOffset.Parse(From, inv).ToUnixTimeMilliseconds()} AND i.start_ms < {DateTimeOffset.Parse(To, inv).ToUnixTimeMilliseconds()}
              ORDER BY i.start_ms, i.interaction_id) TO STDOUT WITH CSV
        """;
    using var reader = await c.BeginTextExportAsync(sql);
    var buffer = new char[1 << 16];
    long chars = 0, lines = 0;
    int read;
    while ((read = await reader.ReadAsync(buffer)) > 0)
    {
        chars += read;
        lines += buffer.AsSpan(0, read).Count('\n');
    }

    Console.WriteLine(string.Create(inv, $"copy: {clock.Elapsed.TotalSeconds:0.00} s; {lines} rows, {chars / 1e6:0.0} M characters"));
}

// Where a report's time goes, in this process: reading the records from the store, then writing them as CSV
// into a stream that discards them.
async Task ScanAsync(string db)
{
    await using var store = await StoreFactory.OpenAsync(db, TimeProvider.System);
    var account = (await store.FindAccountAsync("bench"))!;
    var (fromMs, toMs) = (DateTimeOffset.Parse(From, inv).ToUnixTimeMilliseconds(), DateTimeOffset.Parse(To, inv).ToUnixTimeMilliseconds());
    for (var round = 0; round < 2; round++)
    {
        var clock = Stopwatch.StartNew();
        long rows = 0;
        await foreach (var _ in store.InteractionsByStartAsync(account.Id, fromMs, toMs))
        {
            rows++;
        }

        var read = clock.Elapsed;
        clock.Restart();
        var request = new OmniReport.Core.Reports.ReportJobRequest
        {
            Name = "scan", TimeZone = "UTC", Format = OmniReport.Core.Reports.ReportFormat.Csv, From = From, To = To, FromMs = fromMs, ToMs = toMs,
        };
        await ReportExport.WriteAsync(store, account.Id, OmniReport.Core.Reports.ReportType.Interactions, request, Stream.Null);
        Console.WriteLine(string.Create(inv, $"scan: {rows} records read and decoded in {read.TotalSeconds:0.00} s; read, decoded and written as CSV in {clock.Elapsed.TotalSeconds:0.00} s"));
    }
}

static long Status(int pid, string key)
{
    foreach (var line in File.ReadLines($"/proc/{pid}/status"))
    {
        if (line.StartsWith(key + ":", StringComparison.Ordinal))
        {
            return long.Parse(line.AsSpan(key.Length + 1).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
        }
    }

    throw new InvalidOperationException($"no {key} for process {pid}");
}

static string Time(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
