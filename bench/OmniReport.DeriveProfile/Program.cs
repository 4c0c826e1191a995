using System.Diagnostics;
using NodaTime;
using OmniReport.Core.Derivation;
using OmniReport.Core.Events;
using OmniReport.Core.Reports;
using OmniReport.Core.Settings;

// A Stopwatch breakdown of `omnireport derive` (docs/performance.md, "Issue 18"): each phase alone, timed in wall and CPU
// time with the bytes it allocates and the collections it causes. Usage: OmniReport.DeriveProfile FILE.ndjson [parse]
// ("parse": only the one-thread parse, three times, for a profiler to look at the parser alone, each time also refilled
// and as derive's ReadHeld; "write": the
// engagements JSON written on one thread and on every core, alternating three times, after a collection each; "derive":
// derive's phases once, as the command runs them, each with its collections and pauses — GCLOG=1 prints each collection,
// ALLOCLOG=1 what each phase allocates by type, LATE=0 / REUSE=0 the one-by-one duplicate check / new event objects,
// HELD=0 session 9's read (the full parser, ids as strings) instead of derive's ReadHeld;
// "add": AccountDerivation.Add of every parsed event with either duplicate check, and with ids as bytes as derive adds
// them, alternating three times).
if (args.Length is not (1 or 2) || (args.Length == 2 && args[1] is not ("parse" or "write" or "derive" or "add")))
{
    Console.Error.WriteLine("usage: OmniReport.DeriveProfile FILE.ndjson [parse|write|derive|add]");
    return 2;
}

