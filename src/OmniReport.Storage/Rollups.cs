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

    /// <summary>Adds another transaction part's changes.</summary>
    public void Merge(RollupDeltas other)
    {
        foreach (var (k, delta) in other._cells)
        {
            if (!_cells.TryGetValue(k, out var cell))
            {
                _cells.Add(k, cell = new RollupCell(RollupShape.For(k.Kind == 0 ? AggregateKind.Engagements : AggregateKind.Interactions)));
            }

            cell.Merge(delta, 1);
        }
    }

    /// <summary>The cells that change, in <see cref="RollupKey.Compare"/> order.</summary>
    public List<(RollupKey Key, RollupCell Delta)> Sorted()
    {
        var list = _cells.Where(c => !c.Value.IsEmpty).Select(c => (c.Key, c.Value)).ToList();
        list.Sort((a, b) => RollupKey.Compare(a.Key, b.Key));
        return list;
    }

    /// <summary>The stored cell after the change: null when it holds no record any more (the row goes).</summary>
    public static byte[]? Apply(RollupKey key, byte[]? stored, RollupCell delta)
    {
        var shape = key.Kind == 0 ? RollupShape.Engagements : RollupShape.Interactions;
        var cell = stored is null || stored.Length == 0 ? new RollupCell(shape) : RollupCodec.Read(shape, stored);
        cell.Merge(delta, 1);
        return cell.IsEmpty ? null : RollupCodec.Write(cell);
    }
}

/// <summary>
/// Which interactions' changes a transaction writes to the rollups. A rebuild (<c>omnireport rebuild</c>, a format
/// upgrade) empties an account's rollups when it begins and adds every interaction back as it recomputes it, in id
/// order; until it ends, other writers change the rollups only for the interactions it has done (id ≤ its progress),
/// so every interaction is in the rollups exactly once, and reads use the records instead.
/// </summary>
internal sealed class RollupScope
{
    private readonly string? _rebuildAfter;

    private RollupScope(string? rebuildAfter, bool fromScratch)
    {
        _rebuildAfter = rebuildAfter;
        FromScratch = fromScratch;
    }

    /// <summary>No rebuild under way: every change.</summary>
    public static RollupScope All { get; } = new(null, false);

    /// <summary>A rebuild step: every interaction it recomputes goes in whole (nothing of it is in the rollups yet).</summary>
    public static RollupScope Rebuild { get; } = new(null, true);

    /// <summary>True when the interaction's derived records are added whole rather than as a difference.</summary>
    public bool FromScratch { get; }

    /// <summary>Another writer's scope while a rebuild has done the interactions up to <paramref name="after"/> (null: no rebuild).</summary>
    public static RollupScope During(string? after) => after is null ? All : new RollupScope(after, false);

    /// <summary>True when the interaction's changes go to the rollups.</summary>
    public bool Includes(string interactionId) => FromScratch || _rebuildAfter is null || string.CompareOrdinal(interactionId, _rebuildAfter) <= 0;
}
