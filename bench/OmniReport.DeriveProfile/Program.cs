using System.Diagnostics;
using NodaTime;
using OmniReport.Core.Derivation;
using OmniReport.Core.Events;
using OmniReport.Core.Reports;
using OmniReport.Core.Settings;

// A Stopwatch breakdown of `omnireport derive` (docs/performance.md, "Issue 18"): each phase alone, timed in wall and CPU
// time with the bytes it allocates and the collections it causes. Usage: OmniReport.DeriveProfile FILE.ndjson [parse]
// ("parse": only the one-thread parse, three times, for a profiler to look at the parser alone; "write": the
// engagements JSON written on one thread and on every core, alternating three times, after a collection each).
if (args.Length is not (1 or 2) || (args.Length == 2 && args[1] is not ("parse" or "write")))
{
    Console.Error.WriteLine("usage: OmniReport.DeriveProfile FILE.ndjson [parse|write]");
    return 2;
}

var file = args[0];
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
