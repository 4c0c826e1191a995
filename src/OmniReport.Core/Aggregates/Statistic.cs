namespace OmniReport.Core.Aggregates;

/// <summary>
/// The values of one numeric field in one bucket of one group, kept exactly as value → how many times (SPEC §7): a
/// statistic's count, sum, average, minimum, maximum and nearest-rank percentiles all come from it, and two of them
/// merge by adding counts, which is what lets rollups of several cells answer a bucket exactly.
/// </summary>
public sealed class Statistic
{
    // Records are added one by one into a dictionary; rollup histograms arrive as sorted runs and are merged as such
    // (no dictionary, no sort: a bucket of the rollups is one to three runs). Summary joins the two.
    private Dictionary<long, long>? _counts;
    private long[] _values = [];
    private long[] _times = [];
    private int _offset;
    private int _length;

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
        if (_length == 0 && sign == 1)
        {
            // The first run is used where it lies; merging makes new arrays, so it is never written to.
            (_values, _times, _offset, _length) = (values, times, offset, length);
            return;
        }

        MergeRun(values, times, offset, length, sign);
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
            MergeRun(keys, times, 0, keys.Length, 1);
        }

        var next = 0;
        long seen = 0;
        for (var i = _offset; i < _offset + _length; i++)
        {
            seen += _times[i];
            // rank = ceil(p × n / 100): the value where the cumulative count first reaches it.
            while (next < percentiles.Length && seen * 100 >= (long)percentiles[next] * Count)
            {
                into[next++] = _values[i];
            }
        }

        (min, max) = (_values[_offset], _values[_offset + _length - 1]);
        return true;
    }

    /// <summary>scale × numerator ÷ denominator rounded half away from zero to 2 decimals; null when the denominator is 0.</summary>
    public static decimal? Ratio(long numerator, long denominator, int scale) =>
        denominator == 0 ? null : Math.Round((decimal)numerator * scale / denominator, 2, MidpointRounding.AwayFromZero);

    /// <summary>Merges a sorted run, times × <paramref name="sign"/>, into the sorted values held (into new arrays); a value at zero times is dropped.</summary>
    private void MergeRun(long[] values, long[] times, int offset, int length, long sign)
    {
        var v = new long[_length + length];
        var t = new long[_length + length];
        int i = _offset, iEnd = _offset + _length, j = offset, jEnd = offset + length, n = 0;
        while (i < iEnd || j < jEnd)
        {
            long value, count;
            if (j == jEnd || (i < iEnd && _values[i] < values[j]))
            {
                (value, count) = (_values[i], _times[i]);
                i++;
            }
            else if (i == iEnd || values[j] < _values[i])
            {
                (value, count) = (values[j], times[j] * sign);
                j++;
            }
            else
            {
                (value, count) = (_values[i], _times[i] + (times[j] * sign));
                i++;
                j++;
            }

            if (count != 0)
            {
                (v[n], t[n]) = (value, count);
                n++;
            }
        }

        (_values, _times, _offset, _length) = (v, t, 0, n);
    }
}
