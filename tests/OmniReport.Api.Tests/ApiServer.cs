using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OmniReport.Storage;

namespace OmniReport.Api.Tests;

/// <summary>
/// The real service over a real SQLite store in a temporary folder: in the ASP.NET test host, or on a Kestrel
/// socket on 127.0.0.1 (<paramref name="kestrel"/>). Accounts isolate the tests that share one server.
/// </summary>
public sealed class ApiServer : IAsyncDisposable
{
    private readonly string _dir;
    private int _accounts;

    private ApiServer(string dir, IStore store, WebApplication app, ManualClock clock, HttpClient client)
    {
        _dir = dir;
        Store = store;
        App = app;
        Clock = clock;
        Client = client;
    }

    public IStore Store { get; }

    public WebApplication App { get; }

    public ManualClock Clock { get; }

    /// <summary>A client without credentials.</summary>
    public HttpClient Client { get; }

    /// <param name="time">The clock of the store and the service instead of <see cref="Clock"/> (a FakeTimeProvider drives their timers too).</param>
    public static async Task<ApiServer> StartAsync(ApiOptions? options = null, bool kestrel = false, Func<IStore, IStore>? wrap = null, bool postgres = false, TimeProvider? time = null)
    {
        var dir = Path.Combine(Path.GetTempPath(), "omnireport-api-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var clock = new ManualClock(DateTimeOffset.Parse("2026-06-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var real = postgres
            ? await TestStores.OpenPostgresAsync(time ?? clock)
            : await TestStores.OpenSqliteAsync(Path.Combine(dir, "test.db"), time ?? clock);
        var store = wrap is null ? real : wrap(real);
        var app = ApiHost.Build(store, options ?? new ApiOptions { RateLimitPerMinute = 0 }, time: time ?? clock, configure: b =>
        {
            b.Logging.ClearProviders();
            if (kestrel)
            {
                b.WebHost.UseUrls("http://127.0.0.1:0");
            }
            else
            {
                b.WebHost.UseTestServer();
            }
        });
        await app.StartAsync();
        HttpClient client;
        if (kestrel)
        {
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            client = new HttpClient { BaseAddress = new Uri(address) };
        }
        else
        {
            client = app.GetTestClient();
        }

        return new ApiServer(dir, store, app, clock, client);
    }

    /// <summary>A new account and a token of it with <paramref name="scopes"/>.</summary>
    public async Task<Tenant> NewAccountAsync(Scopes scopes = Scopes.All)
    {
        var account = await Store.CreateAccountAsync($"account-{Interlocked.Increment(ref _accounts)}-{Guid.NewGuid():N}");
        var token = await Store.CreateTokenAsync(account.Id, scopes);
        return new Tenant(this, account, token);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        await Store.DisposeAsync();
        await TestStores.DropAsync(Store);
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>One account of the server and a token of it.</summary>
public sealed record Tenant(ApiServer Server, Account Account, string Token)
{
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content = null, string? token = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token ?? Token);
        return await Server.Client.SendAsync(request);
    }

    public Task<HttpResponseMessage> GetAsync(string path) => SendAsync(HttpMethod.Get, path);

    public async Task<JsonNode> GetJsonAsync(string path)
    {
        using var response = await GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    public async Task<JsonObject> PostEventsAsync(string body, string contentType = "application/json")
    {
        using var response = await SendAsync(HttpMethod.Post, "/api/v2/events", new StringContent(body, Encoding.UTF8, contentType));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST events: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    public async Task<JsonObject> PutSettingsAsync(string json)
    {
        using var response = await SendAsync(HttpMethod.Put, "/api/v2/settings", new StringContent(json, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"PUT settings: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>Follows next_page_url from <paramref name="firstPath"/> to the end, as a Zendesk client does.</summary>
    public async Task<(JsonArray Rows, int Pages)> ReadAllPagesAsync(string firstPath)
    {
        var rows = new JsonArray();
        var pages = 0;
        string? next = firstPath;
        while (next is not null)
        {
            var page = (await GetJsonAsync(next)).AsObject();
            pages++;
            var data = page["agent_engagement_data"]!.AsArray();
            Assert.Equal(data.Count, page["page_size"]!.GetValue<int>());
            foreach (var row in data)
            {
                rows.Add(row!.DeepClone());
            }

            var url = page["next_page_url"]?.GetValue<string>();
            Assert.Equal(url is not null, page["has_more"]!.GetValue<bool>());
            next = url is null ? null : new Uri(url).PathAndQuery;
            Assert.True(pages < 100_000, "paging does not end");
        }

        return (rows, pages);
    }
}
