using System.Buffers;
using System.IO.Pipelines;
using NodaTime;
using OmniReport.Core.Derivation;

namespace OmniReport.Core.Reports;

/// <summary>Writes the records of an in-memory derivation as one report file (what <c>omnireport derive</c> prints).</summary>
public static class DerivedReport
{
    // Records formatted a block at a time on each thread. A block's buffer stays under the large-object threshold
    // (85,000 bytes; a record of the engagements JSON is ~550): a large buffer would be allocated in the large-object
    // heap, whose growth makes the collector run full (gen2) collections over everything derive holds.
    private const int BlockRecords = 128;
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
            // A round's blocks are formatted together, then written in order; the buffers serve every round.
            var blocks = new ArrayBufferWriter<byte>[workers * BlocksPerWorker];
            for (var b = 0; b < blocks.Length; b++)
            {
                blocks[b] = new ArrayBufferWriter<byte>(BlockBytes);
            }

            for (var first = 0; first < count; first += blocks.Length * BlockRecords)
            {
                var round = first;
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

                for (var b = 0; b < inRound; b++)
                {
                    var from = round + (b * BlockRecords);
                    await writer.WriteFormattedAsync(output, blocks[b].WrittenMemory, Math.Min(count, from + BlockRecords) - from, ct).ConfigureAwait(false);
                }
            }
        }

        writer.End();
        await writer.FlushAsync(ct).ConfigureAwait(false);
        await pipe.CompleteAsync().ConfigureAwait(false);
        await output.FlushAsync(ct).ConfigureAwait(false);
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
