using System.Runtime.InteropServices;

namespace OmniReport.Core.Derivation;

/// <summary>
/// Lists each already in order, merged into one: the parts of a parallel fold (<see cref="AccountDerivation"/>) are
/// sorted on their own threads, so the one sort of everything on one thread after the fold becomes a merge.
/// </summary>
internal static class SortedRuns
{
    /// <summary>
    /// <paramref name="runs"/> (each ordered by <paramref name="compare"/>) as one ordered list, merged a pair at a time,
    /// the pairs of a round on up to <paramref name="workers"/> threads. Of equal items, those of an earlier run come first.
    /// </summary>
    public static List<T> Merge<T>(List<T>[] runs, Comparison<T> compare, int workers)
    {
        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, workers) };
        while (runs.Length > 1)
        {
            var round = runs;
            var next = new List<T>[(round.Length + 1) / 2];
            Parallel.For(0, next.Length, options, i =>
                next[i] = (2 * i) + 1 < round.Length ? Merge(round[2 * i], round[(2 * i) + 1], compare) : round[2 * i]);
            runs = next;
        }

        return runs[0];
    }

    private static List<T> Merge<T>(List<T> first, List<T> second, Comparison<T> compare)
    {
        if (second.Count == 0)
        {
            return first;
        }

        if (first.Count == 0)
        {
            return second;
        }

        var merged = new List<T>(first.Count + second.Count);
        CollectionsMarshal.SetCount(merged, first.Count + second.Count);
        var to = CollectionsMarshal.AsSpan(merged);
        ReadOnlySpan<T> a = CollectionsMarshal.AsSpan(first);
        ReadOnlySpan<T> b = CollectionsMarshal.AsSpan(second);
        int i = 0, j = 0, k = 0;
        while (i < a.Length && j < b.Length)
        {
            // Ties to the first run: the merge is stable.
            to[k++] = compare(b[j], a[i]) < 0 ? b[j++] : a[i++];
        }

        a[i..].CopyTo(to[k..]);
        b[j..].CopyTo(to[(k + a.Length - i)..]);
        return merged;
    }
}
