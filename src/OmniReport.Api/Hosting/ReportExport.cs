using System.IO.Pipelines;
using OmniReport.Core.Reports;
using OmniReport.Core.Settings;
using OmniReport.Storage;

namespace OmniReport.Api.Hosting;

/// <summary>
/// Streams one report from the store into a stream, through the same <see cref="ReportWriter"/> that
/// <c>omnireport derive</c> uses, so a job's file, <c>omnireport export</c> and <c>derive</c> agree byte for
/// byte. Records are read and written one by one: memory stays flat whatever the report's size.
/// </summary>
public static class ReportExport
{
    /// <summary>
    /// Writes the records of <paramref name="type"/> whose start lies in the request's timespan. After every
    /// flushed block, <paramref name="onFlush"/> gets the records written so far and may stop the export by
    /// answering false. Returns the number of records, or null when stopped.
    /// </summary>
    public static async Task<long?> WriteAsync(IStore store, long accountId, ReportType type, ReportJobRequest request, Stream output,
        Func<long, ValueTask<bool>>? onFlush = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(request);
        var zone = Zones.Find(request.TimeZone) ?? throw new InvalidOperationException($"unknown time zone {request.TimeZone}");
        var pipe = PipeWriter.Create(output, new StreamPipeWriterOptions(leaveOpen: true, minimumBufferSize: 64 * 1024));
        var writer = new ReportWriter(pipe, type, request.Format, zone);
        writer.Begin();
        if (type == ReportType.Engagements)
        {
            await foreach (var e in store.EngagementsByStartAsync(accountId, request.FromMs, request.ToMs, ct).ConfigureAwait(false))
            {
                writer.Add(e);
                if (writer.NeedsFlush && !await FlushAsync().ConfigureAwait(false))
                {
                    return null;
                }
            }
        }
        else
        {
            await foreach (var row in store.InteractionsByStartAsync(accountId, request.FromMs, request.ToMs, ct).ConfigureAwait(false))
            {
                writer.Add(row.Record, row.AgentName);
                if (writer.NeedsFlush && !await FlushAsync().ConfigureAwait(false))
                {
                    return null;
                }
            }
        }

        writer.End();
        if (!await FlushAsync().ConfigureAwait(false))
        {
            return null;
        }

        await pipe.CompleteAsync().ConfigureAwait(false);
        await output.FlushAsync(ct).ConfigureAwait(false);
        return writer.Count;

        async Task<bool> FlushAsync()
        {
            await writer.FlushAsync(ct).ConfigureAwait(false);
            return onFlush is null || await onFlush(writer.Count).ConfigureAwait(false);
        }
    }
}
