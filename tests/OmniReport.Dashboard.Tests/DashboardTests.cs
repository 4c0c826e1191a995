using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using OmniReport.TestSupport;
using Xunit.Abstractions;

namespace OmniReport.Dashboard.Tests;

/// <summary>
/// The dashboard of SPEC §8 in a real headless Chromium: the page, its token handling, its fragment, its numbers
/// (which must be the aggregates API's), its click-through, its "now" panel, and that it reaches nothing but OmniReport.
/// </summary>
public sealed partial class DashboardTests(DashboardFixture fx, ITestOutputHelper output) : IClassFixture<DashboardFixture>
{
    private static readonly string[] Kpis =
        ["engagements", "interactions", "first_reply_p50_seconds", "requester_wait_seconds", "service_level_percent", "abandon_percent"];

    /// <summary>A page and everything it asked for, and what the browser complained about.</summary>
    private sealed record Tab(IBrowserContext Context, IPage Page, List<string> Requests, List<string> Console) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Context.DisposeAsync();
    }

    /// <param name="assets">A folder whose index.html, dashboard.js and dashboard.css the browser gets instead of the server's.</param>
    private async Task<Tab> OpenAsync(string fragment = "", bool withToken = true, string? assets = null)
    {
        Skip.If(DashboardFixture.SkipReason is not null, DashboardFixture.SkipReason);
        var context = await fx.Browser!.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        if (assets is not null)
        {
            foreach (var (url, file, type) in new[]
            {
                (fx.BaseUrl + "/", "index.html", "text/html; charset=utf-8"),
                (fx.BaseUrl + "/dashboard/dashboard.js", "dashboard.js", "text/javascript; charset=utf-8"),
                (fx.BaseUrl + "/dashboard/dashboard.css", "dashboard.css", "text/css; charset=utf-8"),
            })
            {
                var body = await File.ReadAllBytesAsync(Path.Combine(assets, file));
                await context.RouteAsync(url, route => route.FulfillAsync(new RouteFulfillOptions { Status = 200, ContentType = type, BodyBytes = body }));
            }
        }

        var page = await context.NewPageAsync();
        var requests = new List<string>();
        var console = new List<string>();
        page.Request += (_, r) => { lock (requests) { requests.Add(r.Url); } };
        page.Console += (_, m) => { lock (console) { console.Add(m.Type + ": " + m.Text); } };
        page.PageError += (_, e) => { lock (console) { console.Add("pageerror: " + e); } };
        var hash = withToken ? "#token=" + Uri.EscapeDataString(fx.Token) + (fragment.Length > 0 ? "&" + fragment : "") : (fragment.Length > 0 ? "#" + fragment : "");
        await page.GotoAsync(fx.BaseUrl + "/" + hash);
        return new Tab(context, page, requests, console);
    }

    private static async Task WaitForStateAsync(IPage page, params string[] states) =>
        await page.WaitForFunctionAsync("states => states.includes(document.body.dataset.state)", states, new PageWaitForFunctionOptions { Timeout = 30_000 });

    private static async Task WaitForReadyAsync(Tab tab)
    {
        await WaitForStateAsync(tab.Page, "ready", "error");
        var state = await tab.Page.EvaluateAsync<string>("() => document.body.dataset.state");
        Assert.True(state == "ready", $"the dashboard did not render: {await tab.Page.TextContentAsync("#status")}\n{string.Join('\n', tab.Console)}");
    }

    // ---- served without a token, small, compressed ---------------------------------------------------------

    [Fact]
    public async Task The_page_and_its_files_are_served_without_a_token_compressed_and_under_300_KB()
    {
        using var http = new HttpClient(new HttpClientHandler { AutomaticDecompression = DecompressionMethods.None });
        long total = 0;
        foreach (var path in new[] { "/", "/dashboard/dashboard.js", "/dashboard/dashboard.css" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, fx.BaseUrl + path);
            request.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip, deflate, br");
            using var response = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("br", Assert.Single(response.Content.Headers.ContentEncoding));
            Assert.Contains("default-src 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
            total += (await response.Content.ReadAsByteArrayAsync()).Length;

            // Revalidation answers 304 without the body.
            using var again = new HttpRequestMessage(HttpMethod.Get, fx.BaseUrl + path);
            again.Headers.TryAddWithoutValidation("If-None-Match", response.Headers.ETag!.Tag);
            using var notModified = await http.SendAsync(again);
            Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        }

        output.WriteLine($"page weight, Brotli: {total} bytes");
        Assert.InRange(total, 1, 300 * 1024);

        // Nothing in them points outside this server (the SVG namespace is a name, not a request).
        foreach (var path in new[] { "/", "/dashboard/dashboard.js", "/dashboard/dashboard.css" })
        {
            var text = await fx.Http.GetStringAsync(fx.BaseUrl + path);
            Assert.DoesNotContain(ExternalUrl().Matches(text), m => m.Value != "http://www.w3.org/2000/svg");
        }
    }

    [GeneratedRegex("(https?:)?//[a-zA-Z0-9.-]+\\.[a-zA-Z]{2,}[^\"'\\s)]*")]
    private static partial Regex ExternalUrl();

    [SkippableFact]
    public async Task A_browser_opening_an_API_URL_without_a_token_gets_a_page_that_says_what_to_do_and_clients_keep_JSON()
    {
        await using var tab = await OpenAsync(withToken: false);
        var response = await tab.Page.GotoAsync(fx.BaseUrl + "/api/v2/engagements");
        Assert.Equal(401, response!.Status);
        var text = await tab.Page.TextContentAsync("body");
        Assert.Contains("needs a token", text, StringComparison.Ordinal);
        Assert.Contains("Authorization: Bearer", text, StringComparison.Ordinal);
        Assert.Equal("/", await tab.Page.GetAttributeAsync("a", "href"));

        using var json = await fx.Http.GetAsync(fx.BaseUrl + "/api/v2/engagements");
        Assert.Equal(HttpStatusCode.Unauthorized, json.StatusCode);
        Assert.Equal("Unauthorized", JsonNode.Parse(await json.Content.ReadAsStringAsync())!["error"]!.GetValue<string>());
    }

    // ---- the token ---------------------------------------------------------------------------------------------

    [SkippableFact]
    public async Task A_typed_token_opens_the_dashboard_and_a_wrong_one_gets_a_clear_message()
    {
        await using var tab = await OpenAsync(withToken: false);
        var page = tab.Page;
        Assert.True(await page.IsVisibleAsync("#token-form"));
        Assert.False(await page.IsVisibleAsync("#main"));

        await page.FillAsync("#token-input", "omr_not-a-real-token");
        await page.PressAsync("#token-input", "Enter");
        await page.WaitForFunctionAsync("() => document.getElementById('token-error').textContent.length > 0");
        Assert.Equal("That token was not accepted (401 Unauthorized). Check it and type it again.", await page.TextContentAsync("#token-error"));
        Assert.False(await page.IsVisibleAsync("#main"));
        Assert.Null(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('omnireport.token')"));

        await page.FillAsync("#token-input", fx.Token);
        await page.ClickAsync("#token-form button[type=submit]");
        await page.WaitForSelectorAsync("#main", new PageWaitForSelectorOptions { State = WaitForSelectorState.Visible });
        Assert.False(await page.IsVisibleAsync("#token-form"));
        Assert.Equal(fx.Token, await page.EvaluateAsync<string>("() => sessionStorage.getItem('omnireport.token')"));
        await page.WaitForFunctionAsync("() => document.getElementById('now-time').textContent.startsWith('updated')");
    }

    [SkippableFact]
    public async Task A_token_in_the_fragment_is_kept_in_session_storage_and_removed_from_the_address_bar_and_the_fragment_sets_the_controls()
    {
        await using var tab = await OpenAsync("from=2026-03-09&to=2026-03-12&tz=America%2FNew_York&channel=chat");
        var page = tab.Page;
        await page.WaitForSelectorAsync("#main", new PageWaitForSelectorOptions { State = WaitForSelectorState.Visible });
        Assert.DoesNotContain("token", page.Url, StringComparison.Ordinal);
        Assert.DoesNotContain(fx.Token, await page.EvaluateAsync<string>("() => history.length + location.href"), StringComparison.Ordinal);
        Assert.Equal(fx.Token, await page.EvaluateAsync<string>("() => sessionStorage.getItem('omnireport.token')"));
        Assert.Equal("2026-03-09", await page.InputValueAsync("#from"));
        Assert.Equal("2026-03-12", await page.InputValueAsync("#to"));
        Assert.Equal("America/New_York", await page.InputValueAsync("#tz"));
        Assert.Equal("chat", await page.InputValueAsync("#channel"));
        Assert.EndsWith("#from=2026-03-09&to=2026-03-12&tz=America%2FNew_York&channel=chat", page.Url, StringComparison.Ordinal);
    }

    // ---- numbers ---------------------------------------------------------------------------------------------

    /// <summary>What the aggregates API says for a view: the six KPI values as JSON number text ("" for null).</summary>
    /// <param name="groupNames">With a group: the groups texts GET /api/v2/groups gives it, the interactions' filter.</param>
    private async Task<Dictionary<string, string>> ExpectedAsync(string from, string to, string tz, string? channel, string? group, IReadOnlyList<string>? groupNames = null)
    {
        var filter = new JsonObject();
        if (channel is not null)
        {
            filter["channel"] = new JsonArray(channel);
        }

        if (group is not null)
        {
            filter["group_id"] = new JsonArray(group);
        }

        var iFilter = channel is null ? new JsonObject() : new JsonObject { ["interaction_type"] = new JsonArray(channel) };
        if (groupNames is not null)
        {
            iFilter["groups"] = new JsonArray([.. groupNames.Select(n => (JsonNode)n)]);
        }

        JsonObject Body(JsonObject f, params string[] metrics) => new()
        {
            ["interval"] = new JsonObject { ["from"] = from + "T00:00:00", ["to"] = to + "T00:00:00" },
            ["timezone"] = tz,
            ["granularity"] = "total",
            ["filter"] = f,
            ["metrics"] = new JsonArray([.. metrics.Select(m => (JsonNode)m)]),
        };
        var e = Bucket(await fx.CallAsync(HttpMethod.Post, "/api/v2/engagements/aggregates",
            Body(filter, "engagements", "assignment_to_first_reply_time_seconds", "requester_wait_seconds").ToJsonString()));
        var i = Bucket(await fx.CallAsync(HttpMethod.Post, "/api/v2/interactions/aggregates",
            Body(iFilter, "interactions", "service_level_percent", "abandon_percent").ToJsonString()));
        static string Text(JsonNode? n) => n is null ? "" : n.ToJsonString();
        return new()
        {
            ["engagements"] = e?["engagements"] is { } n1 ? Text(n1) : "0",
            ["interactions"] = i?["interactions"] is { } n2 ? Text(n2) : "0",
            ["first_reply_p50_seconds"] = Text(e?["assignment_to_first_reply_time_seconds"]?["p50"]),
            ["requester_wait_seconds"] = Text(e?["requester_wait_seconds"]),
            ["service_level_percent"] = Text(i?["service_level_percent"]),
            ["abandon_percent"] = Text(i?["abandon_percent"]),
        };

        static JsonNode? Bucket(JsonNode answer) => answer["results"]?.AsArray().FirstOrDefault()?["buckets"]?[0];
    }

    private static async Task<Dictionary<string, string>> ShownAsync(IPage page)
    {
        var shown = new Dictionary<string, string>();
        foreach (var k in Kpis)
        {
            shown[k] = await page.GetAttributeAsync($"[data-kpi=\"{k}\"]", "data-value") ?? "(missing)";
        }

        return shown;
    }

    private static void SameNumbers(Dictionary<string, string> expected, Dictionary<string, string> shown, string view)
    {
        foreach (var k in Kpis)
        {
            var a = expected[k];
            var b = shown[k];
            var same = a == b || (a.Length > 0 && b.Length > 0
                && decimal.Parse(a, NumberStyles.Float, CultureInfo.InvariantCulture) == decimal.Parse(b, NumberStyles.Float, CultureInfo.InvariantCulture));
            Assert.True(same, $"{view}: data-kpi=\"{k}\" shows data-value=\"{b}\", the aggregates API says \"{a}\"");
        }
    }

    public static TheoryData<string, string, string, string?> Views() => new()
    {
        { "2026-03-02", "2026-03-16", "UTC", null },
        { "2026-03-09", "2026-03-12", "America/New_York", "chat" },
        { "2026-03-05", "2026-03-06", "Asia/Kolkata", "voice" },
        { "2026-03-03", "2026-03-10", "Europe/Lisbon", "email" },
    };

    [SkippableTheory]
    [MemberData(nameof(Views))]
    public async Task Kpi_data_values_equal_the_aggregates_API(string from, string to, string tz, string? channel)
    {
        var missing = await fx.AggregatesMissingAsync();
        Skip.If(missing is not null, missing);
        var fragment = $"from={from}&to={to}&tz={Uri.EscapeDataString(tz)}" + (channel is null ? "" : "&channel=" + channel);
        await using var tab = await OpenAsync(fragment);
        await WaitForReadyAsync(tab);
        SameNumbers(await ExpectedAsync(from, to, tz, channel, null), await ShownAsync(tab.Page), fragment);
        Assert.NotEqual("0", await tab.Page.GetAttributeAsync("[data-kpi=engagements]", "data-value"));
    }

    /// <summary>An id as the API writes it (a JSON integer when canonical), as text.</summary>
    private static string IdText(JsonNode id) => id is JsonValue v && v.TryGetValue<string>(out var s) ? s : id.ToJsonString();

    [SkippableFact]
    public async Task A_group_filter_narrows_engagements_by_group_id_and_interactions_by_the_groups_texts_of_that_group()
    {
        var missing = await fx.AggregatesMissingAsync();
        Skip.If(missing is not null, missing);
        await using var tab = await OpenAsync("from=2026-03-02&to=2026-03-16&tz=UTC");
        await WaitForReadyAsync(tab);
        await tab.Page.WaitForSelectorAsync("#group option:nth-child(2)", new PageWaitForSelectorOptions { State = WaitForSelectorState.Attached });
        var group = await tab.Page.EvaluateAsync<string>("() => document.querySelector('#group option:nth-child(2)').value");
        var names = (await fx.CallAsync(HttpMethod.Get, "/api/v2/groups"))["groups"]!.AsArray()
            .Single(g => IdText(g!["id"]!) == group)!["names"]!.AsArray().Select(n => n!.GetValue<string>()).ToList();
        Assert.NotEmpty(names);
        // The control names the group.
        Assert.Equal($"{names[0]} ({group})", await tab.Page.TextContentAsync("#group option:nth-child(2)"));

        await tab.Page.SelectOptionAsync("#group", group);
        await tab.Page.WaitForFunctionAsync("g => location.hash.includes('group=' + g) && document.body.dataset.state === 'ready'", group);
        var shown = await ShownAsync(tab.Page);
        SameNumbers(await ExpectedAsync("2026-03-02", "2026-03-16", "UTC", null, group, names), shown, "group " + group);
        var all = await ExpectedAsync("2026-03-02", "2026-03-16", "UTC", null, null);
        Assert.NotEqual(all["engagements"], shown["engagements"]);
        Assert.NotEqual(all["interactions"], shown["interactions"]);
        Assert.True(await tab.Page.IsVisibleAsync("#group-note"));

        // With a channel too, and a zone: both filters, both kinds.
        await tab.Page.SelectOptionAsync("#channel", "email");
        await tab.Page.WaitForFunctionAsync("() => location.hash.includes('channel=email') && document.body.dataset.state === 'ready'");
        SameNumbers(await ExpectedAsync("2026-03-02", "2026-03-16", "UTC", "email", group, names), await ShownAsync(tab.Page), "group " + group + ", email");
    }

    [SkippableFact]
    public async Task The_agents_table_shows_each_agent_by_name_with_its_id_and_sorts_by_name()
    {
        var missing = await fx.AggregatesMissingAsync();
        Skip.If(missing is not null, missing);
        await using var tab = await OpenAsync("from=2026-03-02&to=2026-03-16&tz=UTC");
        var page = tab.Page;
        await WaitForReadyAsync(tab);
        var agents = (await fx.CallAsync(HttpMethod.Get, "/api/v2/agents"))["agents"]!.AsArray()
            .ToDictionary(a => IdText(a!["id"]!), a => a!["name"]!.GetValue<string>());
        async Task<string[][]> RowsAsync() =>
            await page.Locator("#agents tbody tr").EvaluateAllAsync<string[][]>("rs => rs.map(r => [r.cells[0].textContent, r.cells[1].textContent])");
        var rows = await RowsAsync();
        Assert.True(rows.Length > 5);
        Assert.All(rows, r => Assert.Equal(agents[r[1]], r[0]));
        Assert.Contains(rows, r => !long.TryParse(r[1], out _)); // the generator's hexadecimal ids too

        // The generator's names differ at an ASCII letter or at a character both orders place alike, so the page's
        // collation and an ordinal one agree on them.
        await page.ClickAsync("#agents button[data-sort=name]");
        var names = (await RowsAsync()).Select(r => r[0]).ToList();
        Assert.Equal(names.Order(StringComparer.OrdinalIgnoreCase), names);
        Assert.Equal("ascending", await page.GetAttributeAsync("#agents th:has(button[data-sort=name])", "aria-sort"));
        Assert.Equal("name", await page.EvaluateAsync<string>("() => document.activeElement.dataset.sort")); // focus stays
        await page.Keyboard.PressAsync("Enter");
        names = (await RowsAsync()).Select(r => r[0]).ToList();
        Assert.Equal(names.OrderDescending(StringComparer.OrdinalIgnoreCase), names);
        Assert.Equal("descending", await page.GetAttributeAsync("#agents th:has(button[data-sort=name])", "aria-sort"));
    }

    [SkippableFact]
    public async Task Changing_a_control_updates_the_fragment_and_the_numbers()
    {
        var missing = await fx.AggregatesMissingAsync();
        Skip.If(missing is not null, missing);
        await using var tab = await OpenAsync("from=2026-03-02&to=2026-03-16&tz=UTC");
        var page = tab.Page;
        await WaitForReadyAsync(tab);
        var before = await ShownAsync(page);

        await page.SelectOptionAsync("#channel", "email");
        await page.WaitForFunctionAsync("() => location.hash.includes('channel=email') && document.body.dataset.state === 'ready'");
        var email = await ShownAsync(page);
        SameNumbers(await ExpectedAsync("2026-03-02", "2026-03-16", "UTC", "email", null), email, "channel email");
        Assert.NotEqual(before["engagements"], email["engagements"]);

        await page.FillAsync("#tz", "Pacific/Auckland");
        await page.PressAsync("#tz", "Tab");
        await page.WaitForFunctionAsync("() => location.hash.includes('tz=Pacific%2FAuckland') && document.body.dataset.state === 'ready'");
        SameNumbers(await ExpectedAsync("2026-03-02", "2026-03-16", "Pacific/Auckland", "email", null), await ShownAsync(page), "zone Pacific/Auckland");

        await page.FillAsync("#from", "2026-03-10");
        await page.WaitForFunctionAsync("() => location.hash.includes('from=2026-03-10') && document.body.dataset.state === 'ready'");
        SameNumbers(await ExpectedAsync("2026-03-10", "2026-03-16", "Pacific/Auckland", "email", null), await ShownAsync(page), "from 2026-03-10");

        // A preset: today in the page's zone, one day.
        await page.ClickAsync("[data-preset=today]");
        await page.WaitForFunctionAsync("() => document.body.dataset.state === 'ready'");
        var hash = Uri.UnescapeDataString(await page.EvaluateAsync<string>("() => location.hash"));
        var today = await page.EvaluateAsync<string>("() => new Intl.DateTimeFormat('en-CA', {timeZone: 'Pacific/Auckland'}).format(new Date())");
        var tomorrow = DateOnly.ParseExact(today, "yyyy-MM-dd", CultureInfo.InvariantCulture).AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        Assert.Equal($"#from={today}&to={tomorrow}&tz=Pacific/Auckland&channel=email", hash);
        Assert.Equal("true", await page.GetAttributeAsync("[data-preset=today]", "aria-pressed"));
        SameNumbers(await ExpectedAsync(today, tomorrow, "Pacific/Auckland", "email", null), await ShownAsync(page), "preset today");
    }

    // ---- click-through -------------------------------------------------------------------------------------

    /// <summary>Every logged engagement GET /api/v2/engagements lists for a query, every page.</summary>
    private async Task<List<JsonObject>> EngagementsAsync(string query)
    {
        var list = new List<JsonObject>();
        string? path = "/api/v2/engagements?page_size=100&" + query;
        while (path is not null)
        {
            var page = await fx.CallAsync(HttpMethod.Get, path);
            list.AddRange(page["agent_engagement_data"]!.AsArray().Select(e => e!.AsObject()));
            path = page["next_page_url"] is JsonValue next ? new Uri(next.GetValue<string>()).PathAndQuery : null;
        }

        return list;
    }

    /// <summary>The engagements of a view's range (local dates in a zone), as the API lists them.</summary>
    private Task<List<JsonObject>> RangeEngagementsAsync(string from, string to, string tz) =>
        EngagementsAsync($"start_time={LocalUnix(from, tz)}&end_time={LocalUnix(to, tz)}");

    private static long LocalUnix(string date, string tz)
    {
        var local = DateTime.ParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        return new DateTimeOffset(local, TimeZoneInfo.FindSystemTimeZoneById(tz).GetUtcOffset(local)).ToUnixTimeSeconds();
    }

    private static long Unix(string rfc3339) => DateTimeOffset.Parse(rfc3339, CultureInfo.InvariantCulture).ToUnixTimeSeconds();

    private static string[] Ids(IEnumerable<JsonObject> engagements) =>
        [.. engagements.Select(e => e["engagement_id"]!.GetValue<string>()).Order(StringComparer.Ordinal)];

    /// <summary>Opens a list by <paramref name="open"/>; what it lists: its count (data-rows) and the ids of its rows.</summary>
    private static async Task<(int Count, string[] Ids, string Summary)> DrillAsync(IPage page, Func<Task> open)
    {
        await page.EvaluateAsync("() => document.getElementById('drill-table')?.remove()");
        await open();
        await page.WaitForSelectorAsync("#drill-table", new PageWaitForSelectorOptions { State = WaitForSelectorState.Attached, Timeout = 60_000 });
        var count = int.Parse((await page.GetAttributeAsync("#drill-table", "data-rows"))!, CultureInfo.InvariantCulture);
        var ids = await page.Locator("#drill-table tbody tr").EvaluateAllAsync<string[]>("rs => rs.map(r => r.dataset.engagement)");
        return (count, [.. ids.Order(StringComparer.Ordinal)], (await page.TextContentAsync("#drill-summary"))!);
    }

    private static async Task PressAsync(IPage page, ILocator target, string key)
    {
        await target.FocusAsync();
        await page.Keyboard.PressAsync(key);
    }

    private static int Int(string? text) => int.Parse(text!, CultureInfo.InvariantCulture);

    [SkippableFact]
    public async Task A_click_on_an_engagement_bar_or_an_agent_row_lists_exactly_the_engagements_it_counts()
    {
        var missing = await fx.AggregatesMissingAsync();
        Skip.If(missing is not null, missing);
        await using var tab = await OpenAsync("from=2026-03-02&to=2026-03-16&tz=Europe%2FLisbon");
        var page = tab.Page;
        await WaitForReadyAsync(tab);
        var bars = page.Locator("#eng-volume rect.bar");
        Assert.True(await bars.CountAsync() > 10);
        foreach (var index in new[] { 0, 5 })
        {
            var bar = bars.Nth(index);
            var count = Int(await bar.GetAttributeAsync("data-count"));
            var channel = (await bar.GetAttributeAsync("data-channel"))!;
            var (start, end) = (Unix((await bar.GetAttributeAsync("data-start"))!), LocalOrOffsetUnix((await bar.GetAttributeAsync("data-end"))!, "Europe/Lisbon"));
            var expected = await EngagementsAsync($"start_time={start}&end_time={end}&channel={channel}");
            var shown = await DrillAsync(page, () => index == 0 ? bar.ClickAsync() : PressAsync(page, bar, "Enter"));
            Assert.Equal(count, expected.Count);
            Assert.Equal(count, shown.Count);
            Assert.Equal(Ids(expected), shown.Ids);
        }

        // A row of the agents table, by keyboard: the agent's engagements of the range.
        var row = page.Locator("#agents tr.row").First;
        var agent = (await row.GetAttributeAsync("data-agent"))!;
        var agentCount = Int(await row.GetAttributeAsync("data-count"));
        var ofAgent = await EngagementsAsync($"start_time={LocalUnix("2026-03-02", "Europe/Lisbon")}&end_time={LocalUnix("2026-03-16", "Europe/Lisbon")}&agent_id={Uri.EscapeDataString(agent)}");
        var listed = await DrillAsync(page, () => PressAsync(page, row, "Space"));
        Assert.Equal(agentCount, ofAgent.Count);
        Assert.Equal(agentCount, listed.Count);
        Assert.Equal(Ids(ofAgent), listed.Ids);
    }

    /// <summary>A bar's end: the next bucket's start (with its offset) or the range's end (a local date-time).</summary>
    private static long LocalOrOffsetUnix(string text, string tz) =>
        text.EndsWith("T00:00:00", StringComparison.Ordinal) ? LocalUnix(text[..10], tz) : Unix(text);

    [SkippableFact]
    public async Task An_interaction_bar_lists_the_engagements_of_its_channel_that_started_in_its_bucket()
    {
        var missing = await fx.AggregatesMissingAsync();
        Skip.If(missing is not null, missing);
        await using var tab = await OpenAsync("from=2026-03-03&to=2026-03-10&tz=America%2FNew_York");
        var page = tab.Page;
        await WaitForReadyAsync(tab);
        var bars = page.Locator("#int-volume rect.bar");
        Assert.True(await bars.CountAsync() > 10);
        // The last bar: its bucket ends where the range ends.
        foreach (var bar in new[] { bars.Nth(3), bars.Last })
        {
            var channel = (await bar.GetAttributeAsync("data-channel"))!;
            var (start, end) = (Unix((await bar.GetAttributeAsync("data-start"))!), LocalOrOffsetUnix((await bar.GetAttributeAsync("data-end"))!, "America/New_York"));
            var expected = await EngagementsAsync($"start_time={start}&end_time={end}&channel={channel}");
            var shown = await DrillAsync(page, () => PressAsync(page, bar, "Enter"));
            Assert.Equal(expected.Count, shown.Count);
            Assert.Equal(Ids(expected), shown.Ids);
            Assert.Contains($"The chart counts {await bar.GetAttributeAsync("data-count")} {channel} interactions", shown.Summary, StringComparison.Ordinal);
        }
    }

    [SkippableFact]
    public async Task An_end_reason_bar_lists_the_engagements_that_ended_for_that_reason()
    {
        var missing = await fx.AggregatesMissingAsync();
        Skip.If(missing is not null, missing);
        await using var tab = await OpenAsync("from=2026-03-02&to=2026-03-09&tz=Asia%2FKolkata&channel=chat");
        var page = tab.Page;
        await WaitForReadyAsync(tab);
        var range = (await RangeEngagementsAsync("2026-03-02", "2026-03-09", "Asia/Kolkata"))
            .Where(e => e["channel"]!.GetValue<string>() == "CHAT").ToList();
        var reasons = page.Locator("#reasons button.hbar");
        Assert.True(await reasons.CountAsync() >= 2);
        foreach (var bar in new[] { reasons.First, reasons.Last })
        {
            var reason = (await bar.GetAttributeAsync("data-reason"))!;
            var count = Int(await bar.GetAttributeAsync("data-count"));
            var expected = range.Where(e => e["engagement_end_reason"]!.GetValue<string>() == reason).ToList();
            Assert.Equal(count, expected.Count);
            var shown = await DrillAsync(page, () => bar.ClickAsync());
            Assert.Equal(count, shown.Count);
            if (count <= 1000)
            {
                Assert.Equal(Ids(expected), shown.Ids);
            }
            else
            {
                Assert.Equal(1000, shown.Ids.Length); // the first 1,000 are drawn, every one counted
                Assert.Subset(Ids(expected).ToHashSet(), shown.Ids.ToHashSet());
            }
        }
    }

    [SkippableFact]
    public async Task A_heatmap_cell_lists_the_engagements_of_that_weekday_and_hour_in_the_page_zone_across_a_DST_change()
    {
        var missing = await fx.AggregatesMissingAsync();
        Skip.If(missing is not null, missing);
        // New York moves its clocks on Sunday 2026-03-08: the range has weeks on both sides.
        await using var tab = await OpenAsync("from=2026-03-02&to=2026-03-16&tz=America%2FNew_York");
        var page = tab.Page;
        await WaitForReadyAsync(tab);
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        var range = await RangeEngagementsAsync("2026-03-02", "2026-03-16", "America/New_York");
        var cells = page.Locator("#heatmap td button");
        var n = await cells.CountAsync();
        Assert.True(n > 20);
        foreach (var cell in new[] { cells.First, cells.Nth(n / 2), cells.Last })
        {
            var (day, hour) = (Int(await cell.GetAttributeAsync("data-day")), Int(await cell.GetAttributeAsync("data-hour")));
            var expected = range.Where(e =>
            {
                var utc = DateTime.ParseExact(e["engagement_start_time"]!.GetValue<string>(), "yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
                var local = TimeZoneInfo.ConvertTimeFromUtc(utc, zone);
                return ((int)local.DayOfWeek + 6) % 7 == day && local.Hour == hour;
            }).ToList();
            Assert.Equal(Int(await cell.GetAttributeAsync("data-count")), expected.Count);
            var shown = await DrillAsync(page, () => PressAsync(page, cell, "Enter"));
            Assert.Equal(expected.Count, shown.Count);
            Assert.Equal(Ids(expected), shown.Ids);
        }
    }

    [SkippableFact]
    public async Task A_percentile_bar_lists_the_engagements_at_or_above_it()
    {
        var missing = await fx.AggregatesMissingAsync();
        Skip.If(missing is not null, missing);
        await using var tab = await OpenAsync("from=2026-03-09&to=2026-03-16&tz=UTC&channel=email");
        var page = tab.Page;
        await WaitForReadyAsync(tab);
        var range = (await RangeEngagementsAsync("2026-03-09", "2026-03-16", "UTC")).Where(e => e["channel"]!.GetValue<string>() == "EMAIL").ToList();
        foreach (var (field, percentile) in new[] { ("assignment_to_first_reply_time_seconds", "p90"), ("average_requester_wait_time_seconds", "p95") })
        {
            var bar = page.Locator($"#percentiles button[data-field={field}][data-percentile={percentile}]");
            var value = long.Parse((await bar.GetAttributeAsync("data-value"))!, CultureInfo.InvariantCulture);
            var expected = range.Where(e => e[field] is JsonValue v && v.GetValue<long>() >= value).ToList();
            Assert.NotEmpty(expected);
            var shown = await DrillAsync(page, () => PressAsync(page, bar, "Space"));
            Assert.Equal(expected.Count, shown.Count);
            Assert.Equal(Ids(expected), shown.Ids);
        }
    }

    // ---- keyboard and text alternatives -------------------------------------------------------------------

    [SkippableFact]
    public async Task Every_control_and_every_kind_of_chart_element_is_reached_by_Tab_and_has_a_name()
    {
        var missing = await fx.AggregatesMissingAsync();
        Skip.If(missing is not null, missing);
        await using var tab = await OpenAsync("from=2026-03-09&to=2026-03-12&tz=UTC");
        var page = tab.Page;
        await WaitForReadyAsync(tab);
        await page.WaitForSelectorAsync("#group option:nth-child(2)", new PageWaitForSelectorOptions { State = WaitForSelectorState.Attached });
        // What each Tab reaches: a kind (its id, or where it is and what it is) and its accessible name, as far as the
        // page gives one (aria-label, a label element, or its own text).
        const string Focused = """
            () => {
              const e = document.activeElement;
              const where = e.closest('[id]');
              const kind = e.id || ((where ? where.id : '') + ' ' + e.tagName.toLowerCase() + (e.classList.length ? '.' + [...e.classList].join('.') : ''));
              const name = e.getAttribute('aria-label') || (e.labels && e.labels[0] ? e.labels[0].textContent : '') || e.textContent;
              return [kind, (name || '').trim()];
            }
            """;
        var seen = new Dictionary<string, string>();
        for (var i = 0; i < 1500; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            var (kind, name) = await page.EvaluateAsync<string[]>(Focused) is [var k, var n] ? (k, n) : ("", "");
            if (kind == " body" || (kind == " a.skip" && seen.ContainsKey(kind))) // round the page once (a date input takes a Tab a field)
            {
                break;
            }

            Assert.False(string.IsNullOrWhiteSpace(name), $"the element {kind} has no name");
            seen.TryAdd(kind, name);
        }

        foreach (var expected in new[]
        {
            "from", "to", "tz", "channel", "group", "sign-out", "controls button", "eng-volume rect.bar", "int-volume rect.bar",
            "percentiles button.hbar", "reasons button.hbar", "heatmap button", "agents button", "agents tr.row", "eng-volume summary",
        })
        {
            Assert.True(seen.ContainsKey(expected), $"Tab never reaches {expected}; it reaches: {string.Join(", ", seen.Keys)}");
        }

        // Charts have text alternatives: every SVG chart a label and its numbers as a table.
        Assert.Equal(0, await page.Locator("svg:not([aria-label])").CountAsync());
        Assert.Equal(2, await page.Locator(".chart details table").CountAsync());
    }

    // ---- now ---------------------------------------------------------------------------------------------------

    [SkippableFact]
    public async Task The_now_panel_shows_the_now_endpoints_and_refreshes_by_itself()
    {
        // The group of the fragment filters the "now" lists; nobody waits in it yet.
        var group = "g-" + Guid.NewGuid().ToString("N")[..8];
        await using var tab = await OpenAsync($"from=2026-03-02&to=2026-03-16&tz=UTC&group={group}");
        var page = tab.Page;
        await page.WaitForFunctionAsync("() => document.getElementById('now-time').textContent.startsWith('updated')");
        Assert.Equal("0", await page.TextContentAsync("#waiting-count"));
        var all = (await fx.CallAsync(HttpMethod.Get, "/api/v2/engagements/open"))["count"]!.GetValue<int>();
        Assert.True(all > 0, "the fixture's data has open engagements now");

        var at = DashboardFixture.Now.AddSeconds(-90).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var id = "now-" + group;
        await fx.CallAsync(HttpMethod.Post, "/api/v2/events",
            $$"""[{"id":"{{id}}","type":"interaction.created","occurred_at":"{{at}}","interaction_id":"{{id}}","channel":"chat","group_id":"{{group}}","group_name":"Now desk"}]""");
        await page.WaitForFunctionAsync("() => document.getElementById('waiting-count').textContent === '1'", null,
            new PageWaitForFunctionOptions { Timeout = 20_000 });
        var row = await page.TextContentAsync("#waiting-list tbody tr");
        Assert.Equal($"{id}CHATNow desk90 s", row);

        // Without the group: every open engagement the API counts.
        await page.EvaluateAsync("() => { location.hash = 'from=2026-03-02&to=2026-03-16&tz=UTC'; }");
        await page.WaitForFunctionAsync("n => document.getElementById('open-count').textContent === String(n)", all,
            new PageWaitForFunctionOptions { Timeout = 20_000 });
    }

    // ---- nothing but OmniReport ------------------------------------------------------------------------------

    [SkippableFact]
    public async Task The_page_makes_no_request_outside_OmniReport()
    {
        await using var tab = await OpenAsync("from=2026-03-02&to=2026-03-16&tz=UTC");
        var page = tab.Page;
        await WaitForStateAsync(page, "ready", "error");
        await page.SelectOptionAsync("#channel", "voice");
        await WaitForStateAsync(page, "ready", "error");
        // Every kind of list a chart opens.
        foreach (var selector in new[] { "#eng-volume rect.bar", "#int-volume rect.bar", "#reasons button.hbar", "#percentiles button.hbar", "#heatmap td button", "#agents tr.row" })
        {
            if (await page.Locator(selector).CountAsync() > 0)
            {
                await DrillAsync(page, () => page.Locator(selector).First.ClickAsync());
            }
        }

        await page.WaitForTimeoutAsync(500);
        string[] requests;
        lock (tab.Requests)
        {
            requests = [.. tab.Requests];
        }

        Assert.NotEmpty(requests);
        Assert.All(requests, url => Assert.StartsWith(fx.BaseUrl + "/", url, StringComparison.Ordinal));
        Assert.DoesNotContain(tab.Console, m => m.Contains("Content Security Policy", StringComparison.Ordinal));
        Assert.DoesNotContain(tab.Console, m => m.Contains("Refused to", StringComparison.Ordinal));
        Assert.DoesNotContain(tab.Console, m => m.StartsWith("pageerror: ", StringComparison.Ordinal));
    }

    // ---- speed, and the README's screenshot ------------------------------------------------------------------

    /// <summary>
    /// The first render, by the browser's own clock: <c>performance.mark</c> at the moment every panel has drawn, measured
    /// from navigation start; best of three loads after one that warms the server. The figure is written to the test
    /// output; bench/dashboard-render.sh runs this test alone on the demo's data with OMNIREPORT_CHECK_RENDER_TIME=1,
    /// which asserts the 1 s of the issue (a timing in the shared test run would only measure the machine's load).
    /// OMNIREPORT_UPDATE_SCREENSHOT=1 also writes docs/dashboard.png, the README's picture.
    /// </summary>
    [SkippableFact]
    public async Task First_render_is_timed_by_the_browser()
    {
        var missing = await fx.AggregatesMissingAsync();
        Skip.If(missing is not null, missing);
        var to = new DateOnly(2026, 3, 2).AddDays(DashboardFixture.Days).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var fragment = $"from=2026-03-02&to={to}&tz=UTC";
        // OMNIREPORT_RENDER_BASELINE: a folder with another version's index.html, dashboard.js and dashboard.css
        // (bench/dashboard-render.sh takes them from git). Both pages are then loaded alternately against the same server
        // and data, each page's files given by the browser's router from disk, so only the page differs.
        var baseline = Environment.GetEnvironmentVariable("OMNIREPORT_RENDER_BASELINE");
        (string Name, string? Assets)[] variants = string.IsNullOrEmpty(baseline)
            ? [("this branch", null)]
            : [("baseline", baseline), ("this branch", Path.Combine(Scenarios.RepositoryRoot, "src", "OmniReport.Api", "Dashboard", "Assets"))];
        var times = variants.ToDictionary(v => v.Name, _ => new List<double>());
        var panelTimes = variants.ToDictionary(v => v.Name, _ => new List<double>()); // every panel drawn, before the cards' changes
        for (var i = 0; i < 4; i++)
        {
            foreach (var (name, assets) in variants)
            {
                await using var tab = await OpenAsync(fragment, assets: assets);
                await WaitForReadyAsync(tab);
                var ms = await tab.Page.EvaluateAsync<double>("() => performance.getEntriesByName('omnireport-first-render')[0].startTime");
                // A page older than the mark has none.
                var panelsMs = await tab.Page.EvaluateAsync<double>("() => (performance.getEntriesByName('omnireport-first-panels')[0] || performance.getEntriesByName('omnireport-first-render')[0]).startTime");
                Assert.True(ms > 0);
                Assert.InRange(panelsMs, 1, ms);
                if (i > 0)
                {
                    times[name].Add(ms);
                    panelTimes[name].Add(panelsMs);
                }

                if (i == 3)
                {
                    // Where the time went: each request's duration, by the same clock.
                    var requests = await tab.Page.EvaluateAsync<string>(
                        "() => performance.getEntriesByType('resource').map(e => new URL(e.name).pathname + ' ' + Math.round(e.startTime) + '+' + Math.round(e.duration)).join('; ')");
                    output.WriteLine($"requests ({name}; path start+duration ms): " + requests);
                    Console.WriteLine($"requests ({name}; path start+duration ms): " + requests);
                }

                if (i == 3 && name == "this branch" && Environment.GetEnvironmentVariable("OMNIREPORT_UPDATE_SCREENSHOT") == "1")
                {
                    await tab.Page.WaitForSelectorAsync("#group option:nth-child(2)", new PageWaitForSelectorOptions { State = WaitForSelectorState.Attached });
                    await tab.Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Scenarios.RepositoryRoot, "docs", "dashboard.png"), FullPage = true });
                }
            }
        }

        static string List(List<double> xs) => string.Join(", ", xs.Select(t => t.ToString("0", CultureInfo.InvariantCulture))) + $"; best {xs.Min():0}";
        foreach (var (name, _) in variants)
        {
            var line = $"first render ({name}), ms from navigation start ({(DashboardFixture.DemoScale ? "demo data" : "test data")}, {to}): "
                + List(times[name]) + "; every panel but the cards' changes: " + List(panelTimes[name]);
            output.WriteLine(line);
            Console.WriteLine(line);
        }

        if (Environment.GetEnvironmentVariable("OMNIREPORT_CHECK_RENDER_TIME") == "1")
        {
            Assert.True(times["this branch"].Min() < 1000, $"first render: best {times["this branch"].Min():0} ms");
        }
    }
}
