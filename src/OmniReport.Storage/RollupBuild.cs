using System.Collections.Concurrent;
using OmniReport.Core.Aggregates;
using OmniReport.Storage.Codec;

namespace OmniReport.Storage;

/// <summary>
/// Every rollup cell of an account, built from its stored records read in start order (the last step of a rebuild, the
/// end of a bulk import), one UTC day at a time (every tier's cells lie within a day).
/// Gives the bytes <see cref="RollupCodec.Write"/> gives for the cells the records add up to, without a cell or a
/// dictionary per histogram: a day's values of each histogram are kept as flat arrays with their record and sorted once
/// (shared by every dimension set); per set and tier a stable counting sort by cell then hands each cell its values
/// already ascending, and each run is encoded straight into the cell's bytes (issue #11: the build was a third to half
/// of a bulk import, most of it dictionaries of value → times per histogram per cell). A finished day is built on
/// the other cores while the caller reads the next one, so memory holds two days' records.
/// </summary>
internal sealed class RollupBuild
{
    private const int Quarters = 96;

    /// <summary>The buffers of the threads that build cells, taken and given back by each set (held for this build only).</summary>
    private readonly ConcurrentBag<Scratch> _scratch = [];

    private Day _day = new();
    private Day _spare = new();
    private Day? _building;
    private Task<List<(RollupKey, byte[])>[]>? _pending;
    private RollupShape? _shape;
    private GroupKeys[] _groups = [];
    private long _dayStart = long.MinValue;

    /// <summary>Cells complete and encoded, in <see cref="RollupKey.Compare"/> order within each day; the caller writes and clears them.</summary>
    public List<(RollupKey Key, byte[] Data)> Done { get; } = [];

    /// <summary>Adds a record; records of one kind come in ascending start order (a new kind may start again).</summary>
    public void Add(AggregateKind kind, Fact fact)
    {
        ArgumentNullException.ThrowIfNull(fact);
        Add(kind, fact.StartMs, fact.Dimensions, fact.Values);
    }

