using OmniReport.Core.Aggregates;
using OmniReport.Storage.Codec;

namespace OmniReport.Storage.Tests;

/// <summary>
/// The one-pass build (<see cref="RollupBuild"/>, flat arrays and sorted runs) gives exactly the cells and bytes of the
/// cells made the plain way: each record added to a <see cref="RollupCell"/> of every dimension set and tier
/// (<see cref="RollupDeltas"/>, the ingest path) and each encoded by <see cref="RollupCodec.Write"/>.
/// </summary>
public sealed class RollupBuildTests
{
    private static readonly string?[] Texts = ["a1", "a2", "", "Zoë", "agent 7", "b", "B", "a10", null];

    [Theory]
    [InlineData(1, 50, 2)]
    [InlineData(2, 2000, 3)]
    [InlineData(3, 6000, 9)]
    public void Built_cells_are_byte_identical_to_cells_added_record_by_record_and_encoded(int seed, int records, int days)
    {
        var random = new Random(seed);
        var facts = new List<(AggregateKind Kind, Fact Fact)>();
        foreach (var kind in new[] { AggregateKind.Engagements, AggregateKind.Interactions })
        {
            // Starts over a few days (before 1970 too), in ascending order as the stores read them; some at a day's
            // first and last millisecond, many in the same quarter hour.
            var day0 = random.Next(2) == 0 ? -86_400_000L * 3 : 1_780_000_000_000L / 86_400_000 * 86_400_000;
            var starts = Enumerable.Range(0, records).Select(_ => random.Next(5) switch
            {
                0 => day0 + (random.Next(days) * 86_400_000L) + (random.Next(2) * 86_399_999L),
                1 => day0 + (random.Next(days) * 86_400_000L) + (9 * 900_000) + random.Next(900_000),
                _ => day0 + (long)(random.NextDouble() * days * 86_400_000L),
            }).Order().ToList();
            facts.AddRange(starts.Select(start => (kind, RandomFact(kind, start, random))));
        }

        var deltas = new RollupDeltas();
        var build = new RollupBuild();
        var got = new List<(RollupKey Key, byte[] Data)>();
        AggregateKind? last = null;
        foreach (var (kind, fact) in facts)
        {
            if (last is { } previous && previous != kind)
            {
                build.Flush(); // as the stores do at the end of each kind
            }

            last = kind;
            deltas.Add(kind, fact, 1);
            build.Add(kind, fact);
            got.AddRange(build.Done);
            build.Done.Clear();
        }

        build.Flush();
        got.AddRange(build.Done);

        // Same cells, same bytes; handed out a day at a time, in key order within the day.
        var want = deltas.Sorted().Select(c => (c.Key, Data: RollupCodec.Write(c.Delta))).ToList();
        var byDay = want.OrderBy(c => c.Key.Kind).ThenBy(c => RollupShape.CellStart(RollupTier.Day, c.Key.Start)).ToList();
        Assert.Equal(byDay.Count, got.Count);
        for (var i = 0; i < got.Count; i++)
        {
            Assert.Equal(byDay[i].Key, got[i].Key);
            Assert.Equal(Convert.ToHexString(byDay[i].Data), Convert.ToHexString(got[i].Data));
        }

        Assert.Contains(got, c => c.Key.Tier == (int)RollupTier.Quarter && c.Key.Kind == 1);
    }

    [Fact]
    public void A_build_of_no_records_hands_out_no_cell()
    {
        var build = new RollupBuild();
        build.Flush();
        Assert.Empty(build.Done);
    }

    private static Fact RandomFact(AggregateKind kind, long start, Random random)
    {
        var dims = kind.Dimensions.Select(d => random.Next(12) == 0 ? null
            : d.Values is { } list ? list[random.Next(list.Count)]
            : Texts[random.Next(Texts.Length)]).ToArray();
        var values = kind.Numeric.Select(_ => random.Next(4) switch
        {
            0 => (long?)null,
            // Few distinct values (they repeat within a cell), and the extremes and negatives (sums wrap alike).
            1 => random.Next(30) switch { 0 => long.MaxValue, 1 => long.MinValue, 2 => -random.Next(1000), _ => random.Next(5) },
            _ => random.Next(0, 4000),
        }).ToArray();
        return new Fact(start, dims, values);
    }
}
