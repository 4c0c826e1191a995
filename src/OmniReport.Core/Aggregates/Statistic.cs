namespace OmniReport.Core.Aggregates;

/// <summary>
/// The values of one numeric field in one bucket of one group, kept exactly as value → how many times (SPEC §7): a
/// statistic's count, sum, average, minimum, maximum and nearest-rank percentiles all come from it, and two of them
/// merge by adding counts, which is what lets rollups of several cells answer a bucket exactly.
/// </summary>
public sealed class Statistic
{
    // Records are added one by one into a dictionary; rollup histograms arrive as sorted runs, each added or taken
    // away, and are only remembered: the summary walks them together (a k-way merge of one to a few runs), so no
    // dictionary, sort or merged copy is made for a bucket of the rollups.
    private Dictionary<long, long>? _counts;
    private Run[] _runs = [];
    private int _runCount;
    private (long Min, long Max, long P50, long P90, long P95)? _sealed;

    /// <summary>The percentiles of SPEC §7's statistic: p50, p90, p95.</summary>
    public static ReadOnlySpan<int> Answered => [50, 90, 95];

    /// <summary>How many values.</summary>
    public long Count { get; private set; }

    /// <summary>Their sum.</summary>
    public long Sum { get; private set; }

    /// <summary>Adds <paramref name="times"/> occurrences of <paramref name="value"/>.</summary>
    public void Add(long value, long times = 1)
    {
        _counts ??= [];
        var n = _counts.GetValueOrDefault(value) + times;
        if (n == 0)
        {
            // Rollup cells are also taken away (RollupCover): a value at zero times is no value.
            _counts.Remove(value);
        }
        else
        {
            _counts[value] = n;
        }

        Count += times;
        Sum += value * times;
    }

    /// <summary>Adds histogram <paramref name="histogram"/> of cell <paramref name="cell"/> <paramref name="sign"/> times.</summary>
    public void Merge(RollupCells cells, int cell, int histogram, long sign)
    {
        ArgumentNullException.ThrowIfNull(cells);
        var (values, times, offset, length) = cells.Run(cell, histogram);
        Count += cells.HistogramCount(cell, histogram) * sign;
        Sum += cells.HistogramSum(cell, histogram) * sign;
        AddRun(new Run(values, times, offset, length, sign));
    }

    /// <summary>Sum ÷ count rounded half away from zero to 2 decimals; null with no values.</summary>
    public decimal? Average => Count == 0 ? null : Ratio(Sum, Count, 1);

    /// <summary>The summary: min, max and the percentiles p (nearest rank: the smallest value v with at least p % of the values ≤ v).</summary>
    public (long? Min, long? Max, long?[] Percentiles) Summary(ReadOnlySpan<int> percentiles)
    {
        var result = new long?[percentiles.Length];
        Span<long> p = stackalloc long[percentiles.Length];
        if (!Summarize(percentiles, p, out var min, out var max))
        {
            return (null, null, result);
        }

        for (var i = 0; i < p.Length; i++)
        {
            result[i] = p[i];
        }

        return (min, max, result);
    }

    /// <summary>
    /// <see cref="Summary"/> without allocating: false when there are no values; else the minimum, the maximum and
    /// each percentile of <paramref name="percentiles"/> (ascending) in <paramref name="into"/>.
    /// </summary>
    public bool Summarize(ReadOnlySpan<int> percentiles, Span<long> into, out long min, out long max)
    {
        (min, max) = (0, 0);
        if (Count == 0)
        {
            return false;
        }

        if (_sealed is { } done)
        {
            if (!percentiles.SequenceEqual(Answered))
            {
                throw new InvalidOperationException("a sealed statistic answers only p50, p90 and p95");
            }

            (min, max, into[0], into[1], into[2]) = done;
            return true;
        }

        if (_counts is { Count: > 0 })
        {
            var keys = _counts.Keys.ToArray();
            Array.Sort(keys);
            var times = new long[keys.Length];
            for (var i = 0; i < keys.Length; i++)
            {
                times[i] = _counts[keys[i]];
            }

            _counts = null;
            AddRun(new Run(keys, times, 0, keys.Length, 1));
        }

        // The runs walked together in value order; a value whose times add up to zero is no value.
        Span<int> at = _runCount <= 16 ? stackalloc int[_runCount] : new int[_runCount];
        for (var r = 0; r < _runCount; r++)
        {
            at[r] = _runs[r].Offset;
        }

        var next = 0;
        long seen = 0;
        var first = true;
        while (true)
        {
            var value = long.MaxValue;
            var any = false;
            for (var r = 0; r < _runCount; r++)
            {
                ref readonly var run = ref _runs[r];
                if (at[r] < run.End && (!any || run.Values[at[r]] < value))
                {
                    (value, any) = (run.Values[at[r]], true);
                }
            }

            if (!any)
            {
                break;
            }

            long n = 0;
            for (var r = 0; r < _runCount; r++)
            {
                ref readonly var run = ref _runs[r];
                if (at[r] < run.End && run.Values[at[r]] == value)
                {
                    n += run.Times[at[r]++] * run.Sign;
                }
            }

            if (n == 0)
            {
                continue;
            }

            if (first)
            {
                (min, first) = (value, false);
            }

            max = value;
            seen += n;
            // rank = ceil(p × n / 100): the value where the cumulative count first reaches it.
            while (next < percentiles.Length && seen * 100 >= (long)percentiles[next] * Count)
            {
                into[next++] = value;
            }
        }

        return true;
    }

    /// <summary>
    /// Computes the summary of <see cref="Answered"/> now and lets go of the values: the rollup runs it refers to
    /// (<see cref="Merge"/>) go back to their pool when the fold ends.
    /// </summary>
    internal void Seal()
    {
        Span<long> p = stackalloc long[3];
        if (Summarize(Answered, p, out var min, out var max))
        {
            _sealed = (min, max, p[0], p[1], p[2]);
        }

        (_runs, _runCount) = ([], 0);
    }

    /// <summary>scale × numerator ÷ denominator rounded half away from zero to 2 decimals; null when the denominator is 0.</summary>
    public static decimal? Ratio(long numerator, long denominator, int scale) =>
        denominator == 0 ? null : Math.Round((decimal)numerator * scale / denominator, 2, MidpointRounding.AwayFromZero);

    private void AddRun(Run run)
    {
        if (run.Offset == run.End)
        {
            return;
        }

        if (_runCount == _runs.Length)
        {
            Array.Resize(ref _runs, _runs.Length == 0 ? 1 : Math.Max(4, _runs.Length * 2)); // one run for most buckets, three at a DST edge
        }

        _runs[_runCount++] = run;
    }

    /// <summary>Values ascending and their times in [Offset, End) of two arrays, counted <see cref="Sign"/> times.</summary>
    private readonly record struct Run(long[] Values, long[] Times, int Offset, int Length, long Sign)
    {
        public int End => Offset + Length;
    }
}
