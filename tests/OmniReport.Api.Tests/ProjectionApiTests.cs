using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OmniReport.Api.Zendesk;
using OmniReport.Core.Derivation;
using OmniReport.Core.Reports;
using OmniReport.Core.Settings;
using OmniReport.Storage;
using OmniReport.TestSupport;

namespace OmniReport.Api.Tests;

/// <summary>
/// The projection's properties (issue 10) seen through the HTTP API, on both stores: random event streams posted in
/// random batches and orders, with sweeps as time passes and a settings change on the way.
/// </summary>
public sealed class ProjectionApiTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);
    private static readonly string[] ReportTypes = ["erc_omnichannel_report", "engagements"];

    [Fact]
    public Task Change_log_applied_in_order_gives_exactly_the_engagements_and_records_the_API_serves() => ChangeLogAsync(postgres: false);

    [PostgresFact]
    public Task Change_log_applied_in_order_gives_exactly_the_engagements_and_records_the_API_serves_on_PostgreSQL() => ChangeLogAsync(postgres: true);

    [Fact]
    public Task Rebuild_gives_byte_identical_API_answers() => RebuildAsync(postgres: false);

    [PostgresFact]
    public Task Rebuild_gives_byte_identical_API_answers_on_PostgreSQL() => RebuildAsync(postgres: true);

    private static async Task ChangeLogAsync(bool postgres)
    {
        for (var seed = 1; seed <= 2; seed++)
        {
            await using var server = await ApiServer.StartAsync(postgres: postgres);
            var tenant = await server.NewAccountAsync();
            var rng = new Random(seed);
            var lines = SyntheticEvents.RandomStream(rng, 40, seed);
            await PostInRandomBatchesAsync(tenant, rng, lines);

            var log = await server.Store.ReadChangesAsync(tenant.Account.Id, 0, int.MaxValue);
            var (engagements, records) = ChangeLogReplay.Apply(log);
            Assert.Contains(log, c => c.Kind == ChangeKind.EngagementUnlogged);
            Assert.Contains(log, c => c.Kind == ChangeKind.InteractionRemoved);

            // GET /api/v2/engagements, every page, against the log's engagements in API order.
            var ordered = engagements.Values.OrderBy(e => Time.FloorDiv(e.StartMs, 1000)).ThenBy(e => e.EngagementId, StringComparer.Ordinal).ToList();
            Assert.NotEmpty(ordered);
            var (rows, _) = await tenant.ReadAllPagesAsync($"/api/v2/engagements?page_size={rng.Next(1, 40)}");
            Assert.Equal(Json(ordered), rows.ToJsonString());

            // One interaction's engagements (the ticket filter reads the interaction's list of them).
            foreach (var ticket in records.Keys.Where(_ => rng.Next(5) == 0).Append("no-such-ticket"))
            {
                var (own, _) = await tenant.ReadAllPagesAsync($"/api/v2/engagements?ticket_id={Uri.EscapeDataString(ticket)}");
                Assert.Equal(Json(ordered.Where(e => e.TicketId == ticket)), own.ToJsonString());
            }

            // The interaction-record report through a report job, against the log's records. The change log carries
            // records, not agent names; the names are the account's as the store keeps them.
            var names = (await server.Store.InteractionsByStartAsync(tenant.Account.Id, long.MinValue, long.MaxValue).ToListAsync())
                .GroupBy(r => r.Record.AgentId).ToDictionary(g => g.Key, g => g.First().AgentName, StringComparer.Ordinal);
            var expected = ReportFiles.Json(ReportType.Interactions, w =>
            {
                foreach (var r in records.Values.OrderBy(r => r, Comparer<InteractionRecord>.Create(InteractionRecord.Compare)))
                {
                    w.Add(r, names.GetValueOrDefault(r.AgentId, ""));
                }
            });
            Assert.Equal(expected, await ReportAsync(tenant, "erc_omnichannel_report", "json"));
        }
    }

    private static async Task RebuildAsync(bool postgres)
    {
        await using var server = await ApiServer.StartAsync(postgres: postgres);
        var tenant = await server.NewAccountAsync();
        var rng = new Random(11);
        await PostInRandomBatchesAsync(tenant, rng, SyntheticEvents.RandomStream(rng, 60, 11));
        var tickets = (await server.Store.InteractionsByStartAsync(tenant.Account.Id, long.MinValue, long.MaxValue).ToListAsync())
            .Select(r => r.Record.InteractionId).Where(_ => rng.Next(6) == 0).ToList();

        async Task<List<string>> AnswersAsync()
        {
            var answers = new List<string>();
            answers.AddRange(await RawPagesAsync(tenant, "/api/v2/engagements?page_size=7"));
            foreach (var ticket in tickets)
            {
                answers.AddRange(await RawPagesAsync(tenant, $"/api/v2/engagements?ticket_id={Uri.EscapeDataString(ticket)}"));
            }

            foreach (var type in ReportTypes)
            {
                answers.Add(await ReportAsync(tenant, type, "json"));
                answers.Add(await ReportAsync(tenant, type, "csv"));
            }

            return answers;
        }

        var before = await AnswersAsync();
        var logged = (await server.Store.ReadChangesAsync(tenant.Account.Id, 0, int.MaxValue)).Count;
        Assert.True(await ProjectionRebuild.AccountAsync(server.Store, tenant.Account.Id) > 0);
        Assert.Equal(before, await AnswersAsync());
        Assert.Equal(logged, (await server.Store.ReadChangesAsync(tenant.Account.Id, 0, int.MaxValue)).Count);
    }

    /// <summary>Posts the lines in batches of random size, advancing the clock and sweeping between them; settings change once.</summary>
    private static async Task PostInRandomBatchesAsync(Tenant tenant, Random rng, List<string> lines)
    {
        var server = tenant.Server;
        server.Clock.Set(Start);
        var batch = 0;
        for (var i = 0; i < lines.Count;)
        {
            var n = rng.Next(1, 30);
            await tenant.PostEventsAsync(string.Join('\n', lines.Skip(i).Take(n)), "application/x-ndjson");
            i += n;
            server.Clock.Set(server.Clock.GetUtcNow().AddMinutes(rng.Next(0, 200)));
            // The sweeper service would apply the passed inactivity ends in its own time; here they happen now.
            await server.Store.SweepAsync();
            if (++batch == 5)
            {
                await tenant.PutSettingsAsync("""{"inactivity_timeout_minutes":4}""");
            }
        }
    }

    /// <summary>The engagements as the API writes them, as one JSON array.</summary>
    private static string Json(IEnumerable<Engagement> engagements)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartArray();
            var sink = new EngagementJson(w);
            foreach (var e in engagements)
            {
                sink.Write(e);
            }

            w.WriteEndArray();
        }

        return JsonNode.Parse(stream.ToArray())!.ToJsonString();
    }

    /// <summary>A report job over all of 2026 and its downloaded file.</summary>
    private static async Task<string> ReportAsync(Tenant tenant, string type, string format)
    {
        var (_, job) = await ReportJobTests.CreateAsync(tenant, type, $$$"""{"format":"{{{format}}}","timespan":{"from":"2026-01-01T00:00:00Z","to":"2026-12-31T00:00:00Z"}}""");
        return await ReportJobTests.DownloadWhenDoneAsync(tenant, type, job["id"]!.GetValue<string>());
    }

    /// <summary>Every page of a listing, as the bytes the API answered, following next_page_url.</summary>
    private static async Task<List<string>> RawPagesAsync(Tenant tenant, string first)
    {
        var pages = new List<string>();
        for (string? next = first; next is not null;)
        {
            using var r = await tenant.GetAsync(next);
            var text = await r.Content.ReadAsStringAsync();
            Assert.True(r.IsSuccessStatusCode, $"GET {next}: {(int)r.StatusCode} {text}");
            pages.Add(text);
            next = JsonNode.Parse(text)!["next_page_url"]?.GetValue<string>() is { } url ? new Uri(url).PathAndQuery : null;
        }

        return pages;
    }
}
