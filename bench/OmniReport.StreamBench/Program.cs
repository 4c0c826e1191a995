// The live stream's load driver (bench/stream-latency.sh, docs/performance.md "Live stream"). Two modes, each
// against a running `omnireport serve`:
//
//   latency URL TOKEN RATE SECONDS   one open GET /api/v2/stream; POST /api/v2/events at a steady RATE events a second
//                                    (a batch every 50 ms, each event a new interaction: one change each) for SECONDS;
//                                    for every message, the time from the HTTP response of the ingest that caused it
//                                    to the message arriving on the stream (0 when it came before the response).
//   idle URL TOKEN N PID             N open streams, each on its own connection, held idle; prints the RSS of PID.
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

var mode = args.Length > 0 ? args[0] : "";
switch (mode)
{
    case "latency" when args.Length == 5:
        return await LatencyAsync(args[1], args[2], int.Parse(args[3], CultureInfo.InvariantCulture), int.Parse(args[4], CultureInfo.InvariantCulture));
    case "idle" when args.Length == 5:
        return await IdleAsync(args[1], args[2], int.Parse(args[3], CultureInfo.InvariantCulture), int.Parse(args[4], CultureInfo.InvariantCulture));
    default:
        Console.Error.WriteLine("usage: StreamBench latency URL TOKEN RATE SECONDS | idle URL TOKEN N PID");
        return 2;
}

static HttpClient Client(string url, string token)
{
    var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
    {
        BaseAddress = new Uri(url),
        Timeout = Timeout.InfiniteTimeSpan,
    };
    http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    return http;
}

static async Task<StreamReader> OpenAsync(HttpClient http, CancellationToken ct)
{
    var response = await http.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/v2/stream?types=interaction.updated"), HttpCompletionOption.ResponseHeadersRead, ct);
    response.EnsureSuccessStatusCode();
    return new StreamReader(await response.Content.ReadAsStreamAsync(ct), Encoding.UTF8);
}

static async Task<int> LatencyAsync(string url, string token, int rate, int seconds)
{
    using var stream = Client(url, token);
    using var ingest = Client(url, token);
    var clock = Stopwatch.StartNew();
    const int TickMs = 50;
    var perBatch = Math.Max(1, rate * TickMs / 1000);
    var batches = seconds * 1000 / TickMs;
    var responded = new double[batches]; // ms at which batch b's response came; NaN until then
    Array.Fill(responded, double.NaN);
    var arrived = new List<(int Batch, double Ms)>(rate * seconds);
    using var cts = new CancellationTokenSource();
    var reader = await OpenAsync(stream, cts.Token);
    var run = $"{Environment.ProcessId}-{DateTime.UtcNow.Ticks}";

    var reading = Task.Run(async () =>
    {
        while (await reader.ReadLineAsync(cts.Token) is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                var id = JsonNode.Parse(line.AsSpan(6).ToString())!["interaction_id"]!.GetValue<string>();
                // interaction ids are RUN/BATCH/N
                var parts = id.Split('/');
                if (parts.Length == 3 && parts[0] == run)
                {
                    lock (arrived)
                    {
                        arrived.Add((int.Parse(parts[1], CultureInfo.InvariantCulture), clock.Elapsed.TotalMilliseconds));
                    }
                }
            }
        }
    });

    var sending = new List<Task>();
    var start = clock.Elapsed.TotalMilliseconds;
    for (var b = 0; b < batches; b++)
    {
        var due = start + (b * TickMs);
        var wait = due - clock.Elapsed.TotalMilliseconds;
        if (wait > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(wait));
        }

        var batch = b;
        var body = new StringBuilder("[");
        for (var i = 0; i < perBatch; i++)
        {
            body.Append(i == 0 ? "" : ",").Append(CultureInfo.InvariantCulture,
                $$"""{"id":"{{run}}/{{batch}}/{{i}}","type":"interaction.created","occurred_at":"2026-06-01T00:00:00Z","interaction_id":"{{run}}/{{batch}}/{{i}}","channel":"email"}""");
        }

        body.Append(']');
        var text = body.ToString();
        // Steady arrival, not one request at a time: a slow answer does not slow the sender down.
        sending.Add(Task.Run(async () =>
        {
            using var r = await ingest.PostAsync("/api/v2/events", new StringContent(text, Encoding.UTF8, "application/json"));
            responded[batch] = clock.Elapsed.TotalMilliseconds;
            r.EnsureSuccessStatusCode();
        }));
    }

    await Task.WhenAll(sending);
    var expected = batches * perBatch;
    var deadline = clock.Elapsed.TotalMilliseconds + 30_000;
    while (clock.Elapsed.TotalMilliseconds < deadline)
    {
        lock (arrived)
        {
            if (arrived.Count >= expected)
            {
                break;
            }
        }

        await Task.Delay(50);
    }

    var sendSeconds = (clock.Elapsed.TotalMilliseconds - start) / 1000;
    await cts.CancelAsync();
    try
    {
        await reading;
    }
    catch (OperationCanceledException)
    {
    }

    List<double> latencies;
    lock (arrived)
    {
        latencies = arrived.Select(a => Math.Max(0, a.Ms - responded[a.Batch])).Order().ToList();
    }

    double P(double p) => latencies.Count == 0 ? double.NaN : latencies[Math.Clamp((int)Math.Ceiling(p / 100 * latencies.Count) - 1, 0, latencies.Count - 1)];
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"latency: {latencies.Count}/{expected} messages at {rate} events/s for {seconds} s; response→message p50 {P(50):F1} ms, p90 {P(90):F1} ms, p99 {P(99):F1} ms, max {P(100):F1} ms"));
    return latencies.Count == expected ? 0 : 1;
}

static async Task<int> IdleAsync(string url, string token, int n, int pid)
{
    using var http = Client(url, token);
    using var cts = new CancellationTokenSource();
    var rssBefore = Rss(pid);
    var open = new List<StreamReader>(n);
    for (var i = 0; i < n; i += 50)
    {
        var batch = await Task.WhenAll(Enumerable.Range(i, Math.Min(50, n - i)).Select(_ => OpenAsync(http, cts.Token)));
        open.AddRange(batch);
    }

    // Every stream has answered its first line (retry:), so each is set up on the server and following.
    await Task.WhenAll(open.Select(r => r.ReadLineAsync(cts.Token).AsTask()));
    await Task.Delay(2000);
    GC.KeepAlive(open);
    var rss = Rss(pid);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"idle: {open.Count} open streams; server RSS {rssBefore / 1024.0:F0} MB before, {rss / 1024.0:F0} MB with them"));
    await cts.CancelAsync();
    return 0;
}

static long Rss(int pid)
{
    foreach (var line in File.ReadLines($"/proc/{pid}/status"))
    {
        if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
        {
            return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        }
    }

    return -1;
}
