namespace OmniReport.Core.Aggregates;

/// <summary>
/// The values of one numeric field in one bucket of one group, kept exactly as value → how many times (SPEC §7): a
/// statistic's count, sum, average, minimum, maximum and nearest-rank percentiles all come from it, and two of them
/// merge by adding counts, which is what lets rollups of several cells answer a bucket exactly.
/// </summary>
public sealed class Statistic
{
    private readonly Dictionary<long, long> _counts = [];

    /// <summary>How many values.</summary>
    public long Count { get; private set; }

    /// <summary>Their sum.</summary>
    public long Sum { get; private set; }

    /// <summary>Adds <paramref name="times"/> occurrences of <paramref name="value"/>.</summary>
    public void Add(long value, long times = 1)
    {
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

    /// <summary>Adds a rollup histogram <paramref name="sign"/> times.</summary>
    public void Merge(RollupHistogram histogram, long sign)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        foreach (var (v, n) in histogram.Values ?? throw new InvalidOperationException("the values were not read"))
        {
            Add(v, n * sign);
        }
    }

    /// <summary>Sum ÷ count rounded half away from zero to 2 decimals; null with no values.</summary>
    public decimal? Average => Count == 0 ? null : Ratio(Sum, Count, 1);

    /// <summary>The summary: min, max and the percentiles p (nearest rank: the smallest value v with at least p % of the values ≤ v).</summary>
    public (long? Min, long? Max, long?[] Percentiles) Summary(ReadOnlySpan<int> percentiles)
    {
        var result = new long?[percentiles.Length];
        if (Count == 0)
        {
            return (null, null, result);
        }

        var values = _counts.Keys.ToArray();
        Array.Sort(values);
        var next = 0;
        long seen = 0;
        foreach (var v in values)
        {
            seen += _counts[v];
            // rank = ceil(p × n / 100): the value where the cumulative count first reaches it.
            while (next < percentiles.Length && seen * 100 >= (long)percentiles[next] * Count)
            {
                result[next++] = v;
            }
        }

        return (values[0], values[^1], result);
    }

    /// <summary>scale × numerator ÷ denominator rounded half away from zero to 2 decimals; null when the denominator is 0.</summary>
    public static decimal? Ratio(long numerator, long denominator, int scale) =>
        denominator == 0 ? null : Math.Round((decimal)numerator * scale / denominator, 2, MidpointRounding.AwayFromZero);
}
