using OmniReport.Core.Aggregates;

namespace OmniReport.Core.Tests;

/// <summary>SPEC §7 statistics: nearest-rank percentiles, averages and ratios rounded half away from zero to 2 decimals.</summary>
public sealed class AggregateStatisticTests
{
    [Theory]
    [InlineData(new long[] { 7 }, 7, 7, 7)]
    [InlineData(new long[] { 4, 1, 3, 2 }, 2, 4, 4)]
    [InlineData(new long[] { 10, 20, 30, 40, 50, 60, 70, 80, 90, 100 }, 50, 90, 100)]
    [InlineData(new long[] { 5, 5, 5, 9 }, 5, 9, 9)]
    [InlineData(new long[] { -3, 0, 0, 12, 40, 41, 41, 41, 41, 41, 41, 41, 41, 41, 41, 41, 41, 41, 41, 99 }, 41, 41, 41)]
    public void Percentiles_are_the_smallest_value_with_at_least_p_percent_at_or_below(long[] values, long p50, long p90, long p95)
    {
        var s = new Statistic();
        foreach (var v in values)
        {
            s.Add(v);
        }

        var (min, max, p) = s.Summary([50, 90, 95]);
        Assert.Equal(values.Min(), min);
        Assert.Equal(values.Max(), max);
        Assert.Equal([p50, p90, p95], p);
        Assert.Equal(values.Length, s.Count);
        Assert.Equal(values.Sum(), s.Sum);
    }

    [Fact]
    public void Merging_by_counts_gives_the_same_statistic_as_adding_one_by_one()
    {
        var one = new Statistic();
        var merged = new Statistic();
        foreach (var v in new long[] { 3, 3, 3, 8, 8, 1 })
        {
            one.Add(v);
        }

        merged.Add(3, 3);
        merged.Add(8, 2);
        merged.Add(1, 1);
        Assert.Equal(one.Summary([50, 90, 95]).Percentiles, merged.Summary([50, 90, 95]).Percentiles);
        Assert.Equal(one.Average, merged.Average);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Merging_rollup_runs_added_and_taken_away_in_any_order_gives_the_statistic_of_what_remains(int seed)
    {
        // A bucket of the rollups is cells added and taken away (RollupCover); the runs merge as sorted arrays, in any
        // order (a value may go below zero times in between), and must give what adding the remaining values one by
        // one gives.
        var rng = new Random(seed);
        var shape = RollupShape.Engagements;
        var all = Enumerable.Repeat(true, shape.Histograms).ToArray();
        var cells = new RollupCells(shape, all, all);
        var runs = new List<(int Cell, long Sign, Dictionary<long, long> Values)>();
        var remaining = new Dictionary<long, long>();
        for (var k = 0; k < 6; k++)
        {
            var whole = Random(rng, 1 + rng.Next(30));
            var part = whole.Where(_ => rng.Next(2) == 0).ToDictionary(x => x.Key, x => 1 + (long)rng.Next((int)x.Value));
            runs.Add((Put(cells, whole), 1, whole));
            if (part.Count > 0)
            {
                runs.Add((Put(cells, part), -1, part));
            }

            foreach (var (v, n) in whole)
            {
                remaining[v] = remaining.GetValueOrDefault(v) + n - part.GetValueOrDefault(v);
            }
        }

        var merged = new Statistic();
        foreach (var (cell, sign, _) in runs.OrderBy(_ => rng.Next()))
        {
            merged.Merge(cells, cell, 2, sign);
        }

        var one = new Statistic();
        foreach (var (v, n) in remaining.Where(x => x.Value != 0))
        {
            one.Add(v, n);
        }

        Assert.Equal((one.Count, one.Sum, one.Average), (merged.Count, merged.Sum, merged.Average));
        var (min, max, p) = one.Summary([50, 90, 95]);
        var (mMin, mMax, mP) = merged.Summary([50, 90, 95]);
        Assert.Equal((min, max), (mMin, mMax));
        Assert.Equal(p, mP);
    }

    private static Dictionary<long, long> Random(Random rng, int n)
    {
        var d = new Dictionary<long, long>();
        for (var i = 0; i < n; i++)
        {
            var v = rng.Next(-5, 200);
            d[v] = d.GetValueOrDefault(v) + 1 + rng.Next(3);
        }

        return d;
    }

    private static int Put(RollupCells cells, Dictionary<long, long> values)
    {
        var cell = cells.Begin(values.Values.Sum());
        cells.SetTotals(cell, 2, values.Values.Sum(), values.Sum(x => x.Key * x.Value));
        var (v, t, offset) = cells.ValuesOf(cell, 2, values.Count);
        foreach (var (value, times) in values.OrderBy(x => x.Key))
        {
            (v[offset], t[offset]) = (value, times);
            offset++;
        }

        return cell;
    }

    [Theory]
    [InlineData(1, 200, 1, "0.01")]   // 0.005 → 0.01
    [InlineData(-1, 200, 1, "-0.01")] // half away from zero, not to even
    [InlineData(1, 3, 100, "33.33")]
    [InlineData(2, 3, 100, "66.67")]
    [InlineData(5, 2, 1, "2.5")]
    [InlineData(540, 9, 1, "60")]
    public void Ratios_round_half_away_from_zero_to_two_decimals(long num, long den, int scale, string expected) =>
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), Statistic.Ratio(num, den, scale));

    [Fact]
    public void No_values_and_a_zero_denominator_are_null()
    {
        var s = new Statistic();
        Assert.Null(s.Average);
        Assert.Equal((null, null), (s.Summary([50]).Min, s.Summary([50]).Max));
        Assert.Null(Statistic.Ratio(0, 0, 100));
    }
}
