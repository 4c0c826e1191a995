using OmniReport.Core.Aggregates;
using OmniReport.Storage.Codec;

namespace OmniReport.Storage.Tests;

/// <summary>
/// A stored cell changed on its bytes (<see cref="RollupCodec.Merge"/>, the ingest path) gives exactly the bytes of the
/// cell decoded, changed and encoded again (<see cref="RollupCodec.Write"/>, what a recomputation writes).
/// </summary>
public sealed class RollupCodecTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Merging_a_delta_into_stored_bytes_gives_the_bytes_of_the_merged_cell(int kind)
    {
        var shape = kind == 0 ? RollupShape.Engagements : RollupShape.Interactions;
        var random = new Random(20261130 + kind);
        for (var round = 0; round < 500; round++)
        {
            var stored = round % 7 == 0 ? new RollupCell(shape) : RandomCell(shape, random, positive: true);
            var delta = (round % 5) switch
            {
                // The records of the cell all taken away: the row goes.
                0 => Negated(shape, stored),
                // Some of its values taken away exactly, others added.
                1 => Combined(shape, Negated(shape, stored, random), RandomCell(shape, random, positive: true)),
                _ => RandomCell(shape, random, positive: round % 3 != 0),
            };

            var expected = RollupCodec.Read(shape, stored.IsEmpty ? [] : RollupCodec.Write(stored));
            expected.Merge(delta, 1);
            var want = expected.IsEmpty ? null : RollupCodec.Write(expected);
            var got = RollupCodec.Merge(stored.IsEmpty ? [] : RollupCodec.Write(stored), delta);
            Assert.Equal(want is null ? "(gone)" : Convert.ToHexString(want), got is null ? "(gone)" : Convert.ToHexString(got));
        }
    }

    private static RollupCell RandomCell(RollupShape shape, Random random, bool positive)
    {
        var cell = new RollupCell(shape);
        cell.Count = random.Next(positive ? 1 : -3, 40);
        for (var i = 0; i < cell.Counters.Length; i++)
        {
            cell.Counters[i] = random.Next(positive ? 0 : -2, 5);
        }

        for (var i = 0; i < cell.Histograms.Length; i++)
        {
            if (random.Next(3) == 0)
            {
                continue;
            }

            var h = cell.Histograms[i] = new RollupHistogram();
            for (var k = random.Next(1, 30); k > 0; k--)
            {
                // Values from a small range, so stored and added values meet.
                h.Add(random.Next(0, 200) * (random.Next(10) == 0 ? 1000 : 1), positive ? random.Next(1, 4) : random.Next(-2, 4));
            }
        }

        return cell;
    }

    private static RollupCell Negated(RollupShape shape, RollupCell cell, Random? some = null)
    {
        var negated = new RollupCell(shape) { Count = -cell.Count };
        for (var i = 0; i < cell.Counters.Length; i++)
        {
            negated.Counters[i] = -cell.Counters[i];
        }

        for (var i = 0; i < cell.Histograms.Length; i++)
        {
            if (cell.Histograms[i] is not { } h)
            {
                continue;
            }

            var n = negated.Histograms[i] = new RollupHistogram();
            foreach (var (v, times) in h.Values!)
            {
                if (some is null || some.Next(2) == 0)
                {
                    n.Add(v, -times);
                }
            }
        }

        return negated;
    }

    private static RollupCell Combined(RollupShape shape, RollupCell a, RollupCell b)
    {
        var cell = new RollupCell(shape);
        cell.Merge(a, 1);
        cell.Merge(b, 1);
        return cell;
    }
}
