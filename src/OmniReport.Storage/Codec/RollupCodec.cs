using System.Globalization;
using OmniReport.Core.Aggregates;

namespace OmniReport.Storage.Codec;

/// <summary>
/// The stored forms of rollups (issue #11): a cell as bytes, a group's values as the text of the <c>key</c> column, and
/// a record's aggregate fact as the projection digest keeps it (what is subtracted when the record changes).
/// </summary>
internal static class RollupCodec
{
    /// <summary>
    /// A cell: its count, its counters, then each histogram as its byte length (0: none) followed by its count, sum,
    /// number of values and the values ascending (first in full, then the differences) each with its times. The lengths
    /// let a reader skip the histograms it does not need, and the totals come first so a ratio reads only them.
    /// </summary>
    public static byte[] Write(RollupCell cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        var w = new BlobWriter(64);
        w.Long(cell.Count);
        foreach (var c in cell.Counters)
        {
            w.Long(c);
        }

        var scratch = new Scratch();
        foreach (var hist in cell.Histograms)
        {
            WriteHistogram(w, [], hist, scratch);
        }

        return w.ToArray();
    }

    /// <summary>
    /// A stored cell with a transaction's <paramref name="delta"/> added, straight on the bytes: each changed histogram's
    /// sorted values are merged with the delta's (a few values) in one pass, the unchanged ones copied as they are —
    /// no dictionary of every value of a large cell per write. Null when the cell holds nothing any more. Gives the
    /// bytes <see cref="Write"/> gives for the merged cell.
    /// </summary>
    public static byte[]? Merge(ReadOnlySpan<byte> stored, RollupCell delta)
    {
        ArgumentNullException.ThrowIfNull(delta);
        if (stored.IsEmpty)
        {
            return delta.IsEmpty ? null : Write(delta);
        }

        var r = new BlobReader(stored);
        var w = new BlobWriter(stored.Length + 64);
        var count = r.Long() + delta.Count;
        var empty = count == 0;
        w.Long(count);
        for (var i = 0; i < delta.Counters.Length; i++)
        {
            var c = r.Long() + delta.Counters[i];
            empty &= c == 0;
            w.Long(c);
        }

        var scratch = new Scratch();
        for (var i = 0; i < delta.Histograms.Length; i++)
        {
            var length = (int)r.UInt();
            var section = stored.Slice(r.Position, length);
            r.Skip(length);
            var d = delta.Histograms[i];
            if (d is null || d.IsEmpty)
            {
                // Unchanged: a stored histogram is written only when it holds something.
                empty &= length == 0;
                w.UInt((ulong)length);
                w.Raw(section);
                continue;
            }

            empty &= !WriteHistogram(w, section, d, scratch);
        }

        return empty ? null : w.ToArray();
    }

    /// <summary>
    /// Writes one histogram section: a stored section (<paramref name="stored"/>, possibly empty) with
    /// <paramref name="added"/> (null: nothing) merged in one pass over both sorted runs; values at zero times are
    /// dropped, and an empty result is written as length 0. True when the section holds something.
    /// </summary>
    private static bool WriteHistogram(BlobWriter w, ReadOnlySpan<byte> stored, RollupHistogram? added, Scratch scratch)
    {
        var (addedValues, addedTimes) = added is null ? ([], []) : Sorted(added.Values!);
        var s = new BlobReader(stored);
        long count = added?.Count ?? 0, sum = added?.Sum ?? 0, n = 0, v = 0;
        if (!stored.IsEmpty)
        {
            count += s.Long();
            sum += s.Long();
            n = (long)s.UInt();
        }

        var entries = scratch.Entries;
        entries.Clear();
        long written = 0, previous = 0;
        void Put(long value, long times)
        {
            if (times == 0)
            {
                return;
            }

            Entry(entries, written == 0, value, previous, times);
            previous = value;
            written++;
        }

        var a = 0;
        for (var k = 0; k < n; k++)
        {
            v = k == 0 ? s.Long() : v + (long)s.UInt();
            var times = s.Long();
            for (; a < addedValues.Length && addedValues[a] < v; a++)
            {
                Put(addedValues[a], addedTimes[a]);
            }

            if (a < addedValues.Length && addedValues[a] == v)
            {
                times += addedTimes[a++];
            }

            Put(v, times);
        }

        for (; a < addedValues.Length; a++)
        {
            Put(addedValues[a], addedTimes[a]);
        }

        if (count == 0 && sum == 0 && written == 0)
        {
            w.UInt(0);
            return false;
        }

        var h = scratch.Section;
        h.Clear();
        h.Long(count);
        h.Long(sum);
        h.UInt((ulong)written);
        h.Raw(entries.Written);
        w.UInt((ulong)h.Length);
        w.Raw(h.Written);
        return true;
    }

