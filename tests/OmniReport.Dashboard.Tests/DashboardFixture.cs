using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;
using OmniReport.Api;
using OmniReport.Core.Events;
using OmniReport.Generation;
using OmniReport.Storage;
using OmniReport.TestSupport;

namespace OmniReport.Dashboard.Tests;

/// <summary>
/// The real service on a Kestrel socket over a SQLite file filled with generated data (the generator the demo
/// uses, from Monday 2026-03-02), its clock fixed the day after; and Debian's Chromium under Playwright.
/// </summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    /// <summary>Where Debian installs Chromium (.ci/run installs it when missing). Playwright never downloads one.</summary>
    public const string Chromium = "/usr/bin/chromium";

    /// <summary>
    /// Why the browser tests are skipped (Chromium is not installed), or null when they run. CI=true or
    /// OMNIREPORT_REQUIRE_CHROMIUM=1 (.ci/run) makes a missing Chromium a failure instead, as PostgreSQL's tests do.
    /// </summary>
    public static readonly string? SkipReason =
        File.Exists(Chromium) || TestEnvironment.Requires("OMNIREPORT_REQUIRE_CHROMIUM")
            ? null
            : $"Chromium not installed at {Chromium} (apt-get install chromium; CI=true or OMNIREPORT_REQUIRE_CHROMIUM=1 makes this a failure)";

    /// <summary>
    /// OMNIREPORT_DASHBOARD_DEMO_SCALE=1 (bench/dashboard-render.sh): the data of <c>omnireport demo</c>'s defaults (21 days,
    /// 8,000 interactions, 60 agents, 6 groups); otherwise two weeks of 2,500 interactions, enough for every test.
    /// </summary>
    public static readonly bool DemoScale = Environment.GetEnvironmentVariable("OMNIREPORT_DASHBOARD_DEMO_SCALE") == "1";

    /// <summary>Days of data from Monday 2026-03-02.</summary>
    public static readonly int Days = DemoScale ? 21 : 14;

    /// <summary>The service's clock: noon of the day after the data.</summary>
    public static readonly DateTimeOffset Now = new DateTimeOffset(2026, 3, 2, 12, 0, 0, TimeSpan.Zero).AddDays(Days);

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "omnireport-dashboard-tests", Guid.NewGuid().ToString("N"));
    private IPlaywright? _playwright;

    public IStore Store { get; private set; } = null!;

    public WebApplication App { get; private set; } = null!;

    public FakeTimeProvider Clock { get; } = new(Now);

    public string BaseUrl { get; private set; } = "";

    public string Token { get; private set; } = "";

    public long AccountId { get; private set; }

    /// <summary>The browser; null when <see cref="SkipReason"/> says why there is none.</summary>
    public IBrowser? Browser { get; private set; }

    public HttpClient Http { get; } = new();

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_dir);
        Store = await StoreFactory.OpenAsync(Path.Combine(_dir, "dashboard.db"), Clock);
        var account = await Store.CreateAccountAsync("dashboard");
        AccountId = account.Id;
        Token = await Store.CreateTokenAsync(account.Id, Scopes.All);
        await FillAsync();

        App = ApiHost.Build(Store, new ApiOptions { RateLimitPerMinute = 0 }, time: Clock, configure: b =>
        {
            b.Logging.ClearProviders();
            b.WebHost.UseUrls("http://127.0.0.1:0");
        });
        await App.StartAsync();
        BaseUrl = App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        if (SkipReason is not null)
        {
            return;
        }

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        await Store.DisposeAsync();
        Http.Dispose();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // a file still held open by SQLite's pool: left to the temp folder's cleaner
        }
    }

    /// <summary>Generated data, as <c>omnireport demo</c> makes it (see <see cref="DemoScale"/>).</summary>
    private async Task FillAsync()
    {
        var generator = new EventGenerator(DemoScale
            ? new GeneratorOptions { Seed = 1, Days = Days, Interactions = 8000, Agents = 60, Groups = 6 }
            : new GeneratorOptions { Seed = 7, Days = Days, Interactions = 2500, Agents = 25, Groups = 4 });
        using var ndjson = new MemoryStream();
        generator.WriteNdjson(ndjson);
        var parser = new EventParser();
        var batch = new List<Event>();
        var index = 0;
        foreach (var line in Encoding.UTF8.GetString(ndjson.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            Assert.True(parser.TryParse(Encoding.UTF8.GetBytes(line), index++, out var e, out var error), error?.ToString());
            batch.Add(e!);
            if (batch.Count == 5000)
            {
                await Store.IngestAsync(AccountId, batch);
                batch = [];
            }
        }

        await Store.IngestAsync(AccountId, batch);
    }

    /// <summary>An API call with the account's token.</summary>
    public async Task<JsonNode> CallAsync(HttpMethod method, string path, string? body = null)
    {
        using var request = new HttpRequestMessage(method, BaseUrl + path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    /// <summary>Null when the aggregates API (SPEC §7) answers; else why the tests that compare with it cannot run.</summary>
    public async Task<string?> AggregatesMissingAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, BaseUrl + "/api/v2/engagements/aggregates")
        {
            Content = new StringContent("""{"interval":{"from":"2026-03-02T00:00:00","to":"2026-03-03T00:00:00"}}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        using var response = await Http.SendAsync(request);
        return response.IsSuccessStatusCode
            ? null
            : $"POST /api/v2/engagements/aggregates (SPEC §7, issue #11) answers {(int)response.StatusCode}: this test compares the dashboard with it";
    }
}
