using System.Buffers;
using System.Text.Json;
using NodaTime;

namespace OmniReport.Generation;

/// <summary>
/// Realistic synthetic events for a contact centre (SPEC §1): interactions arrive through business hours and
/// weekdays, and each follows one of a set of stories — routed conversations, offers declined and expired,
/// transfers to agents and to groups, reassignment, unassignment, pending and reopen, inactivity, conversations
/// ended by agents, answered, missed, abandoned and voicemail calls, bot-only conversations, internal notes —
/// optionally delivered late or twice. Pure: the same <see cref="GeneratorOptions"/> give the same events.
/// The events stream: only interactions still in progress are held in memory.
/// </summary>
public sealed partial class EventGenerator
{
    private const ulong ArrivalStream = 0xA5A5_0001;
    private const ulong StoryStream = 0x5A5A_0002;
    private const ulong DeliveryStream = 0x3C3C_0003;
    private const int CalibrationSample = 2000;

    // Arrivals by local hour of the day, and by weekday (Monday first): a weekday business-hours curve.
    private static readonly double[] HourWeights =
        [0.05, 0.03, 0.02, 0.02, 0.03, 0.08, 0.2, 0.45, 0.8, 1.0, 1.0, 0.95, 0.75, 0.8, 0.95, 1.0, 0.9, 0.7, 0.45, 0.3, 0.25, 0.2, 0.12, 0.08];

    private static readonly double[] DayWeights = [1.0, 0.95, 0.95, 0.9, 0.85, 0.35, 0.2];

    private readonly GeneratorOptions _options;

    /// <summary>Creates a generator.</summary>
    /// <exception cref="ArgumentException">The options are not usable (<see cref="GeneratorOptions.Problem"/>).</exception>
    public EventGenerator(GeneratorOptions options)
    {
        if (options.Problem() is { } problem)
        {
            throw new ArgumentException(problem, nameof(options));
        }

        _options = options;
    }

    /// <summary>
    /// The number of interactions the stream starts: <see cref="GeneratorOptions.Interactions"/>, or, when
    /// <see cref="GeneratorOptions.Events"/> is set, enough to give a few more events than asked for.
    /// </summary>
    public int InteractionCount => _options.Events is { } n ? InteractionsFor(n) : _options.Interactions;

    /// <summary>Every event, in delivery order (late ones later, duplicates twice).</summary>
    public IEnumerable<SyntheticEvent> Events()
    {
        var interactions = InteractionCount;
        var limit = _options.Events ?? long.MaxValue;
        var stories = new StoryWriter(_options, interactions, new Xoshiro256(_options.Seed ^ StoryStream));
        var delivery = new Xoshiro256(_options.Seed ^ DeliveryStream);
        var queue = new PriorityQueue<SyntheticEvent, (long DeliverMs, long Seq)>();
        long seq = 0;
        long emitted = 0;
        var index = 0;
        foreach (var startMs in Arrivals(interactions, new Xoshiro256(_options.Seed ^ ArrivalStream)))
        {
            // Everything due before this interaction starts goes out first.
            while (queue.TryPeek(out var due, out var key) && key.DeliverMs < startMs)
            {
                queue.Dequeue();
                yield return due;
                if (++emitted >= limit)
                {
                    yield break;
                }
            }

            foreach (var e in stories.Write(index++, startMs))
            {
                var deliverMs = e.OccurredAtMs;
                if (_options.LateFraction > 0 && delivery.Chance(_options.LateFraction))
                {
                    deliverMs += delivery.Between(60_000, 7_200_000);
                }

                queue.Enqueue(e, (deliverMs, seq++));
                if (_options.DuplicateFraction > 0 && delivery.Chance(_options.DuplicateFraction))
                {
                    queue.Enqueue(e, (deliverMs + delivery.Between(0, 600_000), seq++));
                }
            }
        }

        while (queue.TryDequeue(out var e, out _))
        {
            yield return e;
            if (++emitted >= limit)
            {
                yield break;
            }
        }
    }

