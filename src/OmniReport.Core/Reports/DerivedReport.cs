using System.Buffers;
using System.IO.Pipelines;
using NodaTime;
using OmniReport.Core.Derivation;

namespace OmniReport.Core.Reports;

/// <summary>Writes the records of an in-memory derivation as one report file (what <c>omnireport derive</c> prints).</summary>
public static class DerivedReport
{
    // Records formatted a block at a time on each thread. A block's buffer stays under the large-object threshold
    // (85,000 bytes): a large buffer would be allocated in the large-object heap, whose growth makes the collector run
    // full (gen2) collections over everything derive holds. A record of the engagements JSON is ~700 bytes (its ids are
    // longer than they once were): 128 of them outgrew the buffer, which then doubled into that heap; 96 fit.
    private const int BlockRecords = 96;
    private const int BlockBytes = 80_000;

    // Blocks a thread formats before they are written in order: few hand-overs between threads, a few MB at most.
    private const int BlocksPerWorker = 8;

    /// <summary>Streams the engagements or interaction records of <paramref name="derived"/> into <paramref name="output"/>.</summary>
    public static Task WriteAsync(Stream output, DerivedAccount derived, ReportType type, ReportFormat format, DateTimeZone zone,
        CancellationToken ct = default) => WriteAsync(output, derived, type, format, zone, workers: 1, ct);

    /// <summary>
    /// <see cref="WriteAsync(Stream, DerivedAccount, ReportType, ReportFormat, DateTimeZone, CancellationToken)"/> with
    /// the records formatted on up to <paramref name="workers"/> threads, a block of consecutive records each, and
    /// written in order: the same bytes on any number of threads (formatting a record depends on nothing but the
    /// record, the names and the zone).
    /// </summary>
    public static async Task WriteAsync(Stream output, DerivedAccount derived, ReportType type, ReportFormat format, DateTimeZone zone,
        int workers, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(derived);
        var pipe = PipeWriter.Create(output, new StreamPipeWriterOptions(leaveOpen: true));
        var writer = new ReportWriter(pipe, type, format, zone);
        writer.Begin();
        var count = type == ReportType.Engagements ? derived.Engagements.Count : derived.Interactions.Count;
        if (workers <= 1 || count <= BlockRecords)
        {
            for (var i = 0; i < count; i++)
            {
                Add(writer, derived, type, i);
                if (writer.NeedsFlush)
                {
                    await writer.FlushAsync(ct).ConfigureAwait(false);
                }
            }
        }
        else
        {
            // A round's blocks are formatted together, then written in order on a task of their own while the next
            // round is formatted into the other set of blocks: the write (a copy into the kernel, ~5 % of derive's wall
            // time into a file) no longer leaves every core but one idle. Two sets of buffers serve every round.
            var sets = new ArrayBufferWriter<byte>[2][];
            for (var set = 0; set < sets.Length; set++)
            {
                sets[set] = new ArrayBufferWriter<byte>[workers * BlocksPerWorker];
                for (var b = 0; b < sets[set].Length; b++)
                {
                    sets[set][b] = new ArrayBufferWriter<byte>(BlockBytes);
                }
            }

            var perRound = sets[0].Length * BlockRecords;
            var writing = Task.CompletedTask;
            for (var first = 0; first < count; first += perRound)
            {
                var round = first;
                var blocks = sets[first / perRound % 2];
                var inRound = (int)Math.Min(blocks.Length, ((long)count - round + BlockRecords - 1) / BlockRecords);
                Parallel.For(0, inRound, new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = ct }, b =>
                {
                    var block = blocks[b];
                    block.ResetWrittenCount();
                    var records = ReportWriter.Records(block, type, format, zone);
                    var from = round + (b * BlockRecords);
                    var to = Math.Min(count, from + BlockRecords);
                    for (var i = from; i < to; i++)
                    {
                        Add(records, derived, type, i);
                    }

                    records.Commit();
                });

                // The writer and the stream are used by one round's task at a time, in order.
                await writing.ConfigureAwait(false);
                writing = Task.Run(() => WriteRoundAsync(writer, output, blocks, inRound, round, count, ct), ct);
            }

            await writing.ConfigureAwait(false);
        }

        writer.End();
        await writer.FlushAsync(ct).ConfigureAwait(false);
        await pipe.CompleteAsync().ConfigureAwait(false);
        await output.FlushAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Writes a round's formatted blocks, the first <paramref name="inRound"/>, in order.</summary>
    private static async Task WriteRoundAsync(ReportWriter writer, Stream output, ArrayBufferWriter<byte>[] blocks, int inRound, int round, int count,
        CancellationToken ct)
    {
        for (var b = 0; b < inRound; b++)
        {
            var from = round + (b * BlockRecords);
            await writer.WriteFormattedAsync(output, blocks[b].WrittenMemory, Math.Min(count, from + BlockRecords) - from, ct).ConfigureAwait(false);
        }
    }

    private static void Add(ReportWriter writer, DerivedAccount derived, ReportType type, int i)
    {
        if (type == ReportType.Engagements)
        {
            writer.Add(derived.Engagements[i]);
        }
        else
        {
            var r = derived.Interactions[i];
            writer.Add(r, derived.Names.NameOf(r.AgentId));
        }
    }
}