    /// <summary>Adds a record given as its start, dimensions and numeric fields (<see cref="Fact"/>'s order; read during the call only).</summary>
    public void Add(AggregateKind kind, long startMs, ReadOnlySpan<string?> dimensions, ReadOnlySpan<long?> values)
    {
        var shape = RollupShape.For(kind);
        var day = RollupShape.CellStart(RollupTier.Day, startMs);
        if (day != _dayStart || shape != _shape)
        {
            Hand();
            _dayStart = day;
            if (shape != _shape)
            {
                _shape = shape;
                _groups = [.. shape.DimensionSets.Select(_ => new GroupKeys())];
            }
        }

        var r = _day.Append(shape.DimensionSets.Count, shape.Histograms);
        _day.Quarter[r] = (byte)((startMs - day) / RollupShape.Length(RollupTier.Quarter));
        for (var s = 0; s < shape.DimensionSets.Count; s++)
        {
            var set = shape.DimensionSets[s];
            _day.Group[s][r] = set.Length == 1 ? _groups[s].Of(dimensions[set[0]]) : _groups[s].OfKey(KeyOf(set, dimensions));
        }

        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] is { } v)
            {
                _day.AddValue(i, v, r);
            }
        }

        // What RollupCell.Add keeps besides the numeric fields (interactions): the waiting time of USER records and the
        // status counters of the ratios.
        _day.Status[r] = 0;
        if (shape.Kind == AggregateKind.Interactions)
        {
            if (values[0] is { } wait && dimensions[shape.AgentType] == "USER")
            {
                _day.AddValue(2, wait, r);
            }

            _day.Status[r] = dimensions[shape.Status] switch
            {
                "MISSED" or "ABANDONED" => 2,
                "FINISHED" or "VOICEMAIL" => 1,
                _ => 0,
            };
        }
    }

    private static string KeyOf(int[] set, ReadOnlySpan<string?> dimensions)
    {
        var values = new string?[set.Length];
        for (var i = 0; i < set.Length; i++)
        {
            values[i] = dimensions[set[i]];
        }

        return RollupCodec.Key(values);
    }

    /// <summary>Hands out the cells of every day added so far (the caller's last call: at the end of a kind, of the records).</summary>
    public void Flush()
    {
        Hand();
        Collect();
    }

    /// <summary>
    /// The day under way is built on other threads while the caller reads the next day's records (and writes the cells
    /// of the one before): at most one day is being built, the cells of the previous one are collected into
    /// <see cref="Done"/> first.
    /// </summary>
    private void Hand()
    {
        Collect();
        if (_day.Count == 0 || _shape is not { } shape)
        {
            return;
        }

        var day = _day;
        var start = _dayStart;
        // The keys as they are now: the next day's records add groups while this one is built.
        var keys = _groups.Select(g => g.Snapshot()).ToArray();
        _building = day;
        _day = _spare;
        var pool = _scratch;
        _pending = Task.Run(() => Build(day, shape, start, keys, pool));
    }

    /// <summary>Waits for the day being built and adds its cells to <see cref="Done"/>.</summary>
    private void Collect()
    {
        if (_pending is null)
        {
            return;
        }

        var sets = _pending.GetAwaiter().GetResult();
        _pending = null;
        foreach (var cells in sets)
        {
            Done.AddRange(cells);
        }

        _spare = _building!;
        _spare.Clear();
        _building = null;
    }

    /// <summary>A day's cells (quarters, hours, the day), per dimension set, each set on a core of its own.</summary>
    private static List<(RollupKey, byte[])>[] Build(Day day, RollupShape shape, long dayStart, string[][] keys, ConcurrentBag<Scratch> pool)
    {
        // Each histogram's values sorted once, with their records: every set's cells take their runs from it.
        Parallel.For(0, shape.Histograms, h => Array.Sort(day.Values[h], day.Records[h], 0, day.ValueCount[h]));
        var sets = new List<(RollupKey, byte[])>[shape.DimensionSets.Count];
        Parallel.For(0, sets.Length, s => sets[s] = Cells(day, shape, s, dayStart, keys[s], pool));
        return sets;
    }

    /// <summary>The cells of one dimension set for the day, in <see cref="RollupKey.Compare"/> order (tier, start, key).</summary>
    private static List<(RollupKey, byte[])> Cells(Day day, RollupShape shape, int s, long dayStart, string[] keys, ConcurrentBag<Scratch> pool)
    {
        var group = day.Group[s];

        // The groups of the day in key order (the order cells are written in), numbered 0…n−1.
        var local = new int[keys.Length];
        var present = new List<int>();
        for (var r = 0; r < day.Count; r++)
        {
            if (local[group[r]]++ == 0)
            {
                present.Add(group[r]);
            }
        }

        present.Sort((a, b) => string.CompareOrdinal(keys[a], keys[b]));
        for (var i = 0; i < present.Count; i++)
        {
            local[present[i]] = i;
        }

        var groups = present.Count;
        if (!pool.TryTake(out var scratch))
        {
            scratch = new Scratch();
        }

        var cellOf = scratch.CellOf(day.Count);
        var sorted = scratch.Sorted(day.Count);
        var sections = scratch.Sections;
        var cell = scratch.Cell;
        var result = new List<(RollupKey, byte[])>();
        for (var tier = shape.FinestTier[s]; tier <= RollupTier.Day; tier++)
        {
            // A cell's number is slot × groups + group: ascending numbers are ascending (start, key).
            var perSlot = tier switch { RollupTier.Quarter => 1, RollupTier.Hour => 4, _ => Quarters };
            var cells = groups * (Quarters / perSlot);
            var count = new long[cells];
            var counters = new long[cells * shape.Counters];
            for (var r = 0; r < day.Count; r++)
            {
                var c = cellOf[r] = (day.Quarter[r] / perSlot * groups) + local[group[r]];
                count[c]++;
                if (shape.Counters != 0 && day.Status[r] != 0)
                {
                    counters[(c * shape.Counters) + 1]++;
                    if (day.Status[r] == 2)
                    {
                        counters[c * shape.Counters]++;
                    }
                }
            }

            // Per histogram, a stable counting sort of its value-ordered entries by cell: each cell's values ascending.
            var offset = new int[cells * shape.Histograms];
            var length = new int[cells * shape.Histograms];
            var first = new int[cells + 1];
            sections.Clear();
            for (var h = 0; h < shape.Histograms; h++)
            {
                var n = day.ValueCount[h];
                if (n == 0)
                {
                    continue;
                }

                var values = day.Values[h];
                var records = day.Records[h];
                Array.Clear(first);
                for (var i = 0; i < n; i++)
                {
                    first[cellOf[records[i]] + 1]++;
                }

                for (var c = 0; c < cells; c++)
                {
                    first[c + 1] += first[c];
                }

                var next = first.AsSpan(0, cells).ToArray();
                for (var i = 0; i < n; i++)
                {
                    sorted[next[cellOf[records[i]]]++] = values[i];
                }

                for (var c = 0; c < cells; c++)
                {
                    if (first[c + 1] > first[c])
                    {
                        var at = sections.Length;
                        RollupCodec.WriteSection(sections, sorted.AsSpan(first[c], first[c + 1] - first[c]));
                        offset[(c * shape.Histograms) + h] = at;
                        length[(c * shape.Histograms) + h] = sections.Length - at;
                    }
                }
            }

            var all = sections.Written;
            for (var c = 0; c < cells; c++)
            {
                if (count[c] == 0)
                {
                    continue;
                }

                cell.Clear();
                cell.Long(count[c]);
                for (var i = 0; i < shape.Counters; i++)
                {
                    cell.Long(counters[(c * shape.Counters) + i]);
                }

                for (var h = 0; h < shape.Histograms; h++)
                {
                    var len = length[(c * shape.Histograms) + h];
                    cell.UInt((ulong)len);
                    cell.Raw(all.Slice(offset[(c * shape.Histograms) + h], len));
                }

                var start = dayStart + (c / groups * perSlot * RollupShape.Length(RollupTier.Quarter));
                result.Add((new RollupKey(shape.Id, s, (int)tier, start, keys[present[c % groups]]), cell.ToArray()));
            }
        }

        pool.Add(scratch);
        return result;
    }

    /// <summary>
    /// The buffers of one thread's cells, kept from day to day: a day's per-record arrays and its encoded sections are
    /// large objects, which fresh each time cost page faults and full collections.
    /// </summary>
    private sealed class Scratch
    {
        private int[] _cellOf = [];
        private long[] _sorted = [];

        public BlobWriter Sections { get; } = new(1 << 16);

        public BlobWriter Cell { get; } = new(256);

        public int[] CellOf(int records) => _cellOf.Length >= records ? _cellOf : _cellOf = new int[records + (records / 4)];

        public long[] Sorted(int records) => _sorted.Length >= records ? _sorted : _sorted = new long[records + (records / 4)];
    }

    /// <summary>The records of the day under way, as flat arrays (reused from day to day).</summary>
    private sealed class Day
    {
        public int Count { get; private set; }

        public byte[] Quarter { get; private set; } = new byte[1024];

        /// <summary>0: no counter; 1: the statuses <c>abandon_percent</c> divides by; 2: also abandoned.</summary>
        public byte[] Status { get; private set; } = new byte[1024];

        /// <summary>Per dimension set, each record's group (<see cref="GroupKeys"/>).</summary>
        public int[][] Group { get; private set; } = [];

        /// <summary>Per histogram, its values and the record each belongs to.</summary>
        public long[][] Values { get; private set; } = [];

        public int[][] Records { get; private set; } = [];

        public int[] ValueCount { get; private set; } = [];

        /// <summary>A new record's index, the arrays grown to hold it (and made for a kind's sets and histograms).</summary>
        public int Append(int sets, int histograms)
        {
            if (Group.Length != sets || Values.Length != histograms)
            {
                Group = [.. Enumerable.Range(0, sets).Select(_ => new int[Quarter.Length])];
                Values = [.. Enumerable.Range(0, histograms).Select(_ => new long[1024])];
                Records = [.. Enumerable.Range(0, histograms).Select(_ => new int[1024])];
                ValueCount = new int[histograms];
            }

            if (Count == Quarter.Length)
            {
                var size = Count * 2;
                Quarter = Grow(Quarter, size);
                Status = Grow(Status, size);
                for (var s = 0; s < Group.Length; s++)
                {
                    Group[s] = Grow(Group[s], size);
                }
            }

            return Count++;
        }

        public void AddValue(int histogram, long value, int record)
        {
            var n = ValueCount[histogram];
            if (n == Values[histogram].Length)
            {
                Values[histogram] = Grow(Values[histogram], n * 2);
                Records[histogram] = Grow(Records[histogram], n * 2);
            }

            Values[histogram][n] = value;
            Records[histogram][n] = record;
            ValueCount[histogram] = n + 1;
        }

        public void Clear()
        {
            Count = 0;
            Array.Clear(ValueCount);
        }

        private static T[] Grow<T>(T[] array, int size)
        {
            var grown = new T[size];
            array.CopyTo(grown, 0);
            return grown;
        }
    }

    /// <summary>The groups of one dimension set: each value (or values) numbered once, with its key text (<see cref="RollupCodec.Key"/>).</summary>
    private sealed class GroupKeys
    {
        private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
        private readonly List<string> _keys = [];
        private int _null = -1;

        /// <summary>Every key so far, by group number.</summary>
        public string[] Snapshot() => [.. _keys];

        /// <summary>The group of a one-field set's value.</summary>
        public int Of(string? value)
        {
            if (value is null)
            {
                return _null >= 0 ? _null : _null = New(RollupCodec.Key([null]));
            }

            if (!_ids.TryGetValue(value, out var id))
            {
                _ids.Add(value, id = New(RollupCodec.Key([value])));
            }

            return id;
        }

        /// <summary>The group of a set of several fields, by its key text.</summary>
        public int OfKey(string key)
        {
            if (!_ids.TryGetValue(key, out var id))
            {
                _ids.Add(key, id = New(key));
            }

            return id;
        }

        private int New(string key)
        {
            _keys.Add(key);
            return _keys.Count - 1;
        }
    }
}