    /// <summary>Writes every event as NDJSON (UTF-8, one object a line); returns the number written.</summary>
    public long WriteNdjson(Stream output) => WriteNdjson(output, null);

    /// <summary>
    /// Writes every event as NDJSON (UTF-8, one object a line); returns the number written. <paramref name="progress"/>
    /// is told the number of events written so far after each block of output (about every 64 KB).
    /// </summary>
    public long WriteNdjson(Stream output, Action<long>? progress)
    {
        var buffer = new ArrayBufferWriter<byte>(1 << 17);
        Utf8JsonWriter? writer = null;
        long count = 0;
        try
        {
            foreach (var e in Events())
            {
                e.WriteLine(buffer, ref writer);
                count++;
                if (buffer.WrittenCount >= 1 << 16)
                {
                    output.Write(buffer.WrittenSpan);
                    buffer.ResetWrittenCount();
                    progress?.Invoke(count);
                }
            }

            output.Write(buffer.WrittenSpan);
            output.Flush();
            progress?.Invoke(count);
        }
        finally
        {
            writer?.Dispose();
        }

        return count;
    }

    /// <summary>
    /// Start times, ascending: the interactions spread over the days in proportion to the hour-of-day and
    /// weekday weights (read in the options' time zone), uniformly within each hour.
    /// </summary>
    private IEnumerable<long> Arrivals(int interactions, Xoshiro256 random)
    {
        var zone = _options.TimeZone;
        var total = 0.0;
        for (var d = 0; d < _options.Days; d++)
        {
            total += DayWeights[DayIndex(_options.Start.PlusDays(d))] * HourWeights.Sum();
        }

        var cumulative = 0.0;
        long given = 0;
        for (var d = 0; d < _options.Days; d++)
        {
            var date = _options.Start.PlusDays(d);
            var dayWeight = DayWeights[DayIndex(date)];
            for (var h = 0; h < 24; h++)
            {
                cumulative += dayWeight * HourWeights[h];
                var upTo = (long)Math.Round(interactions * cumulative / total);
                var count = (int)(upTo - given);
                given = upTo;
                if (count <= 0)
                {
                    continue;
                }

                var from = zone.AtLeniently(date.At(new LocalTime(h, 0))).ToInstant().ToUnixTimeMilliseconds();
                var to = h < 23
                    ? zone.AtLeniently(date.At(new LocalTime(h + 1, 0))).ToInstant().ToUnixTimeMilliseconds()
                    : zone.AtStartOfDay(date.PlusDays(1)).ToInstant().ToUnixTimeMilliseconds();
                var span = Math.Max(to - from, 1);
                var times = new long[count];
                for (var i = 0; i < count; i++)
                {
                    times[i] = from + (long)(random.NextDouble() * span);
                }

                Array.Sort(times);
                foreach (var t in times)
                {
                    yield return t;
                }
            }
        }
    }

    private static int DayIndex(LocalDate date) => (int)date.DayOfWeek - 1; // IsoDayOfWeek: Monday = 1

    /// <summary>Interactions enough for <paramref name="events"/> events: the average story length, measured on a sample.</summary>
    private int InteractionsFor(long events)
    {
        var sample = (int)Math.Min(CalibrationSample, Math.Max(50, events / 4));
        var stories = new StoryWriter(_options, sample, new Xoshiro256(_options.Seed ^ StoryStream));
        var t = _options.Start.AtStartOfDayInZone(_options.TimeZone).ToInstant().ToUnixTimeMilliseconds();
        long n = 0;
        for (var i = 0; i < sample; i++)
        {
            n += stories.Write(i, t).Count;
        }

        var perInteraction = n / (double)sample * (1 + _options.DuplicateFraction);
        return (int)Math.Min(int.MaxValue, Math.Ceiling(events / perInteraction * 1.05) + 20);
    }
}
