// Aggregates benchmark (SPEC §7, issue #11): see bench/aggregates.sh.
//   AggregateBench DB SMALL_EVENTS LARGE_EVENTS RUNS
// Seeds two accounts into one database through the store's own ingest (5 events an interaction, one engagement each,
// spread over 2025, 50 agents), then times the same query on both — a year, P1D, grouped by agent_id, three metrics —
// RUNS times, alternating, in process (parse, read, aggregate, write the JSON), and prints the medians: answered from
// the rollups (what the service does) and, in the same run, from a scan of the records (what it did before the rollups).
using System.IO.Pipelines;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using OmniReport.Core.Aggregates;
using OmniReport.Core.Events;
using OmniReport.Storage;

var inv = CultureInfo.InvariantCulture;
if (args.Length != 4)
{
    Console.Error.WriteLine("usage: DB SMALL_EVENTS LARGE_EVENTS RUNS");
    return 2;
}

var db = args[0];
var runs = int.Parse(args[3], inv);
await using var store = await StoreFactory.OpenAsync(db, TimeProvider.System);
// REUSE=1 keeps the accounts an earlier run seeded in the same database (to time a change of the read side without
// seeding again); bench/aggregates.sh always starts from an empty database.
var reuse = Environment.GetEnvironmentVariable("REUSE") == "1";
var small = await SeedAsync("small", int.Parse(args[1], inv));
var large = await SeedAsync("large", int.Parse(args[2], inv));

const string Body = """
    {"interval": {"from": "2025-01-01T00:00:00", "to": "2026-01-01T00:00:00"}, "timezone": "Europe/Lisbon", "granularity": "P1D",
     "group_by": ["agent_id"], "metrics": ["engagements", "assignment_to_first_reply_time_seconds", "requester_wait_seconds"]}
    """;
var times = new Dictionary<string, List<double>>();
var writing = new Dictionary<string, List<double>>();
var sizes = new Dictionary<string, long>();
var phases = new Dictionary<long, List<(double Read, double Fold)>>();
for (var i = 0; i < runs + 1; i++)
{
    foreach (var (name, id) in new[] { ("small", small), ("large", large) })
    {
        // PATHS=rollups times only the rollups (to profile them); the default checks both give the same bytes.
        foreach (var scan in Environment.GetEnvironmentVariable("PATHS") == "rollups" ? [false] : new[] { false, true })
        {
            var key = $"{name} {(scan ? "scan" : "rollups")}";
            var sw = Stopwatch.StartNew();
            var (bytes, write) = await QueryAsync(id, scan);
            sw.Stop();
            if (i > 0)
            {
                (times.TryGetValue(key, out var list) ? list : times[key] = []).Add(sw.Elapsed.TotalMilliseconds); // the first round warms the JIT and the caches
                (writing.TryGetValue(key, out var w) ? w : writing[key] = []).Add(write);
            }

            if (sizes.TryGetValue(key.Split(' ')[0], out var size) && size != bytes)
            {
                throw new InvalidOperationException($"{key}: {bytes} bytes, the other path {size}");
            }

            sizes[key.Split(' ')[0]] = bytes;
        }
    }
}

double Median(List<double> xs)
{
    xs.Sort();
    return xs.Count % 2 == 1 ? xs[xs.Count / 2] : (xs[(xs.Count / 2) - 1] + xs[xs.Count / 2]) / 2;
}

Console.WriteLine(string.Create(inv, $"store {store.Kind}; query: a year, P1D, by agent_id, 3 metrics; median of {runs}"));
foreach (var path in new[] { "rollups", "scan" }.Where(p => times.ContainsKey($"small {p}")))
{
    var ms = Median(times[$"small {path}"]);
    var ml = Median(times[$"large {path}"]);
    Console.WriteLine(string.Create(inv, $"{path,-7} small ({args[1]} events): {ms:0.0} ms; large ({args[2]} events): {ml:0.0} ms; large / small: {ml / ms:0.00} "
        + $"({sizes["large"]} bytes; writing the JSON {Median(writing[$"small {path}"]):0.0} / {Median(writing[$"large {path}"]):0.0} ms of it)"));
}

foreach (var (name, id) in new[] { ("small", small), ("large", large) })
{
    var p = phases[id].Skip(1).ToList();
    Console.WriteLine(string.Create(inv, $"rollups {name}: reading the cells {Median([.. p.Select(x => x.Read)]):0.0} ms, folding them {Median([.. p.Select(x => x.Fold)]):0.0} ms (medians)"));
}

return 0;

