using System.Text.Json.Nodes;

namespace OmniReport.Api.Tests;

/// <summary>POST /api/v2/events: the per-event result of SPEC §5.2, in all three body forms.</summary>
public sealed class IngestTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private const string Valid = "{\"id\":\"v1\",\"type\":\"interaction.created\",\"occurred_at\":\"2026-03-02T10:00:00Z\",\"interaction_id\":\"1\",\"channel\":\"email\"}";
    private const string BadTime = "{\"id\":\"b1\",\"type\":\"interaction.created\",\"occurred_at\":\"yesterday\",\"interaction_id\":\"1\",\"channel\":\"email\"}";
    private const string NoChannel = "{\"id\":\"b2\",\"type\":\"interaction.created\",\"occurred_at\":\"2026-03-02T10:00:00Z\",\"interaction_id\":\"1\"}";

    [Fact]
    public async Task The_answer_counts_accepted_duplicates_and_rejected_and_names_each_rejected_event()
    {
        var t = await fixture.Server.NewAccountAsync();
        var result = await t.PostEventsAsync($"[{Valid}, {BadTime}, 17, {Valid}, {NoChannel}]");
        Assert.Equal(["accepted", "duplicates", "rejected", "errors"], result.Select(p => p.Key));
        Assert.Equal(1, result["accepted"]!.GetValue<int>());
        Assert.Equal(1, result["duplicates"]!.GetValue<int>());
        Assert.Equal(3, result["rejected"]!.GetValue<int>());
        var errors = result["errors"]!.AsArray();
        Assert.Equal([1L, 2L, 4L], errors.Select(e => e!["index"]!.GetValue<long>()));
        Assert.Equal(["index", "id", "field", "description"], errors[0]!.AsObject().Select(p => p.Key));
        Assert.Equal("b1", errors[0]!["id"]!.GetValue<string>());
        Assert.Equal("occurred_at", errors[0]!["field"]!.GetValue<string>());
        Assert.Null(errors[1]!["id"]);
        Assert.Equal("b2", errors[2]!["id"]!.GetValue<string>());
        Assert.Equal("channel", errors[2]!["field"]!.GetValue<string>());

        // Posting again: the valid one is now a duplicate; the invalid ones are rejected again.
        var again = await t.PostEventsAsync($"{{\"events\": [{Valid}, {NoChannel}]}}");
        Assert.Equal(0, again["accepted"]!.GetValue<int>());
        Assert.Equal(1, again["duplicates"]!.GetValue<int>());
        Assert.Equal(1, again["rejected"]!.GetValue<int>());
    }

    [Fact]
    public async Task Ndjson_indexes_are_line_numbers_with_blank_lines_skipped_and_a_non_json_line_is_one_rejected_event()
    {
        var t = await fixture.Server.NewAccountAsync();
        var body = $"\n{Valid}\r\n   \nthis is not json\n{BadTime}\n\n[1,2]";
        var result = await t.PostEventsAsync(body, "application/x-ndjson");
        Assert.Equal(1, result["accepted"]!.GetValue<int>());
        Assert.Equal(3, result["rejected"]!.GetValue<int>());
        Assert.Equal([3L, 4L, 6L], result["errors"]!.AsArray().Select(e => e!["index"]!.GetValue<long>()));
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    public async Task Another_content_type_is_415(string contentType)
    {
        var t = await fixture.Server.NewAccountAsync();
        using var response = await t.SendAsync(HttpMethod.Post, "/api/v2/events", new StringContent($"[{Valid}]", System.Text.Encoding.UTF8, contentType));
        await AuthTests.AssertError(response, System.Net.HttpStatusCode.UnsupportedMediaType, "UnsupportedMediaType");
    }

    [Fact]
    public async Task An_empty_array_or_empty_ndjson_is_nothing()
    {
        var t = await fixture.Server.NewAccountAsync();
        var a = await t.PostEventsAsync("[]");
        var n = await t.PostEventsAsync("", "application/x-ndjson");
        foreach (var r in new[] { a, n })
        {
            Assert.Equal(0, r["accepted"]!.GetValue<int>());
            Assert.Empty(r["errors"]!.AsArray());
        }
    }

    [Fact]
    public Task Concurrent_overlapping_batches_lose_nothing_and_double_nothing() => ConcurrentOverlappingAsync(fixture.Server);

    /// <summary>Eight clients post overlapping, shuffled windows of one stream at once.</summary>
    internal static async Task ConcurrentOverlappingAsync(ApiServer server)
    {
        var t = await server.NewAccountAsync();
        var all = Enumerable.Range(0, 60).SelectMany(i => Sample.OneEngagement((8000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture), $"{9000 + (i % 4)}")).ToList();
        // Eight clients, each posting an overlapping window of the stream in its own order.
        var tasks = Enumerable.Range(0, 8).Select(async c =>
        {
            var rng = new Random(c);
            var mine = all.Skip(c * 15).Take(90).Concat(all.Where(_ => rng.Next(4) == 0)).OrderBy(_ => rng.Next()).ToList();
            var accepted = 0;
            for (var i = 0; i < mine.Count; i += 25)
            {
                var r = await t.PostEventsAsync(Sample.Array(mine.Skip(i).Take(25)));
                accepted += r["accepted"]!.GetValue<int>();
            }

            return accepted;
        }).ToList();
        var total = (await Task.WhenAll(tasks)).Sum();
        var rest = await t.PostEventsAsync(Sample.Array(all));
        total += rest["accepted"]!.GetValue<int>();
        Assert.Equal(all.Count, total);

        var (rows, _) = await t.ReadAllPagesAsync("/api/v2/engagements?page_size=100");
        Assert.Equal(60, rows.Count);
        Assert.Equal(60, rows.Select(r => r!["ticket_id"]!.GetValue<long>()).Distinct().Count());
    }

    [Fact]
    public async Task Events_are_durable_when_the_answer_is_sent()
    {
        var t = await fixture.Server.NewAccountAsync();
        await t.PostEventsAsync(Sample.Array(Sample.OneEngagement("5100")));
        var count = 0;
        await foreach (var e in fixture.Server.Store.EngagementsByStartAsync(t.Account.Id, long.MinValue / 4, long.MaxValue / 4))
        {
            count++;
        }

        Assert.Equal(1, count);
    }
}
