namespace OmniReport.Core.Aggregates;

/// <summary>
/// What the records of one rollup cell (a group of a dimension set, a UTC quarter hour, hour or day) add up to, kept
/// exactly: the count, every numeric field as value → how many times, the counters. Cells add and subtract exactly, so
/// a local bucket is composed of whole UTC cells minus others (<see cref="RollupCover"/>), a changed record is its new
/// contribution minus its old one, and every statistic of SPEC §7 (percentiles included) comes out exact.
/// </summary>
public sealed class RollupCell
{
    /// <summary>An empty cell of a shape.</summary>
    public RollupCell(RollupShape shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        Histograms = new RollupHistogram?[shape.Histograms];
        Counters = new long[shape.Counters];
    }

    /// <summary>Records.</summary>
    public long Count { get; set; }

    /// <summary>Per histogram of the shape (null: none).</summary>
    public RollupHistogram?[] Histograms { get; }

    /// <summary>The shape's counters.</summary>
    public long[] Counters { get; }

    /// <summary>True when it holds nothing (every count is zero).</summary>
    public bool IsEmpty => Count == 0 && Counters.All(c => c == 0) && Histograms.All(h => h is null || h.IsEmpty);

    /// <summary>Adds a record <paramref name="sign"/> times (−1 takes it away).</summary>
    public void Add(RollupShape shape, Fact fact, long sign)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(fact);
        Count += sign;
        for (var i = 0; i < fact.Values.Length; i++)
        {
            if (fact.Values[i] is { } v)
            {
                (Histograms[i] ??= new RollupHistogram()).Add(v, sign);
            }
        }

        if (shape.Kind != AggregateKind.Interactions)
        {
            return;
        }

        if (fact.Values[0] is { } wait && fact.Dimensions[shape.AgentType] == "USER")
        {
            (Histograms[2] ??= new RollupHistogram()).Add(wait, sign);
        }

        switch (fact.Dimensions[shape.Status])
        {
            case "MISSED" or "ABANDONED":
                Counters[0] += sign;
                Counters[1] += sign;
                break;
            case "FINISHED" or "VOICEMAIL":
                Counters[1] += sign;
                break;
        }
    }

    /// <summary>Adds another cell <paramref name="sign"/> times.</summary>
    public void Merge(RollupCell other, long sign)
    {
        ArgumentNullException.ThrowIfNull(other);
        Count += other.Count * sign;
        for (var i = 0; i < Counters.Length; i++)
        {
            Counters[i] += other.Counters[i] * sign;
        }

        for (var i = 0; i < Histograms.Length; i++)
        {
            if (other.Histograms[i] is { } h)
            {
                (Histograms[i] ??= new RollupHistogram()).Merge(h, sign);
            }
        }
    }
}

/// <summary>The values of one numeric field in a cell: value → how many times, with their count and sum.</summary>
public sealed class RollupHistogram
{
    /// <summary>value → times; null when only the count and sum were read.</summary>
    public Dictionary<long, long>? Values { get; private set; } = [];

    /// <summary>How many values.</summary>
    public long Count { get; set; }

    /// <summary>Their sum.</summary>
    public long Sum { get; set; }

    /// <summary>True when it holds no value.</summary>
    public bool IsEmpty => Count == 0 && Sum == 0 && (Values is null || Values.Count == 0);

    /// <summary>A histogram read without its values (only count and sum).</summary>
    public static RollupHistogram Totals(long count, long sum) => new() { Values = null, Count = count, Sum = sum };

    /// <summary>Adds a value <paramref name="times"/> times (negative: takes it away); a value at zero times is dropped.</summary>
    public void Add(long value, long times)
    {
        Count += times;
        Sum += value * times;
        if (Values is null)
        {
            return;
        }

        // One lookup: this runs once per value per cell on every write of the rollups.
        ref var n = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(Values, value, out _);
        n += times;
        if (n == 0)
        {
            Values.Remove(value);
        }
    }

    /// <summary>Adds another histogram <paramref name="sign"/> times.</summary>
    public void Merge(RollupHistogram other, long sign)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Values is null)
        {
            Values = null;
            Count += other.Count * sign;
            Sum += other.Sum * sign;
            return;
        }

        foreach (var (v, n) in other.Values)
        {
            Add(v, n * sign);
        }
    }

    /// <summary>How many values are at most <paramref name="limit"/>.</summary>
    public long CountAtMost(long limit)
    {
        long n = 0;
        foreach (var (v, times) in Values ?? throw new InvalidOperationException("the values were not read"))
        {
            if (v <= limit)
            {
                n += times;
            }
        }

        return n;
    }
}
