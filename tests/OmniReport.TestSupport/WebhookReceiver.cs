using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OmniReport.TestSupport;

/// <summary>One request a <see cref="WebhookReceiver"/> got.</summary>
/// <param name="Path">The request path (a receiver serves several webhooks by path).</param>
/// <param name="Body">The body as sent.</param>
/// <param name="Timestamp">X-OmniReport-Timestamp.</param>
/// <param name="Signature">X-OmniReport-Signature.</param>
/// <param name="Answered">The status it was answered with (0: it hung until the sender gave up).</param>
public sealed record ReceivedDelivery(string Path, byte[] Body, string? Timestamp, string? Signature, int Answered)
{
    public JsonObject Json => JsonNode.Parse(Body)!.AsObject();

    public long Id => Json["id"]!.GetValue<long>();

    /// <summary>True when the signature is HMAC-SHA256(secret, timestamp + "." + body), as SPEC §9 says, computed here independently.</summary>
    public bool SignedWith(string secret)
    {
        var data = Encoding.UTF8.GetBytes(Timestamp + ".").Concat(Body).ToArray();
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), data));
        return Signature == expected;
    }
}

/// <summary>
/// A real webhook receiver on Kestrel (127.0.0.1, a free port) for tests: it records every request and answers as
/// <see cref="Answer"/> says (a status, or 0 to hang until the sender gives up). It notes when two requests for the
/// same path were in flight at once.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _inFlight = new();
    private readonly List<ReceivedDelivery> _received = [];
    private readonly SemaphoreSlim _arrived = new(0, int.MaxValue);
    private int _overlaps;

    private WebhookReceiver(WebApplication app) => _app = app;

    /// <summary>How to answer a request (by its path and body): a status, or 0 to hang. Default 200.</summary>
    public Func<string, JsonObject, int> Answer { get; set; } = (_, _) => 200;

    /// <summary>A delay before answering (e.g. random, to shuffle concurrent senders).</summary>
    public Func<TimeSpan> Delay { get; set; } = () => TimeSpan.Zero;

    public string BaseUrl { get; private set; } = "";

    /// <summary>Times a request arrived for a path that already had one in flight.</summary>
    public int Overlaps => Volatile.Read(ref _overlaps);

    public IReadOnlyList<ReceivedDelivery> Received
    {
        get
        {
            lock (_received)
            {
                return [.. _received];
            }
        }
    }

    /// <summary>The requests for one path that were answered 2xx, in arrival order.</summary>
    public IReadOnlyList<ReceivedDelivery> Delivered(string path) =>
        [.. Received.Where(r => r.Path == path && r.Answered is >= 200 and < 300)];

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/{**path}", receiver.HandleAsync);
        await app.StartAsync();
        receiver.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return receiver;
    }

    /// <summary>Waits (real time) until <paramref name="done"/> holds of the requests received, or fails after <paramref name="timeout"/>.</summary>
    public async Task WaitUntilAsync(Func<IReadOnlyList<ReceivedDelivery>, bool> done, TimeSpan timeout, string what)
    {
        var end = DateTime.UtcNow + timeout;
        while (!done(Received))
        {
            var left = end - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"{what}: not within {timeout.TotalSeconds} s; received {Received.Count} requests: "
                    + string.Join(", ", Received.Select(r => $"{r.Path}#{SafeId(r)}={r.Answered}")));
            }

            await _arrived.WaitAsync(left < TimeSpan.FromMilliseconds(200) ? left : TimeSpan.FromMilliseconds(200));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _arrived.Dispose();
    }

    private static string SafeId(ReceivedDelivery r)
    {
        try
        {
            return r.Id.ToString(CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidOperationException or NullReferenceException)
        {
            return "?";
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        if (_inFlight.AddOrUpdate(path, 1, (_, n) => n + 1) > 1)
        {
            Interlocked.Increment(ref _overlaps);
        }

        var done = false;
        try
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer);
            var body = buffer.ToArray();
            var status = Answer(path, JsonNode.Parse(body)!.AsObject());
            var delay = Delay();
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay);
            }

            var received = new ReceivedDelivery(path, body, context.Request.Headers["X-OmniReport-Timestamp"].FirstOrDefault(),
                context.Request.Headers["X-OmniReport-Signature"].FirstOrDefault(), status);
            if (status == 0)
            {
                Record(received);
                // Hang until the sender gives up (it closes the connection).
                try
                {
                    await Task.Delay(Timeout.Infinite, context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                }

                return;
            }

            // Done and recorded before a byte of the answer leaves, so the sender's next request cannot look concurrent.
            _inFlight.AddOrUpdate(path, 0, (_, n) => n - 1);
            done = true;
            Record(received);
            context.Response.StatusCode = status;
            if (status >= 300)
            {
                await context.Response.WriteAsync($"receiver says no ({status})");
            }
        }
        finally
        {
            if (!done)
            {
                _inFlight.AddOrUpdate(path, 0, (_, n) => n - 1);
            }
        }
    }

    private void Record(ReceivedDelivery received)
    {
        lock (_received)
        {
            _received.Add(received);
        }

        _arrived.Release();
    }
}
