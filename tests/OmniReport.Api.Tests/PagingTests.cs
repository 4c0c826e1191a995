using System.Globalization;
using System.Text.Json.Nodes;
using OmniReport.Core.Reports;
using OmniReport.Core.Settings;
using OmniReport.TestSupport;

namespace OmniReport.Api.Tests;

/// <summary>
/// Thousands of engagements, paged through next_page_url for several page sizes and filter combinations: every
/// matching engagement comes back exactly once, in order, as the in-memory derivation gives it.
/// </summary>
public sealed class PagingTests(PagingTests.Data data) : IClassFixture<PagingTests.Data>
{
    public const int Interactions = 3000;

    public static TheoryData<string, int> Cases() => new()
    {
        { "", 100 },
        { "", 7 },
        { "", 0 },
        { "agent_id=9003", 3 },
        { "agent_id=agent-x", 10 },
        { "channel=VOICE", 50 },
        { "channel=email&group_id=20", 13 },
        { "start_time=1780000100&end_time=1780000400", 9 },
        { "start_time=1780000100&agent_id=9001&channel=voice", 4 },
        { "ticket_id=100", 1 },
        { "ticket_id=t-101", 1 },
        { "group_id=ops%20desk&end_time=1780000500", 11 },
        { "start_time=1780999999", 10 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public Task Paging_returns_every_matching_engagement_once_in_order(string filter, int pageSize) =>
        CheckAsync(data.Tenant, data.Expected, filter, pageSize);

    /// <summary>Pages through <paramref name="tenant"/>'s engagements with a filter and compares with the core's.</summary>
    internal static async Task CheckAsync(Tenant tenant, JsonArray all, string filter, int pageSize)
    {
        var query = string.Join("&", new[] { filter, pageSize > 0 ? $"page_size={pageSize}" : "" }.Where(p => p.Length > 0));
        var (rows, pages) = await tenant.ReadAllPagesAsync("/api/v2/engagements" + (query.Length > 0 ? "?" + query : ""));
        var expected = new JsonArray(all.Where(e => Matches(e!.AsObject(), filter)).Select(e => e!.DeepClone()).ToArray());
        Assert.Null(Scenarios.FirstDifference(rows, expected));
        var size = pageSize > 0 ? pageSize : 10;
        Assert.Equal(Math.Max(1, (expected.Count + size - 1) / size), pages);
        Assert.Equal(rows.Count, rows.Select(r => r!["engagement_id"]!.GetValue<string>()).Distinct().Count());
    }

    [Fact]
    public void The_data_set_is_big_and_has_ties_within_a_second() => Assert.True(data.Expected.Count >= Interactions);

    private static bool Matches(JsonObject e, string filter)
    {
        var start = DateTimeOffset.ParseExact(e["engagement_start_time"]!.GetValue<string>() + "Z", "yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture).ToUnixTimeSeconds();
        foreach (var part in filter.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = part.Split('=');
            var value = Uri.UnescapeDataString(kv[1]);
            var ok = kv[0] switch
            {
                "agent_id" => Text(e["agent_id"]) == value,
                "ticket_id" => Text(e["ticket_id"]) == value,
                "group_id" => Text(e["group_id"]) == value,
                "channel" => string.Equals(e["channel"]!.GetValue<string>(), value, StringComparison.OrdinalIgnoreCase),
                "start_time" => start >= long.Parse(value, CultureInfo.InvariantCulture),
                "end_time" => start < long.Parse(value, CultureInfo.InvariantCulture),
                _ => throw new ArgumentException(part),
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    private static string? Text(JsonNode? n) => n?.GetValueKind() switch
    {
        System.Text.Json.JsonValueKind.Number => n.GetValue<long>().ToString(CultureInfo.InvariantCulture),
        System.Text.Json.JsonValueKind.String => n.GetValue<string>(),
        _ => null,
    };

    /// <summary>The generated account, its events posted once, and the engagements the core derives from them.</summary>
    public sealed class Data : IAsyncLifetime
    {
        private ApiServer? _server;

        public Tenant Tenant { get; private set; } = null!;

        public JsonArray Expected { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            _server = await ApiServer.StartAsync();
            (Tenant, Expected) = await LoadAsync(_server);
        }

        /// <summary>Posts the generated events to a new account; returns it and the engagements the core derives.</summary>
        public static async Task<(Tenant Tenant, JsonArray Expected)> LoadAsync(ApiServer server)
        {
            var tenant = await server.NewAccountAsync();
            var events = Generate();
            var now = DateTimeOffset.Parse("2026-06-01T00:00:00Z", CultureInfo.InvariantCulture);
            server.Clock.Set(now);
            var result = await tenant.PostEventsAsync(string.Join("\n", events), "application/x-ndjson");
            Assert.Equal(events.Count, result["accepted"]!.GetValue<int>());
            var derived = ReportFiles.Load(events).Run(AccountSettings.Default, now.ToUnixTimeMilliseconds());
            return (tenant, ReportFiles.Entries(ReportFiles.Write(derived, ReportType.Engagements, ReportFormat.Json)));
        }

        public async Task DisposeAsync()
        {
            if (_server is not null)
            {
                await _server.DisposeAsync();
            }
        }

        /// <summary>
        /// Interactions of e-mail and voice (always active), three starting in each second so that ties are broken
        /// by engagement_id; numeric and non-numeric ids, groups with and without numbers, several agents.
        /// </summary>
        private static List<string> Generate()
        {
            var events = new List<string>();
            var baseMs = 1_780_000_000_000L;
            string[] agents = ["9001", "9002", "9003", "agent-x", "9005"];
            string?[] groups = ["20", "21", "ops desk", null];
            for (var i = 0; i < Interactions; i++)
            {
                var id = i % 5 == 1 ? $"t-{100 + i}" : (100 + i).ToString(CultureInfo.InvariantCulture);
                var at = baseMs + (i / 3 * 1000L) + (i % 3 * 100);
                var channel = i % 2 == 0 ? "email" : "voice";
                var agent = agents[i * 7 % agents.Length];
                var group = groups[i % groups.Length];
                var groupJson = group is null ? "" : $",\"group_id\":\"{group}\"";
                events.Add($"{{\"id\":\"c{i}\",\"type\":\"interaction.created\",\"occurred_at\":\"{Iso(at)}\",\"interaction_id\":\"{id}\",\"channel\":\"{channel}\",\"requester\":{{\"id\":\"{500 + (i % 11)}\"}}{groupJson}}}");
                events.Add($"{{\"id\":\"a{i}\",\"type\":\"offer.accepted\",\"occurred_at\":\"{Iso(at + 10)}\",\"interaction_id\":\"{id}\",\"agent_id\":\"{agent}\"}}");
                events.Add($"{{\"id\":\"s{i}\",\"type\":\"status.changed\",\"occurred_at\":\"{Iso(at + 60_000 + i)}\",\"interaction_id\":\"{id}\",\"status\":\"solved\"}}");
            }

            return events;
        }

        private static string Iso(long ms) =>
            DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
    }
}