var file = args[0];
if (args.Length == 2 && args[1] == "derive")
{
    // What `omnireport derive FILE` does (engagements JSON), phase by phase: where the collections fall and what they cost
    // (GCLOG=1: each collection's generation, reason, pause and what it promoted, from the runtime's own events).
    using var log = Environment.GetEnvironmentVariable("GCLOG") == "1" ? new CollectionLog() : null;
    // ALLOCLOG=1: what each phase allocates, by type, from the runtime's allocation samples (one each ~100 KB).
    using var allocations = Environment.GetEnvironmentVariable("ALLOCLOG") == "1" ? new AllocationLog() : null;
    var all = new AccountDerivation((int)(new FileInfo(file).Length / 160), duplicatesLast: Environment.GetEnvironmentVariable("LATE") != "0");
    Phase($"read: split + parse on {ParallelEventReader.DefaultWorkers} workers, Add", () =>
    {
        using var s = File.OpenRead(file);
        if (Environment.GetEnvironmentVariable("HELD") == "0")
        {
            // Session 9's read: the full parser, the id as a string.
            ParallelEventReader.Read(s, ParallelEventReader.DefaultWorkers, reuseEvents: Environment.GetEnvironmentVariable("REUSE") != "0", handler: (_, _, ev, _) =>
            {
                if (ev is not null)
                {
                    all.Add(ev);
                }
            });
            return;
        }

        ParallelEventReader.ReadHeld(s, ParallelEventReader.DefaultWorkers, (_, _, ev, id, _) =>
        {
            if (ev is not null)
            {
                all.Add(ev, id);
            }
        });
    });
    Phase("duplicates (Count)", () => Console.WriteLine($"{all.CountOn(ParallelEventReader.DefaultWorkers)} distinct events"));
    DerivedAccount account = null!;
    var at = DateTimeOffset.Parse("2026-04-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();
    allocations?.Print();
    Phase($"fold and sort on {ParallelEventReader.DefaultWorkers} threads", () => account = all.RunAndRelease(AccountSettings.Default, at, ParallelEventReader.DefaultWorkers, DerivedParts.Engagements));
    allocations?.Print();
    Phase($"write engagements JSON on {ParallelEventReader.DefaultWorkers} threads", () =>
    {
        using var sink = new FileStream("/dev/null", FileMode.Open, FileAccess.Write);
        DerivedReport.WriteAsync(sink, account, ReportType.Engagements, ReportFormat.Json, DateTimeZone.Utc, ParallelEventReader.DefaultWorkers).GetAwaiter().GetResult();
    });
    allocations?.Print();
    Console.WriteLine($"whole run: {GC.CollectionCount(0)} collections ({GC.CollectionCount(1)} gen1+, {GC.CollectionCount(2)} gen2), {GC.GetTotalPauseDuration().TotalSeconds:0.000} s paused, {GC.GetTotalAllocatedBytes(precise: true) / 1048576.0:0} MB allocated, peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576} MB, CPU {Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds:0.00} s");
    return 0;
}

if (args.Length == 2 && args[1] == "add")
{
    // The command thread's part of the read alone, both duplicate checks alternating: every event parsed first, then
    // AccountDerivation.Add of each (and Count, which makes the late check find its duplicates).
    var parsed = new List<Event>();
    using (var s = File.OpenRead(file))
    {
        ParallelEventReader.Read(s, ParallelEventReader.DefaultWorkers, (_, _, ev, _) => parsed.Add(ev!));
    }

    // derive's Add takes each id as its UTF-8 bytes (ReadHeld): encoded here beforehand, outside the timing.
    var ids = parsed.Select(e => System.Text.Encoding.UTF8.GetBytes(e.Id)).ToArray();
    for (var run = 0; run < 3; run++)
    {
        foreach (var late in new[] { false, true })
        {
            var adding = new AccountDerivation((int)(new FileInfo(file).Length / 160), late);
            GC.Collect();
            Phase($"Add and Count, {(late ? "duplicates last" : "duplicates one by one")}", () =>
            {
                foreach (var e in parsed)
                {
                    adding.Add(e);
                }

                _ = adding.Count;
            });
        }

        var held = new AccountDerivation((int)(new FileInfo(file).Length / 160), duplicatesLast: true);
        GC.Collect();
        Phase("Add and Count, duplicates last, ids as bytes", () =>
        {
            for (var i = 0; i < parsed.Count; i++)
            {
                held.Add(parsed[i], ids[i]);
            }

            _ = held.Count;
        });
    }

    return 0;
}

if (args.Length == 2 && args[1] == "write")
{
    var all = new AccountDerivation((int)(new FileInfo(file).Length / 160));
    using (var s = File.OpenRead(file))
    {
        ParallelEventReader.Read(s, ParallelEventReader.DefaultWorkers, (_, _, ev, _) =>
        {
            if (ev is not null)
            {
                all.Add(ev);
            }
        });
    }

    var account = all.RunAndRelease(AccountSettings.Default, DateTimeOffset.Parse("2026-04-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds(), ParallelEventReader.DefaultWorkers);
    for (var run = 0; run < 3; run++)
    {
        foreach (var threads in new[] { 1, ParallelEventReader.DefaultWorkers })
        {
            GC.Collect();
            Phase($"write Engagements Json, {threads} thread(s)", () =>
            {
                using var sink = new FileStream("/dev/null", FileMode.Open, FileAccess.Write);
                DerivedReport.WriteAsync(sink, account, ReportType.Engagements, ReportFormat.Json, DateTimeZone.Utc, threads).GetAwaiter().GetResult();
            });
        }
    }

    return 0;
}

if (args.Length == 2)
{
    for (var run = 0; run < 3; run++)
    {
        Phase("split + parse, one thread, events dropped", () =>
        {
            using var s = File.OpenRead(file);
            var parser = new EventParser();
            EventStreamReader.Read(s, (index, _, json) => parser.TryParse(json, index, out Event? _, out EventError? _));
        });

        // The same with the events refilled, then derive's ReadHeld (the scanner, ids as bytes) alike on one thread.
        Phase("split + parse, one thread, refilled (Read)", () =>
        {
            using var s = File.OpenRead(file);
            long n = 0;
            ParallelEventReader.Read(s, 1, (_, _, ev, _) => n += ev is null ? 0 : 1, reuseEvents: true);
        });
        Phase("split + scan or parse, one thread, ids as bytes (ReadHeld)", () =>
        {
            using var s = File.OpenRead(file);
            long n = 0;
            ParallelEventReader.ReadHeld(s, 1, (_, _, ev, id, _) => n += ev is null ? 0 : id.Length);
        });
    }

    return 0;
}

var now = DateTimeOffset.Parse("2026-04-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();

Phase("read the file (64 KB reads)", () =>
{
    using var s = File.OpenRead(file);
    var buffer = new byte[1 << 16];
    while (s.Read(buffer) > 0)
    {
    }
});

Phase("split lines (EventStreamReader)", () =>
{
    using var s = File.OpenRead(file);
    long n = 0;
    EventStreamReader.Read(s, (_, _, _) => n++);
});

Phase("split + parse, one thread, events dropped", () =>
{
    using var s = File.OpenRead(file);
    var parser = new EventParser();
    long n = 0;
    EventStreamReader.Read(s, (index, _, json) =>
    {
        if (parser.TryParse(json, index, out Event? _, out EventError? _))
        {
            n++;
        }
    });
});

Phase($"split + parse, {ParallelEventReader.DefaultWorkers} workers, events dropped", () =>
{
    using var s = File.OpenRead(file);
    long n = 0;
    ParallelEventReader.Read(s, ParallelEventReader.DefaultWorkers, (_, _, ev, _) => n += ev is null ? 0 : 1);
});

List<Event> events = [];
Phase("split + parse, one thread, events kept", () =>
{
    using var s = File.OpenRead(file);
    var parser = new EventParser();
    EventStreamReader.Read(s, (index, _, json) =>
    {
        if (parser.TryParse(json, index, out var ev, out EventError? _))
        {
            events.Add(ev!);
        }
    });
});

events = [];
Phase($"split + parse, {ParallelEventReader.DefaultWorkers} workers (ParallelEventReader)", () =>
{
    using var s = File.OpenRead(file);
    ParallelEventReader.Read(s, ParallelEventReader.DefaultWorkers, (_, _, ev, _) =>
    {
        if (ev is not null)
        {
            events.Add(ev);
        }
    });
});

var derivation = new AccountDerivation((int)(new FileInfo(file).Length / 160));
Phase("AccountDerivation.Add (dedupe, group; handed over)", () =>
{
    foreach (var e in events)
    {
        derivation.Add(e);
    }
});
events = [];

DerivedAccount derived = null!;
Phase("RunAndRelease, one thread (the fold, sort)", () => derived = derivation.RunAndRelease(AccountSettings.Default, now));

derivation = new AccountDerivation((int)(new FileInfo(file).Length / 160));
Phase($"split + parse, {ParallelEventReader.DefaultWorkers} workers, AccountDerivation.Add (derive's front end)", () =>
{
    using var s = File.OpenRead(file);
    ParallelEventReader.Read(s, ParallelEventReader.DefaultWorkers, (_, _, ev, _) =>
    {
        if (ev is not null)
        {
            derivation.Add(ev);
        }
    });
});

Phase($"RunAndRelease, {ParallelEventReader.DefaultWorkers} threads", () => derived = derivation.RunAndRelease(AccountSettings.Default, now, ParallelEventReader.DefaultWorkers));

foreach (var (type, format) in new[] { (ReportType.Engagements, ReportFormat.Json), (ReportType.Engagements, ReportFormat.Csv), (ReportType.Interactions, ReportFormat.Json) })
{
    Phase($"write {type} {format} to /dev/null", () =>
    {
        using var sink = new FileStream("/dev/null", FileMode.Open, FileAccess.Write);
        DerivedReport.WriteAsync(sink, derived, type, format, DateTimeZone.Utc).GetAwaiter().GetResult();
    });
}

Phase($"write Engagements Json to /dev/null, {ParallelEventReader.DefaultWorkers} threads", () =>
{
    using var sink = new FileStream("/dev/null", FileMode.Open, FileAccess.Write);
    DerivedReport.WriteAsync(sink, derived, ReportType.Engagements, ReportFormat.Json, DateTimeZone.Utc, ParallelEventReader.DefaultWorkers).GetAwaiter().GetResult();
});

return 0;

static void Phase(string name, Action run)
{
    var gc0 = GC.CollectionCount(0);
    var gc2 = GC.CollectionCount(2);
    var bytes = GC.GetTotalAllocatedBytes(precise: true);
    var paused = GC.GetTotalPauseDuration();
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    var clock = Stopwatch.StartNew();
    run();
    clock.Stop();
    var cpuUsed = Process.GetCurrentProcess().TotalProcessorTime - cpu;
    Console.WriteLine($"{name,-45} {clock.Elapsed.TotalSeconds,7:0.000} s wall {cpuUsed.TotalSeconds,7:0.000} s CPU {(GC.GetTotalAllocatedBytes(precise: true) - bytes) / 1048576.0,8:0.0} MB allocated, {GC.CollectionCount(0) - gc0} GCs ({GC.CollectionCount(2) - gc2} gen2, {(GC.GetTotalPauseDuration() - paused).TotalSeconds:0.000} s paused), heap {GC.GetTotalMemory(false) / 1048576} MB");
}

/// <summary>Prints every collection as the runtime reports it: number, generation, reason, pause, promoted bytes, heap sizes.</summary>
internal sealed class CollectionLog : System.Diagnostics.Tracing.EventListener
{
    private static readonly string[] Reasons = ["alloc small", "induced", "low memory", "empty", "alloc large", "out of space (SOH)", "out of space (LOH)", "induced, not forced", "stress", "low memory"];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _startTicks;
    private string _start = "";

    protected override void OnEventSourceCreated(System.Diagnostics.Tracing.EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(source, System.Diagnostics.Tracing.EventLevel.Informational, (System.Diagnostics.Tracing.EventKeywords)1);
        }
    }

    protected override void OnEventWritten(System.Diagnostics.Tracing.EventWrittenEventArgs e)
    {
        switch (e.EventName)
        {
            case "GCStart_V2":
                _startTicks = e.TimeStamp.Ticks;
                var reason = Convert.ToInt32(e.Payload![2], System.Globalization.CultureInfo.InvariantCulture);
                _start = $"{_clock.Elapsed.TotalSeconds,6:0.000} s  GC {e.Payload[0],3} gen{e.Payload[1]}  {(reason < Reasons.Length ? Reasons[reason] : reason.ToString(System.Globalization.CultureInfo.InvariantCulture)),-20}";
                break;
            case "GCEnd_V1":
                _start += $" pause {(e.TimeStamp.Ticks - _startTicks) / 10_000.0,7:0.0} ms";
                break;
            case "GCHeapStats_V2":
                static double Mb(object? o) => Convert.ToUInt64(o, System.Globalization.CultureInfo.InvariantCulture) / 1048576.0;
                var p = e.Payload!;
                Console.WriteLine($"{_start}  promoted gen0 {Mb(p[1]),6:0.0} gen1 {Mb(p[3]),6:0.0} gen2 {Mb(p[5]),6:0.0} LOH {Mb(p[7]),6:0.0} MB;  sizes gen0 {Mb(p[0]),6:0.0} gen1 {Mb(p[2]),6:0.0} gen2 {Mb(p[4]),6:0.0} LOH {Mb(p[6]),6:0.0} MB");
                break;
        }
    }
}

/// <summary>Counts the runtime's allocation samples (GCAllocationTick: one each ~100 KB allocated) by type, printed and reset by phase.</summary>
internal sealed class AllocationLog : System.Diagnostics.Tracing.EventListener
{
    private readonly Dictionary<string, long> _bytes = [];

    public void Print()
    {
        lock (_bytes)
        {
            foreach (var (type, bytes) in _bytes.OrderByDescending(kv => kv.Value).Take(12))
            {
                Console.WriteLine($"    {bytes / 1048576.0,7:0.0} MB  {type}");
            }

            _bytes.Clear();
        }
    }

    protected override void OnEventSourceCreated(System.Diagnostics.Tracing.EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(source, System.Diagnostics.Tracing.EventLevel.Verbose, (System.Diagnostics.Tracing.EventKeywords)1);
        }
    }

    protected override void OnEventWritten(System.Diagnostics.Tracing.EventWrittenEventArgs e)
    {
        if (e.EventName is not { } name || !name.StartsWith("GCAllocationTick", StringComparison.Ordinal))
        {
            return;
        }

        var type = e.PayloadNames!.IndexOf("TypeName") is var t and >= 0 ? e.Payload![t]?.ToString() ?? "?" : "?";
        var amount = Convert.ToInt64(e.Payload![e.PayloadNames.IndexOf("AllocationAmount")], System.Globalization.CultureInfo.InvariantCulture);
        lock (_bytes)
        {
            _bytes[type] = _bytes.GetValueOrDefault(type) + amount;
        }
    }
}