async Task<(long Bytes, double WriteMs)> QueryAsync(long accountId, bool scan)
{
    if (!AggregateRequest.TryParse(AggregateKind.Engagements, Encoding.UTF8.GetBytes(Body), out var request, out var problem))
    {
        throw new InvalidOperationException(problem!.ToString());
    }

    var aggregation = new Aggregation(request!);
    if (scan)
    {
        // The records of the interval, every one (the path before the rollups, and still the one for other requests).
        await foreach (var fact in store.FactsByStartAsync(accountId, request!.Kind, request.FromMs, request.ToMs))
        {
            aggregation.Add(fact);
        }
    }
    else
    {
        // What AggregateReads.FillAsync does, timed in its two parts: reading (and decoding) the cells, folding them.
        var a0 = GC.GetTotalAllocatedBytes(precise: true);
        var read = Stopwatch.StartNew();
        if (RollupQuery.For(aggregation) is not { } query || !await store.ReadRollupsAsync(accountId, query))
        {
            throw new InvalidOperationException("not answered from the rollups");
        }

        var readMs = read.Elapsed.TotalMilliseconds;
        var a1 = GC.GetTotalAllocatedBytes(precise: true);
        query.Finish();
        if (Environment.GetEnvironmentVariable("ALLOCATED") == "1")
        {
            Console.Error.WriteLine(string.Create(inv, $"allocated: reading {(a1 - a0) / 1e6:0.0} MB, folding {(GC.GetTotalAllocatedBytes(precise: true) - a1) / 1e6:0.0} MB; collections {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}"));
        }

        (phases.TryGetValue(accountId, out var p) ? p : phases[accountId] = []).Add((readMs, read.Elapsed.TotalMilliseconds - readMs));
    }

    // As the endpoint writes it: streamed to a pipe (here over Stream.Null) in 64 KB pieces, the API's JSON options.
    var write = Stopwatch.StartNew();
    var pipe = PipeWriter.Create(Stream.Null);
    long bytes;
    await using (var w = new Utf8JsonWriter(pipe, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true }))
    {
        await AggregateWriter.WriteJsonAsync(w, aggregation, async ct => await pipe.FlushAsync(ct));
        bytes = w.BytesCommitted;
    }

    await pipe.CompleteAsync();
    return (bytes, write.Elapsed.TotalMilliseconds);
}

async Task<long> SeedAsync(string name, int events)
{
    if (reuse && await store.FindAccountAsync($"{name}-{events}") is { } seeded)
    {
        return seeded.Id;
    }

    var account = await store.CreateAccountAsync($"{name}-{events}");
    var parser = new EventParser();
    var batch = new List<Event>(10_000);
    var start = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
    var interactions = events / 5;
    var step = 365L * 86_400_000 / Math.Max(1, interactions);
    var clock = Stopwatch.StartNew();
    var rng = new Random(7);
    for (var i = 0; i < interactions; i++)
    {
        var t = start + (i * step);
        var agent = 1000 + (i % 50);
        Add($$"""{"id":"{{i}}c","type":"interaction.created","occurred_at":"{{Time(t)}}","interaction_id":"{{i}}","channel":"email","group_id":"{{i % 8}}"}""");
        Add($$"""{"id":"{{i}}o","type":"offer.created","occurred_at":"{{Time(t + 1_000)}}","interaction_id":"{{i}}","agent_id":"{{agent}}"}""");
        Add($$"""{"id":"{{i}}a","type":"offer.accepted","occurred_at":"{{Time(t + 1_000 + rng.Next(60_000))}}","interaction_id":"{{i}}","agent_id":"{{agent}}"}""");
        Add($$"""{"id":"{{i}}m","type":"message.created","occurred_at":"{{Time(t + 70_000 + rng.Next(3_600_000))}}","interaction_id":"{{i}}","author_type":"agent","author_id":"{{agent}}"}""");
        Add($$"""{"id":"{{i}}s","type":"status.changed","occurred_at":"{{Time(t + 3_700_000)}}","interaction_id":"{{i}}","status":"solved"}""");
        if (batch.Count >= 9_995)
        {
            await store.IngestAsync(account.Id, batch);
            batch = new List<Event>(10_000);
        }
    }

    if (batch.Count > 0)
    {
        await store.IngestAsync(account.Id, batch);
    }

    Console.Error.WriteLine(string.Create(inv, $"seeded {name}: {5L * interactions} events in {clock.Elapsed.TotalSeconds:0.0} s ({5L * interactions / clock.Elapsed.TotalSeconds:0} events/s)"));
    return account.Id;

    void Add(string json)
    {
        if (!parser.TryParse(json, batch.Count, out var e, out var error))
        {
            throw new InvalidOperationException(error!.ToString());
        }

        batch.Add(e!);
    }
}

static string Time(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
