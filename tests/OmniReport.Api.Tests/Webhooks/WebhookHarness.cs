using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using OmniReport.Api.Webhooks;
using OmniReport.Storage;
using OmniReport.TestSupport;

namespace OmniReport.Api.Tests.Webhooks;

/// <summary>
/// The service (test host) over a real store on a <see cref="FakeTimeProvider"/>, one webhook worker, and a real
/// receiver on Kestrel: time moves only when a test advances it, so retry times can be asserted to the second.
/// </summary>
public sealed class WebhookHarness : IAsyncDisposable
{
    public static readonly DateTimeOffset T0 = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly string _dir;

    private WebhookHarness(string dir, FakeTimeProvider time, IStore store, WebApplication app, HttpClient client, WebhookReceiver receiver)
    {
        _dir = dir;
        Time = time;
        Store = store;
        App = app;
        Client = client;
        Receiver = receiver;
    }

    public FakeTimeProvider Time { get; }

    public IStore Store { get; }

    public WebApplication App { get; }

    public HttpClient Client { get; }

    public WebhookReceiver Receiver { get; }

    public Account Account { get; private set; } = null!;

    public string Token { get; private set; } = "";

    public static async Task<WebhookHarness> StartAsync(bool postgres, WebhookTargets targets = WebhookTargets.Any)
    {
        var dir = Path.Combine(Path.GetTempPath(), "omnireport-webhook-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var time = new FakeTimeProvider(T0);
        var store = postgres ? await TestStores.OpenPostgresAsync(time) : await TestStores.OpenSqliteAsync(Path.Combine(dir, "test.db"), time);
        var options = new ApiOptions
        {
            RateLimitPerMinute = 0, AddressRateLimitPerMinute = 0, ReportWorkers = 0, WebhookWorkers = 1, WebhookTargets = targets,
        };
        var app = ApiHost.Build(store, options, time: time, configure: b =>
        {
            b.Logging.ClearProviders();
            b.WebHost.UseTestServer();
        });
        await app.StartAsync();
        var harness = new WebhookHarness(dir, time, store, app, app.GetTestClient(), await WebhookReceiver.StartAsync());
        harness.Account = await store.CreateAccountAsync("acme");
        harness.Token = await store.CreateTokenAsync(harness.Account.Id, Scopes.All);
        return harness;
    }

    public async Task<JsonNode> SendAsync(HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    public async Task<System.Net.HttpStatusCode> DeleteAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        using var response = await Client.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>Creates a webhook to the receiver's <paramref name="path"/>; its id and secret.</summary>
    public async Task<(string Id, string Secret)> CreateWebhookAsync(string path, params string[] types)
    {
        var body = new JsonObject { ["url"] = Receiver.BaseUrl + path };
        if (types.Length > 0)
        {
            body["types"] = new JsonArray([.. types.Select(t => JsonValue.Create(t))]);
        }

        var created = await SendAsync(HttpMethod.Post, "/api/v2/webhooks", body.ToJsonString());
        return (created["id"]!.GetValue<string>(), created["secret"]!.GetValue<string>());
    }

    public Task IngestAsync(IEnumerable<string> events) =>
        SendAsync(HttpMethod.Post, "/api/v2/events", "[" + string.Join(",", events) + "]");

    public async Task<JsonArray> DeliveriesAsync(string webhookId) =>
        (await SendAsync(HttpMethod.Get, $"/api/v2/webhooks/{webhookId}/deliveries"))["deliveries"]!.AsArray();

    /// <summary>Waits (real time) until the webhook's deliveries list holds <paramref name="count"/> attempts.</summary>
    public async Task<JsonArray> WaitForAttemptsAsync(string webhookId, int count)
    {
        var end = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var list = await DeliveriesAsync(webhookId);
            if (list.Count >= count)
            {
                return list;
            }

            Assert.True(DateTime.UtcNow < end, $"{count} attempts not recorded within 60 s; have {list.ToJsonString()}");
            await Task.Delay(20);
        }
    }

    /// <summary>Moves the clock a second at a time (each second a poll of the worker) until <paramref name="done"/> holds.</summary>
    public async Task TickUntilAsync(Func<bool> done, string what, int maxSeconds = 60)
    {
        for (var i = 0; !done(); i++)
        {
            Assert.True(i < maxSeconds * 50, $"{what}: not done after {maxSeconds} fake seconds; received {Receiver.Received.Count} requests");
            if (i % 50 == 0)
            {
                Time.Advance(TimeSpan.FromSeconds(1));
            }

            await Task.Delay(20);
        }
    }

    public static string Ev(string id, string type, string at, string interaction, string fields = "") =>
        $"{{\"id\":\"{id}\",\"type\":\"{type}\",\"occurred_at\":\"{at}\",\"interaction_id\":\"{interaction}\"{fields}}}";

    /// <summary>An e-mail handled by agent 7 and solved: a logged engagement and an interaction record.</summary>
    public static IEnumerable<string> SolvedEmail(string interaction, int minute) =>
    [
        Ev($"{interaction}-1", "interaction.created", $"2026-05-04T09:{minute:00}:00Z", interaction, ",\"channel\":\"email\",\"group_id\":\"3\""),
        Ev($"{interaction}-2", "assignment.changed", $"2026-05-04T09:{minute:00}:10Z", interaction, ",\"agent_id\":\"7\",\"agent_name\":\"Ana\",\"via\":\"manual\""),
        Ev($"{interaction}-3", "message.created", $"2026-05-04T09:{minute:00}:40Z", interaction, ",\"author_type\":\"agent\",\"author_id\":\"7\""),
        Ev($"{interaction}-4", "status.changed", $"2026-05-04T09:{minute:00}:50Z", interaction, ",\"status\":\"solved\""),
    ];

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        await Receiver.DisposeAsync();
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
