using System.Text;
using System.Text.Json.Nodes;
using OmniReport.Core.Derivation;
using OmniReport.Core.Events;
using OmniReport.Core.Reports;
using OmniReport.Core.Settings;
using OmniReport.TestSupport;

namespace OmniReport.Storage.Tests;

/// <summary>Helpers shared by the store tests: parsing, reading a store back as report files.</summary>
internal static class StoreTestKit
{
    public static List<Event> Parse(IEnumerable<string> lines)
    {
        var parser = new EventParser();
        var list = new List<Event>();
        var i = 0;
        foreach (var line in lines)
        {
            Assert.True(parser.TryParse(line, i++, out var ev, out var error), error?.ToString());
            list.Add(ev!);
        }

        return list;
    }

    public static async Task<List<T>> ToListAsync<T>(this IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var x in items)
        {
            list.Add(x);
        }

        return list;
    }

    /// <summary>The store's engagements and interaction records as JSON report files, as the API writes them.</summary>
    public static async Task<(string Engagements, string Interactions)> ReportsAsync(IStore store, long accountId)
    {
        var engagements = await store.EngagementsByStartAsync(accountId, long.MinValue, long.MaxValue).ToListAsync();
        var rows = await store.InteractionsByStartAsync(accountId, long.MinValue, long.MaxValue).ToListAsync();
        return (ReportFiles.Json(ReportType.Engagements, w => engagements.ForEach(w.Add)),
            ReportFiles.Json(ReportType.Interactions, w => rows.ForEach(r => w.Add(r.Record, r.AgentName))));
    }

    /// <summary>The in-memory derivation of the same arrival order, as report files.</summary>
    public static (string Engagements, string Interactions) Reference(IEnumerable<string> arrival, AccountSettings settings, long nowMs)
    {
        var derived = ReportFiles.Load(arrival).Run(settings, nowMs);
        return (ReportFiles.Write(derived, ReportType.Engagements, ReportFormat.Json),
            ReportFiles.Write(derived, ReportType.Interactions, ReportFormat.Json));
    }

    public static JsonArray Entries(string report) => ReportFiles.Entries(report);
}
