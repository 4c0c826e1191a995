using System.IO.Pipelines;
using NodaTime;
using OmniReport.Core.Derivation;

namespace OmniReport.Core.Reports;

/// <summary>Writes the records of an in-memory derivation as one report file (what <c>omnireport derive</c> prints).</summary>
public static class DerivedReport
{
    /// <summary>Streams the engagements or interaction records of <paramref name="derived"/> into <paramref name="output"/>.</summary>
    public static async Task WriteAsync(Stream output, DerivedAccount derived, ReportType type, ReportFormat format, DateTimeZone zone,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(derived);
        var pipe = PipeWriter.Create(output, new StreamPipeWriterOptions(leaveOpen: true));
        var writer = new ReportWriter(pipe, type, format, zone);
        writer.Begin();
        if (type == ReportType.Engagements)
        {
            foreach (var e in derived.Engagements)
            {
                writer.Add(e);
                if (writer.NeedsFlush)
                {
                    await writer.FlushAsync(ct).ConfigureAwait(false);
                }
            }
        }
        else
        {
            foreach (var r in derived.Interactions)
            {
                writer.Add(r, derived.Names.NameOf(r.AgentId));
                if (writer.NeedsFlush)
                {
                    await writer.FlushAsync(ct).ConfigureAwait(false);
                }
            }
        }

        writer.End();
        await writer.FlushAsync(ct).ConfigureAwait(false);
        await pipe.CompleteAsync().ConfigureAwait(false);
        await output.FlushAsync(ct).ConfigureAwait(false);
    }
}
