namespace OmniReport.Core.Aggregates;

/// <summary>
/// Folds records into the answer of one aggregates request (SPEC §7): groups × buckets, each with its count, a
/// <see cref="Statistic"/> per numeric field it needs and the counters of the ratios. Averages and ratios are made
/// only at the end from sums and counts, never averaged across buckets.
/// </summary>
public sealed class Aggregation
{
    private readonly AggregateRequest _request;
    private readonly Dictionary<GroupKey, Cell[]> _groups = [];
    private readonly bool[] _numericNeeded;
    private readonly int _userType;
    private readonly int _statusIndex;

    /// <summary>Starts an empty answer.</summary>
    public Aggregation(AggregateRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        _request = request;
        Starts = Buckets.Starts(request.FromMs, request.ToMs, request.Zone, request.Granularity);
        var kind = request.Kind;
        _numericNeeded = new bool[kind.Numeric.Count];
        foreach (var m in request.Metrics)
        {
            if (kind.NumericIndex(m) is >= 0 and var i)
            {
                _numericNeeded[i] = true;
            }
        }

        _userType = kind.DimensionIndex("agent_type");
        _statusIndex = kind.DimensionIndex("interaction_status");
    }

    /// <summary>The request.</summary>
    public AggregateRequest Request => _request;

    /// <summary>The bucket starts.</summary>
    public long[] Starts { get; }

    /// <summary>How many groups have records so far.</summary>
    public int GroupCount => _groups.Count;

    /// <summary>True when buckets × groups is within <see cref="AggregateRequest.MaxCells"/>.</summary>
    public bool WithinLimit => (long)Starts.Length * Math.Max(1, _groups.Count) <= AggregateRequest.MaxCells;

    /// <summary>Adds one record, when it lies in the interval and passes the filters.</summary>
    public void Add(Fact fact)
    {
        ArgumentNullException.ThrowIfNull(fact);
        if (fact.StartMs < _request.FromMs || fact.StartMs >= _request.ToMs || !_request.Matches(fact.Dimensions))
        {
            return;
        }

        var cell = CellOf(fact.StartMs, fact.Dimensions);
        cell.Count++;
        for (var i = 0; i < fact.Values.Length; i++)
        {
            if (_numericNeeded[i] && fact.Values[i] is { } v)
            {
                (cell.Stats[i] ??= new Statistic()).Add(v);
            }
        }

        AddRatios(cell, fact.Dimensions, fact.Values, 1);
    }

    /// <summary>
    /// The buckets of group <paramref name="group"/> (the values of the group-by fields, in their order), made when
    /// new; for <see cref="AddRollup"/>, which a rollup query calls per cell without looking the group up each time.
    /// </summary>
    internal Cell[] BucketsOf(string?[] group)
    {
        var key = new GroupKey(group);
        if (!_groups.TryGetValue(key, out var cells))
        {
            _groups.Add(key, cells = new Cell[Starts.Length]);
        }

        return cells;
    }

    /// <summary>
    /// Adds rollup cell <paramref name="cell"/> of <paramref name="read"/> <paramref name="sign"/> times to bucket
    /// <paramref name="bucket"/> of a group's buckets (<see cref="BucketsOf"/>). The caller reads only cells of
    /// records that pass the filters and lie in the interval (<see cref="RollupCover"/>); <see cref="Settle"/> ends it.
    /// </summary>
    internal void AddRollup(Cell[] buckets, int bucket, RollupCells read, int cell, long sign)
    {
        var into = buckets[bucket] ??= new Cell(_numericNeeded.Length, _request.Kind.Ratios.Count);
        into.Count += read.RecordCount(cell) * sign;
        for (var i = 0; i < _numericNeeded.Length; i++)
        {
            if (_numericNeeded[i] && read.Run(cell, i).Length > 0)
            {
                (into.Stats[i] ??= new Statistic()).Merge(read, cell, i, sign);
            }
        }

        if (_request.Kind == AggregateKind.Engagements)
        {
            // requester_wait_seconds = Σ total wait ÷ Σ replies, as Add does it.
            into.Numerator[0] += read.HistogramSum(cell, 6) * sign;
            into.Denominator[0] += read.HistogramSum(cell, 4) * sign;
            return;
        }

        into.Denominator[0] += read.HistogramCount(cell, 0) * sign;
        // The waiting times of USER records are read only when service_level_percent is asked for.
        into.Numerator[0] += read.CountAtMost(cell, 2, _request.ServiceLevelSeconds) * sign;
        into.Numerator[1] += read.Counter(cell, 0) * sign;
        into.Denominator[1] += read.Counter(cell, 1) * sign;
    }

    /// <summary>The histograms whose count and sum <see cref="AddRollup"/> reads for the ratios of <paramref name="kind"/>.</summary>
    internal static int[] RatioHistograms(AggregateKind kind) =>
        kind == AggregateKind.Engagements ? [4, 6] : [0];

