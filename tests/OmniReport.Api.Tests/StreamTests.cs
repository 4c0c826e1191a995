using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using OmniReport.Api.Live;
using OmniReport.Storage;
using OmniReport.TestSupport;

namespace OmniReport.Api.Tests;

/// <summary>
/// <c>GET /api/v2/stream</c> (SPEC §9) over real sockets: what a client applies in order equals what the API serves;
/// resume by id; reset beyond retention; the sweep's inactivity ends; keep-alive; filters; authentication; a slow
/// client cut off without holding up ingest. Each scenario runs on SQLite here and on PostgreSQL in the twin tests.
/// </summary>
public sealed class StreamTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public enum Order
    {
        InOrder,
        Reversed,
        RandomBatches,
    }

    [Fact]
    public async Task Messages_applied_in_order_equal_what_the_API_serves() => await ScenariosThroughTheStreamAsync(postgres: false);

    [PostgresFact]
    public async Task Messages_applied_in_order_equal_what_the_API_serves_on_PostgreSQL() => await ScenariosThroughTheStreamAsync(postgres: true);

    [Fact]
    public async Task Resume_from_every_id_replays_exactly_the_later_changes() => await ResumeFromEveryIdAsync(postgres: false);

    [PostgresFact]
    public async Task Resume_from_every_id_replays_exactly_the_later_changes_on_PostgreSQL() => await ResumeFromEveryIdAsync(postgres: true);

    [Fact]
    public async Task A_client_behind_the_retained_log_gets_reset_then_follows_from_now() => await ResetBeyondRetentionAsync(postgres: false);

    [PostgresFact]
    public async Task A_client_behind_the_retained_log_gets_reset_then_follows_from_now_on_PostgreSQL() => await ResetBeyondRetentionAsync(postgres: true);

    [Fact]
    public async Task Inactivity_ends_reached_by_the_sweep_appear_without_any_new_event() => await SweepWithoutEventsAsync(postgres: false);

    [PostgresFact]
    public async Task Inactivity_ends_reached_by_the_sweep_appear_without_any_new_event_on_PostgreSQL() => await SweepWithoutEventsAsync(postgres: true);

    [Fact]
    public async Task A_slow_reader_is_cut_off_without_holding_up_ingest_or_other_clients() => await SlowReaderAsync(postgres: false);

    [PostgresFact]
    public async Task A_slow_reader_is_cut_off_without_holding_up_ingest_or_other_clients_on_PostgreSQL() => await SlowReaderAsync(postgres: true);

    [Fact]
    public async Task A_comment_line_is_sent_every_15_seconds()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-06-01T00:00:00Z", CultureInfo.InvariantCulture));
        await using var server = await ApiServer.StartAsync(kestrel: true, time: time);
        var tenant = await server.NewAccountAsync();
        await using var stream = await SseClient.OpenAsync(server.Client, tenant.Token);
        Assert.Equal("text/event-stream", stream.Response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("no-cache", stream.Response.Headers.CacheControl!.ToString());

        // A message proves the stream is following (its keep-alive timer is running).
        await tenant.PostEventsAsync(Created("k1", "2026-06-01T00:00:00Z"));
        Assert.Equal("interaction.updated", (await stream.NextEventAsync(Patience))!.Type);

        time.Advance(TimeSpan.FromSeconds(14));
        var early = stream.ReadAsync(TimeSpan.FromSeconds(30));
        await Task.Delay(300);
        Assert.False(early.IsCompleted, "a comment came before 15 s");
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("keep-alive", (await early)!.Comment);
        time.Advance(TimeSpan.FromSeconds(15));
        Assert.Equal("keep-alive", (await stream.ReadAsync(Patience))!.Comment);
    }

    [Fact]
    public async Task Types_filters_and_an_unknown_type_is_refused_by_name()
    {
        await using var server = await ApiServer.StartAsync(kestrel: true);
        var tenant = await server.NewAccountAsync();
        using (var bad = await tenant.GetAsync("/api/v2/stream?types=engagement.logged,engagement.created"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            var error = JsonNode.Parse(await bad.Content.ReadAsStringAsync())!;
            Assert.Equal("InvalidValue", error["error"]!.GetValue<string>());
            Assert.Contains("engagement.created", error["description"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Contains("types", error["description"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        using (var bad = await tenant.GetAsync("/api/v2/stream?last_event_id=abc"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Contains("last_event_id", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var s = Scenarios.ByName("reassignment-and-removal");
        server.Clock.Set(DateTimeOffset.Parse(s.Now, CultureInfo.InvariantCulture));
        await tenant.PostEventsAsync("[" + string.Join(",", s.Events.Select(e => e!.ToJsonString())) + "]");
        var last = await server.Store.LastChangeAsync(tenant.Account.Id);
        var all = await ReadAllAsync(server, tenant, "?last_event_id=0", last);
        Assert.Contains(all, m => m.Type == "engagement.logged");
        Assert.Contains(all, m => m.Type == "interaction.updated");

        foreach (var types in new[] { "engagement.logged", "interaction.updated", "engagement.logged,engagement.unlogged" })
        {
            var wanted = types.Split(',').ToHashSet();
            if (wanted.Contains("interaction.updated"))
            {
                wanted.Add("interaction.removed"); // a record's removal comes with its updates
            }

            var expected = all.Where(m => wanted.Contains(m.Type!)).Select(m => m.Id).ToList();
            await using var stream = await SseClient.OpenAsync(server.Client, tenant.Token, "?types=" + types, lastEventId: "0");
            var got = new List<string?>();
            while (got.Count < expected.Count)
            {
                var m = await stream.NextEventAsync(Patience);
                Assert.NotNull(m);
                Assert.Contains(m.Type!, wanted);
                got.Add(m.Id);
            }

            Assert.Equal(expected, got);
        }
    }

    [Fact]
    public async Task The_stream_needs_reports_read_and_takes_the_token_from_the_query_for_EventSource()
    {
        await using var server = await ApiServer.StartAsync(kestrel: true);
        var writer = await server.NewAccountAsync(Scopes.EventsWrite);
        using (var r = await writer.GetAsync("/api/v2/stream"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
        }

        using (var r = await server.Client.GetAsync("/api/v2/stream"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
        }

        using (var r = await server.Client.GetAsync("/api/v2/stream?access_token=not-a-token"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
        }

        // access_token is taken on the stream only, never by other endpoints.
        var reader = await server.NewAccountAsync(Scopes.ReportsRead);
        using (var r = await server.Client.GetAsync("/api/v2/engagements?access_token=" + reader.Token))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
        }

        var tenant = await server.NewAccountAsync();
        await using var stream = await SseClient.OpenAsync(server.Client, tenant.Token, queryToken: true);
        Assert.Equal(HttpStatusCode.OK, stream.Response.StatusCode);
        await tenant.PostEventsAsync(Created("q1", "2026-06-01T00:00:00Z"));
        var m = await stream.NextEventAsync(Patience);
        Assert.Equal("interaction.updated", m!.Type);
        Assert.Equal("q1", JsonNode.Parse(m.Data)!["interaction_id"]!.GetValue<string>());

        // Another account's changes never reach it.
        var other = await server.NewAccountAsync();
        await other.PostEventsAsync(Created("other", "2026-06-01T00:00:00Z"));
        await tenant.PostEventsAsync(Created("q2", "2026-06-01T00:00:00Z"));
        Assert.Equal("q2", JsonNode.Parse((await stream.NextEventAsync(Patience))!.Data)!["interaction_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_deleted_interaction_is_removed_so_the_client_ends_with_the_records_served()
    {
        await using var server = await ApiServer.StartAsync(kestrel: true);
        var tenant = await server.NewAccountAsync();
        await using var stream = await SseClient.OpenAsync(server.Client, tenant.Token);
        await tenant.PostEventsAsync(Created("d1", "2026-05-31T10:00:00Z"));
        Assert.Equal("interaction.updated", (await stream.NextEventAsync(Patience))!.Type);
        await tenant.PostEventsAsync("""[{"id":"d1-del","type":"status.changed","occurred_at":"2026-05-31T10:01:00Z","interaction_id":"d1","status":"deleted"}]""");
        var removed = await stream.NextEventAsync(Patience);
        Assert.Equal("interaction.removed", removed!.Type);
        Assert.Equal("""{"interaction_id":"d1"}""", removed.Data);
        Assert.Empty(await RecordsServedAsync(tenant, "2026-05-01T00:00:00Z"));
    }

    // ---- the scenarios, shared by the SQLite and PostgreSQL twins ----

    private static async Task ScenariosThroughTheStreamAsync(bool postgres)
    {
        await using var server = await ApiServer.StartAsync(kestrel: true, postgres: postgres);
        foreach (var s in Scenarios.All())
        {
            foreach (var order in Enum.GetValues<Order>())
            {
                var tenant = await server.NewAccountAsync();
                if (s.Settings.Count > 0)
                {
                    await tenant.PutSettingsAsync(s.Settings.ToJsonString());
                }

                server.Clock.Set(DateTimeOffset.Parse(s.Now, CultureInfo.InvariantCulture));
                await using var stream = await SseClient.OpenAsync(server.Client, tenant.Token);
                var mirror = new Mirror();
                foreach (var batch in Batches(s, order))
                {
                    await tenant.PostEventsAsync("[" + string.Join(",", batch) + "]");

                    // Read each batch's changes before the next batch is sent: a change whose object a later batch
                    // unlogs or removes before the stream reads it is skipped as superseded (ChangeMessage.Superseded), so a mirror
                    // that lagged would see an engagement unlogged that it never saw logged (a machine under load did).
                    var upTo = await server.Store.LastChangeAsync(tenant.Account.Id);
                    while (mirror.Last < upTo)
                    {
                        mirror.Apply(await stream.NextEventAsync(Patience) ?? throw new InvalidOperationException("the stream ended"));
                    }
                }

                await server.Store.SweepAsync();
                var last = await server.Store.LastChangeAsync(tenant.Account.Id);
                while (mirror.Last < last)
                {
                    mirror.Apply(await stream.NextEventAsync(Patience) ?? throw new InvalidOperationException("the stream ended"));
                }

                var what = $"{s.Name} {order}";
                Assert.Equal(last, mirror.Last);
                await mirror.AssertEqualsApiAsync(tenant, s, what);
            }
        }
    }

    private static async Task ResumeFromEveryIdAsync(bool postgres)
    {
        await using var server = await ApiServer.StartAsync(kestrel: true, postgres: postgres);
        var tenant = await server.NewAccountAsync();
        foreach (var s in new[] { "reassignment-and-removal", "transfers", "inactivity-timeout" }.Select(Scenarios.ByName))
        {
            server.Clock.Set(DateTimeOffset.Parse(s.Now, CultureInfo.InvariantCulture));
            foreach (var batch in Batches(s, Order.RandomBatches))
            {
                await tenant.PostEventsAsync("[" + string.Join(",", batch) + "]");
            }
        }

        var last = await server.Store.LastChangeAsync(tenant.Account.Id);
        Assert.True(last > 5, $"only {last} changes");
        // Every change is sent but those whose object has gone since (superseded: a later unlogged or removed says so).
        var log = await ChangeMessage.ReadAsync(server.Store, tenant.Account.Id, 0, int.MaxValue);
        Assert.Equal(Enumerable.Range(1, (int)last).Select(i => (long)i), log.Select(m => m.Id));
        var sent = log.Where(m => !m.Superseded).Select(m => m.Id).ToList();
        var all = await ReadAllAsync(server, tenant, "?last_event_id=0", sent[^1]);
        Assert.Equal(sent.Select(i => i.ToString(CultureInfo.InvariantCulture)), all.Select(m => m.Id));
        for (var k = 1; k < last; k++)
        {
            // The header on odd ids, the query parameter on even ones; a header always wins over the query.
            var header = k % 2 == 1;
            await using var stream = await SseClient.OpenAsync(server.Client, tenant.Token,
                header ? "?last_event_id=0" : $"?last_event_id={k}", lastEventId: header ? k.ToString(CultureInfo.InvariantCulture) : null);
            var later = all.Where(m => m.Sequence > k).ToList();
            var replay = new List<SseMessage>();
            while (replay.Count < later.Count)
            {
                replay.Add(await stream.NextEventAsync(Patience) ?? throw new InvalidOperationException("the stream ended"));
            }

            Assert.Equal(later, replay);
        }

        // Nothing more comes from the last id until something changes; then exactly that.
        await using var live = await SseClient.OpenAsync(server.Client, tenant.Token, lastEventId: last.ToString(CultureInfo.InvariantCulture));
        await tenant.PostEventsAsync(Created("after-all", "2026-06-01T00:00:00Z"));
        var next = await live.NextEventAsync(Patience);
        Assert.Equal((last + 1).ToString(CultureInfo.InvariantCulture), next!.Id);
        Assert.Equal("after-all", JsonNode.Parse(next.Data)!["interaction_id"]!.GetValue<string>());
    }

    private static async Task ResetBeyondRetentionAsync(bool postgres)
    {
        var options = new ApiOptions { RateLimitPerMinute = 0, ChangePruneInterval = TimeSpan.FromMilliseconds(50) };
        await using var server = await ApiServer.StartAsync(options, kestrel: true, postgres: postgres);
        var tenant = await server.NewAccountAsync();
        await tenant.PostEventsAsync(Created("old-1", "2026-05-31T00:00:00Z"));
        await tenant.PostEventsAsync(Created("old-2", "2026-05-31T00:00:00Z"));

        // Eight days on, the pruner drops both; one more change is written now.
        server.Clock.Advance(TimeSpan.FromDays(8));
        for (var i = 0; (await server.Store.ReadChangesAsync(tenant.Account.Id, 0, 10)).Count > 0; i++)
        {
            Assert.True(i < 200, "the change log was not pruned");
            await Task.Delay(50);
        }

        await tenant.PostEventsAsync(Created("new-3", "2026-06-08T00:00:00Z"));
        Assert.Equal(3, await server.Store.LastChangeAsync(tenant.Account.Id));

        // Still kept from id 2 on: replayed. From id 1 (change 2 is gone): reset, then from now.
        await using (var kept = await SseClient.OpenAsync(server.Client, tenant.Token, lastEventId: "2"))
        {
            var m = await kept.NextEventAsync(Patience);
            Assert.Equal(("3", "interaction.updated"), (m!.Id, m.Type));
        }

        await using var behind = await SseClient.OpenAsync(server.Client, tenant.Token, lastEventId: "1");
        var reset = await behind.NextEventAsync(Patience);
        Assert.Equal(("3", "reset"), (reset!.Id, reset.Type));
        Assert.Contains("no longer kept", JsonNode.Parse(reset.Data)!["description"]!.GetValue<string>(), StringComparison.Ordinal);
        await tenant.PostEventsAsync(Created("new-4", "2026-06-08T00:00:00Z"));
        var live = await behind.NextEventAsync(Patience);
        Assert.Equal(("4", "new-4"), (live!.Id, JsonNode.Parse(live.Data)!["interaction_id"]!.GetValue<string>()));

        // An id the account never gave (another database's): reset too.
        await using var future = await SseClient.OpenAsync(server.Client, tenant.Token, lastEventId: "99");
        var r = await future.NextEventAsync(Patience);
        Assert.Equal(("4", "reset"), (r!.Id, r.Type));
    }

    private static async Task SweepWithoutEventsAsync(bool postgres)
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-06-01T10:00:30Z", CultureInfo.InvariantCulture));
        var options = new ApiOptions { RateLimitPerMinute = 0, SweepInterval = TimeSpan.FromSeconds(1) };
        await using var server = await ApiServer.StartAsync(options, kestrel: true, postgres: postgres, time: time);
        var tenant = await server.NewAccountAsync();
        await using var stream = await SseClient.OpenAsync(server.Client, tenant.Token);
        await tenant.PostEventsAsync("""
            [{"id":"s1","type":"interaction.created","occurred_at":"2026-06-01T10:00:00Z","interaction_id":"chat-1","channel":"chat"},
             {"id":"s2","type":"message.created","occurred_at":"2026-06-01T10:00:05Z","interaction_id":"chat-1","author_type":"end_user"},
             {"id":"s3","type":"offer.accepted","occurred_at":"2026-06-01T10:00:10Z","interaction_id":"chat-1","agent_id":"7","agent_name":"Ana"},
             {"id":"s4","type":"message.created","occurred_at":"2026-06-01T10:00:20Z","interaction_id":"chat-1","author_type":"agent","author_id":"7"}]
            """);
        var record = await stream.NextEventAsync(Patience);
        Assert.Equal("interaction.updated", record!.Type);
        Assert.Equal("Ana", JsonNode.Parse(record.Data)!["agent_name"]!.GetValue<string>());
        var before = await server.Store.LastChangeAsync(tenant.Account.Id);
        Assert.Equal(record.Sequence, before);

        // Ten minutes after the end-user message the engagement ends by inactivity: no event arrives, time passes.
        for (var i = 0; i < 11 * 60; i += 30)
        {
            time.Advance(TimeSpan.FromSeconds(30));
        }

        var logged = await stream.NextEventAsync(Patience);
        Assert.Equal("engagement.logged", logged!.Type);
        var engagement = JsonNode.Parse(logged.Data)!;
        Assert.Equal("Inactivity timeout", engagement["engagement_end_reason"]!.GetValue<string>());
        Assert.Equal("2026-06-01T10:10:05", engagement["engagement_end_time"]!.GetValue<string>());
        var served = await tenant.GetJsonAsync("/api/v2/engagements/" + engagement["engagement_id"]!.GetValue<string>());
        Assert.Equal(served.ToJsonString(), engagement.ToJsonString());
    }

    private static async Task SlowReaderAsync(bool postgres)
    {
        // A buffer of 1,000 messages: the slow client (below) is cut off after 1,000 and what its socket holds, of the
        // 3,000; the fast one, read by a task of this test, may fall behind by fewer on a loaded machine (with 200 it
        // was cut off too, at load 7 on two cores).
        var options = new ApiOptions { RateLimitPerMinute = 0, StreamBuffer = 1_000 };
        await using var server = await ApiServer.StartAsync(options, kestrel: true, postgres: postgres);
        var tenant = await server.NewAccountAsync();

        // The slow client never reads after its headers; its socket buffers fill, then its feed buffer.
        var slow = await SseClient.OpenAsync(server.Client, tenant.Token);
        await using var fast = await SseClient.OpenAsync(server.Client, tenant.Token);
        const int Total = 60 * 50;
        var fastReader = Task.Run(async () =>
        {
            long seen = 0;
            while (seen < Total)
            {
                var m = await fast.NextEventAsync(Patience);
                Assert.True(m is not null, $"the fast client was cut off after {seen} messages");
                Assert.Equal(seen + 1, m.Sequence);
                seen = m.Sequence;
            }

            return seen;
        });
        var filler = new string('x', 4000);
        const int Batches = 60;
        var started = DateTime.UtcNow;
        for (var b = 0; b < Batches; b++)
        {
            var batch = Enumerable.Range(0, 50).Select(i =>
                $$$"""{"id":"e{{{b}}}-{{{i}}}","type":"interaction.created","occurred_at":"2026-06-01T00:00:00Z","interaction_id":"i{{{b}}}-{{{i}}}","channel":"email","requester":{"id":"r","name":"{{{filler}}}"}}""");
            await tenant.PostEventsAsync("[" + string.Join(",", batch) + "]");
        }

        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(60), "ingest was held up");
        var last = await server.Store.LastChangeAsync(tenant.Account.Id);
        Assert.Equal(Total, last);
        Assert.Equal(Total, await fastReader);

        // The slow client gets what the socket held, then the stream ends; it resumes by id and catches up.
        long slowLast = 0;
        await using (slow)
        {
            while (await slow.NextEventAsync(Patience) is { } m)
            {
                Assert.Equal(slowLast + 1, m.Sequence);
                slowLast = m.Sequence;
            }
        }

        Assert.True(slowLast < last, "the slow client was not cut off");
        await using var resumed = await SseClient.OpenAsync(server.Client, tenant.Token, lastEventId: slowLast.ToString(CultureInfo.InvariantCulture));
        while (slowLast < last)
        {
            var m = await resumed.NextEventAsync(Patience);
            Assert.Equal(slowLast + 1, m!.Sequence);
            slowLast = m.Sequence;
        }
    }

    // ---- helpers ----

    internal static string Created(string id, string at) =>
        $$"""[{"id":"{{id}}","type":"interaction.created","occurred_at":"{{at}}","interaction_id":"{{id}}","channel":"email"}]""";

    /// <summary>The scenario's events in batches: in file order one by one, reversed, or shuffled in random batches.</summary>
    internal static IEnumerable<List<string>> Batches(Scenario s, Order order)
    {
        var events = s.Events.Select(e => e!.ToJsonString()).ToList();
        switch (order)
        {
            case Order.InOrder:
                return events.Select(e => new List<string> { e });
            case Order.Reversed:
                events.Reverse();
                return events.Select(e => new List<string> { e });
            default:
                var rng = new Random(s.Name.Length * 31);
                var shuffled = events.OrderBy(_ => rng.Next()).ToList();
                var batches = new List<List<string>>();
                for (var i = 0; i < shuffled.Count;)
                {
                    var n = rng.Next(1, 5);
                    batches.Add(shuffled.Skip(i).Take(n).ToList());
                    i += n;
                }

                return batches;
        }
    }

    private static async Task<List<SseMessage>> ReadAllAsync(ApiServer server, Tenant tenant, string query, long last)
    {
        await using var stream = await SseClient.OpenAsync(server.Client, tenant.Token, query);
        var all = new List<SseMessage>();
        while (all.Count == 0 || all[^1].Sequence < last)
        {
            all.Add(await stream.NextEventAsync(Patience) ?? throw new InvalidOperationException("the stream ended"));
        }

        return all;
    }

    /// <summary>The interaction records the API serves: an <c>erc_omnichannel_report</c> job in UTC, as JSON.</summary>
    internal static async Task<Dictionary<string, string>> RecordsServedAsync(Tenant tenant, string from)
    {
        var start = DateTimeOffset.Parse(from, CultureInfo.InvariantCulture);
        var body = $$$"""{"name":"mirror","timezone":"UTC","format":"json","timespan":{"from":"{{{start:yyyy-MM-ddTHH:mm:ssZ}}}","to":"{{{start.AddDays(366):yyyy-MM-ddTHH:mm:ssZ}}}"}}""";
        using var created = await tenant.SendAsync(HttpMethod.Post, "/data/reports/erc_omnichannel_report/jobs", new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await created.Content.ReadAsStringAsync();
        Assert.True(created.StatusCode == HttpStatusCode.Accepted, text);
        var id = JsonNode.Parse(text)!["job"]!["id"]!.GetValue<string>();
        // As a Talkdesk client does: poll, and follow the 303 itself with the token (an automatic redirect drops it).
        using var noRedirects = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = tenant.Server.Client.BaseAddress };
        noRedirects.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", tenant.Token);
        for (var i = 0; i < 600; i++)
        {
            using var r = await noRedirects.GetAsync($"/data/reports/erc_omnichannel_report/jobs/{id}");
            if (r.StatusCode == HttpStatusCode.SeeOther)
            {
                using var file = await noRedirects.GetAsync(r.Headers.Location!.ToString());
                var entries = JsonNode.Parse(await file.Content.ReadAsStringAsync())!["entries"]!.AsArray();
                return entries.ToDictionary(e => e!["interaction_id"]!.GetValue<string>(), e => e!.ToJsonString());
            }

            Assert.True(r.StatusCode == HttpStatusCode.OK, $"report job {id}: {(int)r.StatusCode} {await r.Content.ReadAsStringAsync()}");
            await Task.Delay(50);
        }

        using var status = await tenant.GetAsync($"/data/reports/erc_omnichannel_report/jobs/{id}");
        throw new TimeoutException($"report job {id} did not finish: {await status.Content.ReadAsStringAsync()}");
    }

    /// <summary>A stream mirror that can also be compared with what the API serves.</summary>
    internal sealed class Mirror : StreamMirror
    {
        public async Task AssertEqualsApiAsync(Tenant tenant, Scenario s, string what)
        {
            var (rows, _) = await tenant.ReadAllPagesAsync("/api/v2/engagements?page_size=100");
            var served = rows.ToDictionary(r => r!["engagement_id"]!.GetValue<string>(), r => r!.ToJsonString());
            Assert.Equal(s.ExpectedEngagements.Count, served.Count);
            Assert.True(served.Count == Engagements.Count && served.All(e => Engagements.GetValueOrDefault(e.Key) == e.Value),
                $"{what}: engagements from the stream differ from the API\nstream: {string.Join("\n", Engagements.Values)}\napi: {string.Join("\n", served.Values)}");

            var first = s.Events.Min(e => DateTimeOffset.Parse(e!["occurred_at"]!.GetValue<string>(), CultureInfo.InvariantCulture)).AddDays(-1);
            var records = await RecordsServedAsync(tenant, first.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
            Assert.Equal(s.ExpectedInteractions.Count, records.Count);
            Assert.True(records.Count == Records.Count && records.All(r => Records.GetValueOrDefault(r.Key) == r.Value),
                $"{what}: records from the stream differ from the API\nstream: {string.Join("\n", Records.Values)}\napi: {string.Join("\n", records.Values)}");
        }
    }
}
