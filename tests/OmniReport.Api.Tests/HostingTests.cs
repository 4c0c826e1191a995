using System.Net;
using System.Text.Json.Nodes;
using OmniReport.Core.Derivation;
using OmniReport.Core.Events;
using OmniReport.Core.Settings;
using OmniReport.Storage;

namespace OmniReport.Api.Tests;

/// <summary>Health, request ids and graceful shutdown, over a real Kestrel socket on 127.0.0.1.</summary>
public sealed class HostingTests
{
    [Fact]
    public async Task Healthz_answers_200_without_a_token()
    {
        await using var server = await ApiServer.StartAsync(kestrel: true);
        using var response = await server.Client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_request_id_is_honoured_or_made_and_always_returned()
    {
        await using var server = await ApiServer.StartAsync(kestrel: true);
        using (var request = new HttpRequestMessage(HttpMethod.Get, "/healthz"))
        {
            request.Headers.Add("X-Request-Id", "abc-123");
            using var response = await server.Client.SendAsync(request);
            Assert.Equal("abc-123", Assert.Single(response.Headers.GetValues("X-Request-Id")));
        }

        using (var request = new HttpRequestMessage(HttpMethod.Get, "/api/v2/engagements"))
        {
            request.Headers.Add("X-Request-Id", "bad id with spaces");
            using var response = await server.Client.SendAsync(request);
            var id = Assert.Single(response.Headers.GetValues("X-Request-Id"));
            Assert.Equal(32, id.Length);
        }
    }

    [Fact]
    public async Task Shutdown_lets_an_in_flight_ingest_finish_and_its_events_are_stored()
    {
        SlowStore? slow = null;
        var server = await ApiServer.StartAsync(kestrel: true, wrap: s => slow = new SlowStore(s));
        var tenant = await server.NewAccountAsync();
        var post = tenant.PostEventsAsync(Sample.Array(Sample.OneEngagement("4100")));
        await slow!.IngestStarted.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var stop = server.App.StopAsync();
        await Task.Delay(200);
        slow.Release.SetResult();
        var result = await post;
        await stop;
        Assert.Equal(3, result["accepted"]!.GetValue<int>());
        var stored = 0;
        await foreach (var e in server.Store.EngagementsByStartAsync(tenant.Account.Id, long.MinValue / 4, long.MaxValue / 4))
        {
            stored++;
        }

        Assert.Equal(1, stored);
        await server.DisposeAsync();
    }

    /// <summary>The real store, with ingest held until the test releases it (a decorator, not a mock).</summary>
    private sealed class SlowStore(IStore inner) : StoreDecorator(inner)
    {
        public TaskCompletionSource IngestStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override async Task<IngestResult> IngestAsync(long accountId, IReadOnlyList<Event> events, CancellationToken ct = default)
        {
            IngestStarted.TrySetResult();
            await Release.Task;
            return await base.IngestAsync(accountId, events, ct);
        }
    }
}