    /// <summary>
    /// A histogram section (the layout <see cref="WriteHistogram"/> writes) from its values ascending, a value once per
    /// time it occurs: count, sum, distinct values, then each value with its times. The rollup build's encoder
    /// (<see cref="RollupBuild"/>: its cells' values come sorted, with no value → times map).
    /// </summary>
    public static void WriteSection(BlobWriter w, ReadOnlySpan<long> ascending)
    {
        ArgumentNullException.ThrowIfNull(w);
        long sum = 0;
        var distinct = 1;
        for (var i = 0; i < ascending.Length; i++)
        {
            sum += ascending[i];
            if (i > 0 && ascending[i] != ascending[i - 1])
            {
                distinct++;
            }
        }

        w.Long(ascending.Length);
        w.Long(sum);
        w.UInt((ulong)distinct);
        for (var i = 0; i < ascending.Length;)
        {
            var j = i + 1;
            while (j < ascending.Length && ascending[j] == ascending[i])
            {
                j++;
            }

            Entry(w, i == 0, ascending[i], i == 0 ? 0 : ascending[i - 1], j - i);
            i = j;
        }
    }

    /// <summary>One entry of a section's values: the first value in full, each next one as its difference from the one before, then its times.</summary>
    private static void Entry(BlobWriter w, bool first, long value, long previous, long times)
    {
        if (first)
        {
            w.Long(value);
        }
        else
        {
            w.UInt((ulong)(value - previous));
        }

        w.Long(times);
    }

    /// <summary>The buffers one cell's histograms are written through.</summary>
    private sealed class Scratch
    {
        public BlobWriter Section { get; } = new(64);

        public BlobWriter Entries { get; } = new(64);
    }

    /// <summary>A histogram's values in ascending order with their times (one primitive sort, no look-up per value).</summary>
    private static (long[] Values, long[] Times) Sorted(Dictionary<long, long> histogram)
    {
        var values = new long[histogram.Count];
        var times = new long[histogram.Count];
        var i = 0;
        foreach (var (v, n) in histogram)
        {
            values[i] = v;
            times[i++] = n;
        }

        Array.Sort(values, times);
        return (values, times);
    }

    /// <summary>Reads a cell; histograms not in <paramref name="values"/> (null: all) are read as count and sum only.</summary>
    public static RollupCell Read(RollupShape shape, ReadOnlySpan<byte> data, bool[]? values = null)
    {
        var cell = new RollupCell(shape);
        if (data.IsEmpty)
        {
            return cell;
        }

        var r = new BlobReader(data);
        cell.Count = r.Long();
        for (var i = 0; i < cell.Counters.Length; i++)
        {
            cell.Counters[i] = r.Long();
        }

        for (var i = 0; i < cell.Histograms.Length; i++)
        {
            var length = (int)r.UInt();
            if (length == 0)
            {
                continue;
            }

            var section = new BlobReader(data.Slice(r.Position, length));
            r.Skip(length);
            var count = section.Long();
            var sum = section.Long();
            if (values is not null && !values[i])
            {
                cell.Histograms[i] = RollupHistogram.Totals(count, sum);
                continue;
            }

            var hist = new RollupHistogram();
            var n = (int)section.UInt();
            var v = 0L;
            for (var k = 0; k < n; k++)
            {
                v = k == 0 ? section.Long() : v + (long)section.UInt();
                hist.Add(v, section.Long());
            }

            cell.Histograms[i] = hist;
        }

        return cell;
    }

