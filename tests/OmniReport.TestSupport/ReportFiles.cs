using System.IO.Pipelines;
using System.Text;
using System.Text.Json.Nodes;
using OmniReport.Core.Derivation;
using OmniReport.Core.Events;
using OmniReport.Core.Reports;
using OmniReport.Core.Settings;

namespace OmniReport.TestSupport;

/// <summary>Runs the in-memory derivation and writes its report exactly as a report file would hold it.</summary>
public static class ReportFiles
{
    /// <summary>Parses NDJSON events, failing the test on any rejected event.</summary>
    public static AccountDerivation Load(IEnumerable<string> eventJson)
    {
        var parser = new EventParser();
        var derivation = new AccountDerivation();
        var i = 0;
        foreach (var json in eventJson)
        {
            if (!parser.TryParse(json, i++, out var ev, out var error))
            {
                throw new InvalidOperationException($"rejected: {error}");
            }

            derivation.Add(ev!);
        }

        return derivation;
    }

    public static AccountSettings Settings(JsonObject settings)
    {
        if (!SettingsJson.TryApply(AccountSettings.Default, settings.ToJsonString(), out var s, out var error))
        {
            throw new InvalidOperationException($"bad settings: {error}");
        }

        return s;
    }

    public static long Ms(string rfc3339) =>
        Rfc3339.TryParse(rfc3339, out var ms) ? ms : throw new FormatException(rfc3339);

    /// <summary>The report file text of one type and format.</summary>
    public static string Write(DerivedAccount derived, ReportType type, ReportFormat format, string zone = "UTC")
    {
        using var stream = new MemoryStream();
        DerivedReport.WriteAsync(stream, derived, type, format, Zones.Find(zone)!).GetAwaiter().GetResult();
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>A JSON report file in UTC of what <paramref name="add"/> gives the writer, as the report worker writes one.</summary>
    public static string Json(ReportType type, Action<ReportWriter> add)
    {
        ArgumentNullException.ThrowIfNull(add);
        using var stream = new MemoryStream();
        var pipe = PipeWriter.Create(stream, new StreamPipeWriterOptions(leaveOpen: true));
        var writer = new ReportWriter(pipe, type, ReportFormat.Json, Zones.Find("UTC")!);
        writer.Begin();
        add(writer);
        writer.End();
        writer.FlushAsync().AsTask().GetAwaiter().GetResult();
        pipe.Complete();
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>The <c>entries</c> of a JSON report.</summary>
    public static JsonArray Entries(string jsonReport) => JsonNode.Parse(jsonReport)!["entries"]!.AsArray();
}
