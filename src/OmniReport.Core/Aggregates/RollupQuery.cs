namespace OmniReport.Core.Aggregates;

/// <summary>
/// An aggregates request answered from rollups (issue #11): which dimension set, which cells each bucket is made of
/// (<see cref="RollupCover"/>), and the folding of the cells the store reads into the answer. Possible when the
/// group-by and filter fields together are one kept dimension set (<see cref="RollupShape.DimensionSets"/>; none at
/// all reads the set of <see cref="RollupShape.TotalDimensionSet"/>), every bucket boundary lies on the UTC
/// quarter-hour grid and the set keeps the tiers the buckets need (<see cref="RollupShape.FinestTier"/>); any other
/// request is answered from the records.
/// </summary>
public sealed class RollupQuery
{
    private readonly Aggregation _aggregation;
    private readonly CoverCell[][] _cover;
    private readonly Dictionary<(RollupTier, long), List<(string?[] Group, RollupCell Cell)>> _cells = [];
    private readonly int[] _set;

    private RollupQuery(Aggregation aggregation, RollupShape shape, int dimensionSet, CoverCell[][] cover)
    {
        _aggregation = aggregation;
        _cover = cover;
        Shape = shape;
        DimensionSet = dimensionSet;
        _set = shape.DimensionSets[dimensionSet];
        var r = aggregation.Request;
        Values = new bool[shape.Histograms];
        foreach (var m in r.Metrics)
        {
            if (r.Kind.NumericIndex(m) is >= 0 and var i)
            {
                Values[i] = true;
            }
        }

        if (shape.Kind == AggregateKind.Interactions && r.Metrics.Contains("service_level_percent"))
        {
            Values[2] = true;
        }

        var starts = new Dictionary<RollupTier, long[]>();
        foreach (var tier in new[] { RollupTier.Quarter, RollupTier.Hour, RollupTier.Day })
        {
            starts[tier] = [.. cover.SelectMany(b => b).Where(c => c.Tier == tier).Select(c => c.Start).Distinct().Order()];
        }

        Starts = starts;
    }

    /// <summary>The plan for an answer, or null when rollups cannot give it.</summary>
    public static RollupQuery? For(Aggregation aggregation)
    {
        ArgumentNullException.ThrowIfNull(aggregation);
        var r = aggregation.Request;
        var fields = new HashSet<int>(r.GroupBy);
        for (var i = 0; i < r.Filter.Count; i++)
        {
            if (r.Filter[i] is not null)
            {
                fields.Add(i);
            }
        }

        var shape = RollupShape.For(r.Kind);
        var set = shape.SetOf(fields);
        if (set < 0 || RollupCover.Of(aggregation.Starts, r.ToMs) is not { } cover || cover.Any(b => b.Any(c => c.Tier < shape.FinestTier[set])))
        {
            return null;
        }

        return new RollupQuery(aggregation, shape, set, cover);
    }

    /// <summary>The shape read.</summary>
    public RollupShape Shape { get; }

    /// <summary>The dimension set read.</summary>
    public int DimensionSet { get; }

    /// <summary>The histograms whose values the answer needs (the others: count and sum only).</summary>
    public bool[] Values { get; }

    /// <summary>The cell starts to read, per tier, ascending.</summary>
    public IReadOnlyDictionary<RollupTier, long[]> Starts { get; }

    /// <summary>Takes one stored cell: <paramref name="group"/> are its dimension set's values.</summary>
    public void Add(RollupTier tier, long start, string?[] group, RollupCell cell)
    {
        ArgumentNullException.ThrowIfNull(group);
        var r = _aggregation.Request;
        for (var i = 0; i < _set.Length; i++)
        {
            if (r.Filter[_set[i]] is { } allowed && !allowed.Contains(group[i]))
            {
                return;
            }
        }

        if (!_cells.TryGetValue((tier, start), out var list))
        {
            _cells.Add((tier, start), list = []);
        }

        list.Add((group, cell));
    }

    /// <summary>Folds the cells taken into the answer, bucket by bucket.</summary>
    public void Finish()
    {
        var groupBy = _aggregation.Request.GroupBy;
        var byGroup = new Dictionary<string?[], string?[]>(ReferenceEqualityComparer.Instance);
        for (var b = 0; b < _cover.Length; b++)
        {
            foreach (var (tier, start, sign) in _cover[b])
            {
                if (!_cells.TryGetValue((tier, start), out var list))
                {
                    continue;
                }

                foreach (var (values, cell) in list)
                {
                    if (!byGroup.TryGetValue(values, out var group))
                    {
                        group = new string?[groupBy.Count];
                        for (var g = 0; g < group.Length; g++)
                        {
                            group[g] = values[Array.IndexOf(_set, groupBy[g])];
                        }

                        byGroup.Add(values, group);
                    }

                    _aggregation.AddRollup(group, b, cell, sign);
                }
            }
        }

        _aggregation.Settle();
    }
}