    /// <summary>
    /// Reads a cell for a query into <paramref name="into"/> and returns its index there: count, counters, the count
    /// and sum of the histograms it keeps and the values of those it keeps values of; the other histograms are skipped
    /// by their length. No object per cell or histogram (see <see cref="RollupCells"/>).
    /// </summary>
    public static int Read(RollupCells into, ReadOnlySpan<byte> data)
    {
        var r = new BlobReader(data);
        var cell = into.Begin(data.IsEmpty ? 0 : r.Long());
        if (data.IsEmpty)
        {
            return cell;
        }

        for (var i = 0; i < into.Counters; i++)
        {
            into.SetCounter(cell, i, r.Long());
        }

        for (var i = 0; i < into.Histograms; i++)
        {
            var length = (int)r.UInt();
            if (length == 0)
            {
                continue;
            }

            var section = new BlobReader(data.Slice(r.Position, length));
            r.Skip(length);
            if (!into.Keeps(i))
            {
                continue;
            }

            into.SetTotals(cell, i, section.Long(), section.Long());
            if (!into.KeepsValues(i))
            {
                continue;
            }

            var n = (int)section.UInt();
            var (values, times, offset) = into.ValuesOf(cell, i, n);
            var v = 0L;
            for (var k = offset; k < offset + n; k++)
            {
                v = k == offset ? section.Long() : v + (long)section.UInt();
                values[k] = v;
                times[k] = section.Long();
            }
        }

        return cell;
    }

    /// <summary>A group's values as one text: each "-" (null) or its length, ":" and itself, so any text, "" included, reads back.</summary>
    public static string Key(string?[] values)
    {
        if (values.Length == 1)
        {
            return values[0] is { } v ? string.Create(CultureInfo.InvariantCulture, $"{v.Length}:{v}") : "-";
        }

        var sb = new System.Text.StringBuilder();
        foreach (var v in values)
        {
            if (v is null)
            {
                sb.Append('-');
            }
            else
            {
                sb.Append(v.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(v);
            }
        }

        return sb.ToString();
    }

    /// <summary>The values of <see cref="Key"/>.</summary>
    public static string?[] ReadKey(string key, int count)
    {
        var values = new string?[count];
        var pos = 0;
        for (var i = 0; i < count; i++)
        {
            if (key[pos] == '-')
            {
                pos++;
                continue;
            }

            var colon = key.IndexOf(':', pos);
            var n = int.Parse(key.AsSpan(pos, colon - pos), CultureInfo.InvariantCulture);
            values[i] = key.Substring(colon + 1, n);
            pos = colon + 1 + n;
        }

        return values;
    }

    /// <summary>A record's fact: start, each dimension (an enumeration by its position, other text as itself), each value.</summary>
    public static void WriteFact(BlobWriter w, AggregateKind kind, Fact fact)
    {
        w.Long(fact.StartMs);
        for (var i = 0; i < fact.Dimensions.Length; i++)
        {
            var d = fact.Dimensions[i];
            var known = d is null || kind.Dimensions[i].Values is not { } list ? -1 : IndexOf(list, d);
            if (d is null)
            {
                w.UInt(0);
            }
            else if (known >= 0)
            {
                w.UInt((ulong)known + 2);
            }
            else
            {
                w.UInt(1);
                w.String(d);
            }
        }

        foreach (var v in fact.Values)
        {
            w.NullableLong(v);
        }
    }

    /// <summary>Reads what <see cref="WriteFact"/> wrote.</summary>
    public static Fact ReadFact(ref BlobReader r, AggregateKind kind)
    {
        var start = r.Long();
        var dims = new string?[kind.Dimensions.Count];
        for (var i = 0; i < dims.Length; i++)
        {
            var tag = r.UInt();
            dims[i] = tag switch
            {
                0 => null,
                1 => r.String(),
                _ => kind.Dimensions[i].Values![(int)tag - 2],
            };
        }

        var values = new long?[kind.Numeric.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = r.NullableLong();
        }

        return new Fact(start, dims, values);
    }

    private static int IndexOf(IReadOnlyList<string> list, string value)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (string.Equals(list[i], value, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
