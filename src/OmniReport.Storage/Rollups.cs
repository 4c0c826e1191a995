using OmniReport.Core.Aggregates;
using OmniReport.Storage.Codec;

namespace OmniReport.Storage;

/// <summary>A rollup cell's key: kind, dimension set, tier, start and the group's values (<see cref="RollupCodec.Key"/>).</summary>
internal readonly record struct RollupKey(int Kind, int Dims, int Tier, long Start, string Key)
{
    /// <summary>The one order every writer touches cells in (PostgreSQL: so two writers cannot deadlock on them).</summary>
    public static int Compare(RollupKey a, RollupKey b)
    {
        var c = a.Kind.CompareTo(b.Kind);
        c = c != 0 ? c : a.Dims.CompareTo(b.Dims);
        c = c != 0 ? c : a.Tier.CompareTo(b.Tier);
        c = c != 0 ? c : a.Start.CompareTo(b.Start);
        return c != 0 ? c : string.CompareOrdinal(a.Key, b.Key);
    }
}

/// <summary>
/// A record added to (+1) or taken away from (−1) the rollups. A plan keeps these, not the cells: which cells they
/// change and how is worked out later (<see cref="RollupDeltas.Add(IEnumerable{RollupChange})"/>), once for all the
/// plans of a transaction, and by SQLite's group commit off the writer's path.
/// </summary>
internal readonly record struct RollupChange(AggregateKind Kind, Fact Fact, int Sign);

/// <summary>
/// What one transaction changes in the rollups: per cell, the records it adds minus those it takes away (a changed
/// record counts once each way). Written once per cell at the end of the transaction that writes the records.
/// </summary>
internal sealed class RollupDeltas
{
    private readonly Dictionary<RollupKey, RollupCell> _cells = [];

    /// <summary>True when nothing changes.</summary>
    public bool IsEmpty => _cells.Count == 0;

    /// <summary>Adds (+1) or takes away (−1) a record in every cell that holds it: each dimension set × each tier.</summary>
    public void Add(AggregateKind kind, Fact fact, int sign)
    {
        var shape = RollupShape.For(kind);
        for (var s = 0; s < shape.DimensionSets.Count; s++)
        {
            var set = shape.DimensionSets[s];
            var key = RollupCodec.Key(set.Length == 1 ? [fact.Dimensions[set[0]]] : [.. set.Select(d => fact.Dimensions[d])]);
            for (var t = shape.FinestTier[s]; t <= RollupTier.Day; t++)
            {
                var k = new RollupKey(shape.Id, s, (int)t, RollupShape.CellStart(t, fact.StartMs), key);
                if (!_cells.TryGetValue(k, out var cell))
                {
                    _cells.Add(k, cell = new RollupCell(shape));
                }

                cell.Add(shape, fact, sign);
            }
        }
    }

    /// <summary>Adds a plan's changes (<see cref="RecomputePlan.Rollups"/>).</summary>
    public void Add(IEnumerable<RollupChange> changes)
    {
        foreach (var c in changes)
        {
            Add(c.Kind, c.Fact, c.Sign);
        }
    }

    /// <summary>The cells the changes of <paramref name="plans"/> change.</summary>
    public static RollupDeltas Of(IEnumerable<RecomputePlan> plans)
    {
        var deltas = new RollupDeltas();
        foreach (var plan in plans)
        {
            deltas.Add(plan.Rollups);
        }

        return deltas;
    }

    /// <summary>The cells that change, in <see cref="RollupKey.Compare"/> order.</summary>
    public List<(RollupKey Key, RollupCell Delta)> Sorted()
    {
        var list = _cells.Where(c => !c.Value.IsEmpty).Select(c => (c.Key, c.Value)).ToList();
        list.Sort((a, b) => RollupKey.Compare(a.Key, b.Key));
        return list;
    }

    /// <summary>The stored cell after the change: null when it holds no record any more (the row goes).</summary>
    public static byte[]? Apply(byte[]? stored, RollupCell delta) => RollupCodec.Merge(stored, delta);
}

/// <summary>
/// Whether a transaction writes its changes to the rollups. While a rebuild of an account is under way (<c>omnireport
/// rebuild</c>, a format upgrade, or a bulk import that deferred them: a row in <c>rebuilds</c>), no writer touches the
/// account's rollups and reads answer from the records; the rebuild's last step builds every cell from the records at
/// once (<see cref="RollupBuild"/>), under the lock that keeps the account's writers out.
/// </summary>
internal sealed class RollupScope
{
    private readonly bool _writes;

    private RollupScope(bool writes) => _writes = writes;

    /// <summary>No rebuild under way: every change.</summary>
    public static RollupScope All { get; } = new(true);

    /// <summary>A rebuild under way: nothing (its last step builds the cells from the records).</summary>
    public static RollupScope None { get; } = new(false);

    /// <summary>The scope of a writer that found the account's rebuild row (null: no rebuild).</summary>
    public static RollupScope During(string? after) => after is null ? All : None;

    /// <summary>True when the interaction's changes go to the rollups.</summary>
    public bool Includes(string interactionId) => _writes;
}
