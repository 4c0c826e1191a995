namespace OmniReport.Core.Aggregates;

/// <summary>One cell of a bucket's cover, added (<c>+1</c>) or taken away (<c>−1</c>).</summary>
/// <param name="Tier">The cell's size.</param>
/// <param name="Start">Its start (Unix ms, UTC, a multiple of its size).</param>
/// <param name="Sign">+1 or −1.</param>
public readonly record struct CoverCell(RollupTier Tier, long Start, int Sign);

/// <summary>
/// Writes a local bucket [a, b) as UTC rollup cells, added and subtracted: whole days in the middle, hours and quarter
/// hours at the edges, choosing at each edge whether to round down (add the part after a boundary) or up (take away the
/// part before the next one), whichever needs fewer cells. A Lisbon summer day is day(d) + hour(23:00 of d − 1) −
/// hour(23:00 of d): three cells; a Kolkata day fifteen. Works for any bucket whose ends lie on the UTC quarter-hour grid.
/// </summary>
public static class RollupCover
{
    private const long Q = 900_000;
    private const long H = 3_600_000;
    private const long D = 86_400_000;

    /// <summary>True when <paramref name="ms"/> is on the UTC quarter-hour grid.</summary>
    public static bool OnGrid(long ms) => ms % Q == 0;

    /// <summary>The cells of each bucket (starts as <see cref="Buckets.Starts"/> gives them, the last ending at <paramref name="toMs"/>), or null when an end is off the grid.</summary>
    public static CoverCell[][]? Of(long[] starts, long toMs)
    {
        ArgumentNullException.ThrowIfNull(starts);
        if (!OnGrid(toMs) || starts.Any(s => !OnGrid(s)))
        {
            return null;
        }

        var result = new CoverCell[starts.Length][];
        var list = new List<CoverCell>();
        for (var i = 0; i < starts.Length; i++)
        {
            list.Clear();
            Bucket(starts[i], i + 1 < starts.Length ? starts[i + 1] : toMs, list);
            result[i] = [.. list];
        }

        return result;
    }

    /// <summary>The cells of [a, b): [a, b) = P(b) − P(a), P(x) = (−∞, x) written from a day boundary near x.</summary>
    public static void Bucket(long a, long b, List<CoverCell> into)
    {
        ArgumentNullException.ThrowIfNull(into);
        var bestCost = long.MaxValue;
        long da = 0, db = 0;
        foreach (var x in (ReadOnlySpan<long>)[Floor(a, D), Ceil(a, D)])
        {
            foreach (var y in (ReadOnlySpan<long>)[Floor(b, D), Ceil(b, D)])
            {
                var cost = (Math.Abs(y - x) / D) + RemainderCost(a - x) + RemainderCost(b - y);
                if (cost < bestCost)
                {
                    (bestCost, da, db) = (cost, x, y);
                }
            }
        }

        for (var d = Math.Min(da, db); d < Math.Max(da, db); d += D)
        {
            into.Add(new CoverCell(RollupTier.Day, d, db > da ? 1 : -1));
        }

        Remainder(db, b - db, 1, into);
        Remainder(da, a - da, -1, into);
    }

    /// <summary>Hours and quarters for the offset r from a day boundary: h hours and q quarters, r = 4h + q in quarters.</summary>
    private static (long Hours, long Quarters) Split(long r)
    {
        var q = r / Q;
        var down = Derivation.Time.FloorDiv(q, 4);
        var up = down + (q - (4 * down) != 0 ? 1 : 0);
        return Math.Abs(down) + Math.Abs(q - (4 * down)) <= Math.Abs(up) + Math.Abs(q - (4 * up)) ? (down, q - (4 * down)) : (up, q - (4 * up));
    }

    private static long RemainderCost(long r)
    {
        var (h, q) = Split(r);
        return Math.Abs(h) + Math.Abs(q);
    }

    /// <summary>(−∞, base + r) − (−∞, base) as cells, times <paramref name="sign"/>.</summary>
    private static void Remainder(long @base, long r, int sign, List<CoverCell> into)
    {
        var (h, q) = Split(r);
        for (var k = 0L; k < h; k++)
        {
            into.Add(new CoverCell(RollupTier.Hour, @base + (k * H), sign));
        }

        for (var k = 1L; k <= -h; k++)
        {
            into.Add(new CoverCell(RollupTier.Hour, @base - (k * H), -sign));
        }

        var qb = @base + (h * H);
        for (var k = 0L; k < q; k++)
        {
            into.Add(new CoverCell(RollupTier.Quarter, qb + (k * Q), sign));
        }

        for (var k = 1L; k <= -q; k++)
        {
            into.Add(new CoverCell(RollupTier.Quarter, qb - (k * Q), -sign));
        }
    }

    private static long Floor(long a, long b) => Derivation.Time.FloorDiv(a, b) * b;

    private static long Ceil(long a, long b) => -Floor(-a, b);
}
