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
    private readonly Dictionary<(RollupTier, long), List<(int Group, int Cell)>> _cells = [];
    private readonly Dictionary<string?[], int> _answerGroups = new(new ValuesComparer());
    private readonly List<Aggregation.Cell[]> _groups = [];
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
        var totals = new bool[shape.Histograms];
        foreach (var h in Aggregation.RatioHistograms(shape.Kind))
        {
            totals[h] = true;
        }

        Cells = new RollupCells(shape, totals, Values);
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

    /// <summary>The cells read (the store decodes each into it and gives its index to <see cref="Add"/>).</summary>
    public RollupCells Cells { get; }

    /// <summary>
    /// The group of the answer that cells of the dimension set's values <paramref name="values"/> belong to, or −1
    /// when the filters leave them out (their cells need not be decoded). A store calls it once per distinct key.
    /// </summary>
    public int GroupOf(string?[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var r = _aggregation.Request;
        for (var i = 0; i < _set.Length; i++)
        {
            if (r.Filter[_set[i]] is { } allowed && !allowed.Contains(values[i]))
            {
                return -1;
            }
        }

        var groupBy = r.GroupBy;
        var group = new string?[groupBy.Count];
        for (var g = 0; g < group.Length; g++)
        {
            group[g] = values[Array.IndexOf(_set, groupBy[g])];
        }

        // Without group_by every key is the one answer group.
        if (!_answerGroups.TryGetValue(group, out var index))
        {
            _answerGroups.Add(group, index = _groups.Count);
            _groups.Add(_aggregation.BucketsOf(group));
        }

        return index;
    }

    /// <summary>Takes cell <paramref name="cell"/> of <see cref="Cells"/>, stored at (<paramref name="tier"/>, <paramref name="start"/>) for answer group <paramref name="group"/> (<see cref="GroupOf"/>).</summary>
    public void Add(RollupTier tier, long start, int group, int cell)
    {
        if (!_cells.TryGetValue((tier, start), out var list))
        {
            _cells.Add((tier, start), list = []);
        }

        list.Add((group, cell));
    }

    /// <summary>Folds the cells taken into the answer, bucket by bucket.</summary>
    public void Finish()
    {
        for (var b = 0; b < _cover.Length; b++)
        {
            foreach (var (tier, start, sign) in _cover[b])
            {
                if (!_cells.TryGetValue((tier, start), out var list))
                {
                    continue;
                }

                foreach (var (group, cell) in list)
                {
                    _aggregation.AddRollup(_groups[group], b, Cells, cell, sign);
                }
            }
        }

        _aggregation.Settle();
        Cells.Release();
    }

    private sealed class ValuesComparer : IEqualityComparer<string?[]>
    {
        public bool Equals(string?[]? x, string?[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(string?[] obj)
        {
            var h = new HashCode();
            foreach (var v in obj)
            {
                h.Add(v, StringComparer.Ordinal);
            }

            return h.ToHashCode();
        }
    }
}
