using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace OmniReport.Storage.Sqlite;

/// <summary>
/// The benchmark's view of the one writer (docs/performance.md, "HTTP ingest"): with <c>OMNIREPORT_WRITER_STATS=1</c>
/// the store writes to stderr, every 2 s, the thread CPU time the writer spent per 1,000 events stored (the serial path
/// that bounds one server's ingest; nearly independent of the machine's load, where events/s is not) and the CPU time
/// spent planning batches ahead of it. Off, it costs one field read per group.
/// </summary>
internal static class WriterStats
{
    public static readonly bool On = Environment.GetEnvironmentVariable("OMNIREPORT_WRITER_STATS") == "1";

    private static readonly Lock Gate = new();
    private static long _writerNs;
    private static long _wallTicks;
    private static long _planNs;
    private static long _events;
    private static long _groups;
    private static long _batches;
    private static long _since = Stopwatch.GetTimestamp();

    /// <summary>The calling thread's CPU time in nanoseconds (CLOCK_THREAD_CPUTIME_ID).</summary>
    public static long ThreadCpuNs()
    {
        _ = ClockGetTime(3, out var ts);
        return (ts.Seconds * 1_000_000_000) + ts.Nanoseconds;
    }

    public static void Planned(long ns) => Interlocked.Add(ref _planNs, ns);

    /// <summary>A group stored: the writer's thread CPU, its wall time from taking the group to the commit (Stopwatch ticks), its size.</summary>
    public static void Stored(long ns, long wallTicks, int events, int batches, string? pipeline = null)
    {
        lock (Gate)
        {
            _writerNs += ns;
            _wallTicks += wallTicks;
            _events += events;
            _groups++;
            _batches += batches;
            if (Stopwatch.GetElapsedTime(_since).TotalSeconds < 2 || _events == 0)
            {
                return;
            }

            var plan = Interlocked.Exchange(ref _planNs, 0);
            var wallMs = _wallTicks * 1000.0 / Stopwatch.Frequency;
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"writer: {_events} events in {_groups} groups ({(double)_batches / _groups:0.00} batches each): writer {_writerNs / 1e3 / _events:0.00} ms CPU and {wallMs * 1000 / _events:0.00} ms wall per 1,000 events, busy {wallMs / Stopwatch.GetElapsedTime(_since).TotalMilliseconds:P0}; planning ahead {plan / 1e3 / _events:0.00} ms CPU per 1,000{pipeline}"));
            (_writerNs, _wallTicks, _events, _groups, _batches, _since) = (0, 0, 0, 0, 0, Stopwatch.GetTimestamp());
        }
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    [SuppressGCTransition]
    private static extern int ClockGetTime(int clock, out TimeSpec ts);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