    /// <summary>
    /// After <see cref="AddRollup"/>: a bucket whose cells cancel out holds no record and is empty, and a group with no
    /// record in any bucket is no result (SPEC §7), exactly as when the records are added one by one. The statistics
    /// are summarized now (<see cref="Statistic.Seal"/>), so the cells read can be let go.
    /// </summary>
    public void Settle()
    {
        foreach (var (key, cells) in _groups.ToList())
        {
            var any = false;
            for (var b = 0; b < cells.Length; b++)
            {
                if (cells[b] is { Count: 0 })
                {
                    cells[b] = null!; // the arrays hold null for empty buckets (Results reads them as Cell?)
                }

                any |= cells[b] is not null;
                foreach (var s in cells[b]?.Stats ?? [])
                {
                    s?.Seal();
                }
            }

            if (!any)
            {
                _groups.Remove(key);
            }
        }
    }

    private void AddRatios(Cell cell, string?[] dims, long?[] values, long times)
    {
        if (_request.Kind == AggregateKind.Engagements)
        {
            // requester_wait_seconds = Σ total wait ÷ Σ replies
            cell.Numerator[0] += (values[6] ?? 0) * times;
            cell.Denominator[0] += (values[4] ?? 0) * times;
            return;
        }

        // service_level_percent: records with a waiting_time; of them, USER ones within the service level.
        if (values[0] is { } wait)
        {
            cell.Denominator[0] += times;
            if (dims[_userType] == "USER" && wait <= _request.ServiceLevelSeconds)
            {
                cell.Numerator[0] += times;
            }
        }

        // abandon_percent: MISSED or ABANDONED among FINISHED, MISSED, ABANDONED, VOICEMAIL.
        switch (dims[_statusIndex])
        {
            case "MISSED" or "ABANDONED":
                cell.Numerator[1] += times;
                cell.Denominator[1] += times;
                break;
            case "FINISHED" or "VOICEMAIL":
                cell.Denominator[1] += times;
                break;
        }
    }

    private Cell CellOf(long startMs, string?[] dims)
    {
        var groupBy = _request.GroupBy;
        var values = new string?[groupBy.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = dims[groupBy[i]];
        }

        var key = new GroupKey(values);
        if (!_groups.TryGetValue(key, out var cells))
        {
            _groups.Add(key, cells = new Cell[Starts.Length]);
        }

        var b = Buckets.IndexOf(Starts, startMs);
        return cells[b] ??= new Cell(_numericNeeded.Length, _request.Kind.Ratios.Count);
    }

    /// <summary>The groups in answer order (SPEC §7: by their values as text, ordinal, field by field, null as ""), each with its buckets (null: empty).</summary>
    public IReadOnlyList<(string?[] Group, Cell?[] Buckets)> Results()
    {
        var list = _groups.Select(g => (g.Key.Values, (Cell?[])g.Value)).ToList();
        if (list.Count == 0 && _request.GroupBy.Count == 0)
        {
            list.Add(([], new Cell?[Starts.Length]));
        }

        list.Sort((a, b) => GroupKey.Compare(a.Values, b.Values));
        return list;
    }

    /// <summary>One group's bucket: what its records add up to.</summary>
    public sealed class Cell
    {
        internal Cell(int numeric, int ratios)
        {
            Stats = new Statistic?[numeric];
            Numerator = new long[ratios];
            Denominator = new long[ratios];
        }

        /// <summary>Records.</summary>
        public long Count { get; internal set; }

        /// <summary>Per numeric field of the kind (null: no value, or not asked for).</summary>
        public Statistic?[] Stats { get; }

        /// <summary>Per ratio metric: its numerator.</summary>
        public long[] Numerator { get; }

        /// <summary>Per ratio metric: its denominator.</summary>
        public long[] Denominator { get; }
    }

    private readonly struct GroupKey(string?[] values) : IEquatable<GroupKey>
    {
        public string?[] Values { get; } = values;

        public bool Equals(GroupKey other)
        {
            for (var i = 0; i < Values.Length; i++)
            {
                if (!string.Equals(Values[i], other.Values[i], StringComparison.Ordinal))
                {
                    return false;
                }
            }

            return true;
        }

        public override bool Equals(object? obj) => obj is GroupKey k && Equals(k);

        public override int GetHashCode()
        {
            var h = new HashCode();
            foreach (var v in Values)
            {
                h.Add(v is null ? -1 : StringComparer.Ordinal.GetHashCode(v));
            }

            return h.ToHashCode();
        }

        public static int Compare(string?[] a, string?[] b)
        {
            for (var i = 0; i < a.Length; i++)
            {
                var c = string.CompareOrdinal(a[i] ?? string.Empty, b[i] ?? string.Empty);
                if (c != 0)
                {
                    return c;
                }

                // null and "" read alike; keep the order total (null first).
                if ((a[i] is null) != (b[i] is null))
                {
                    return a[i] is null ? -1 : 1;
                }
            }

            return 0;
        }
    }
}
