using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Npgsql;
using OmniReport.Api.Live;
using OmniReport.Storage;
using OmniReport.TestSupport;

namespace OmniReport.Cli.Tests;

/// <summary>
/// Webhooks (SPEC §9) through real <c>omnireport serve</c> processes and a real receiver: a server killed with
/// SIGKILL in the middle of its retries and started again still delivers every change, in order; two servers on one
/// PostgreSQL database share the webhooks and never send two deliveries of one webhook at once.
/// </summary>
public sealed class WebhookProcessTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("omnireport-webhooks-").FullName;
    private readonly List<Process> _processes = [];
    private string? _schema;

    private static string? PostgresServer => TestEnvironment.PostgresServer;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var p in _processes)
        {
            if (!p.HasExited)
            {
                p.Kill();
                await p.WaitForExitAsync();
            }

            p.Dispose();
        }

        if (_schema is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var c = new NpgsqlConnection(PostgresServer);
            await c.OpenAsync();
            await using var cmd = new NpgsqlCommand($"DROP SCHEMA {_schema} CASCADE", c);
            await cmd.ExecuteNonQueryAsync();
        }

        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public Task A_server_killed_mid_retry_and_restarted_delivers_every_change_in_order_on_SQLite() =>
        KilledMidRetryAsync(Path.Combine(_dir, "webhooks.db"));

    [Fact]
    public async Task A_server_killed_mid_retry_and_restarted_delivers_every_change_in_order_on_PostgreSQL()
    {
        if (await PostgresDbAsync() is { } db)
        {
            await KilledMidRetryAsync(db);
        }
    }

    [Fact]
    public async Task Two_servers_on_one_PostgreSQL_database_deliver_each_change_once_and_never_two_at_once_per_webhook()
    {
        if (await PostgresDbAsync() is not { } db)
        {
            return;
        }

        var token = await NewAccountAsync(db);
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Delay = () => TimeSpan.FromMilliseconds(Random.Shared.Next(0, 30));
        var a = await StartServeAsync(db);
        var b = await StartServeAsync(db);
        var paths = Enumerable.Range(0, 4).Select(i => $"/w{i}").ToList();
        foreach (var path in paths)
        {
            await CreateWebhookAsync(a, token, receiver.BaseUrl + path);
        }

        for (var batch = 0; batch < 10; batch++)
        {
            await IngestAsync(batch % 2 == 0 ? a : b, token, [.. SolvedEmail($"{batch}-a", batch), .. SolvedEmail($"{batch}-b", batch + 20)]);
        }

        var expected = await ExpectedAsync(db);
        await receiver.WaitUntilAsync(r => paths.All(p => receiver.Delivered(p).Count >= expected.Count), TimeSpan.FromSeconds(120), "every change to every webhook");
        await Task.Delay(2000); // anything sent twice would arrive now
        foreach (var path in paths)
        {
            Assert.Equal(expected.Select(m => m.Id), receiver.Delivered(path).Select(r => r.Id));
        }

        Assert.Equal(paths.Count * expected.Count, receiver.Received.Count);
        Assert.Equal(0, receiver.Overlaps);
    }

    private async Task KilledMidRetryAsync(string db)
    {
        var token = await NewAccountAsync(db);
        await using var receiver = await WebhookReceiver.StartAsync();
        var failing = true;
        receiver.Answer = (_, _) => Volatile.Read(ref failing) ? 500 : 200;
        var first = await StartServeAsync(db);
        var (id, secret) = await CreateWebhookAsync(first, token, receiver.BaseUrl + "/hook");
        await IngestAsync(first, token, SolvedEmail("1", 1));
        await IngestAsync(first, token, SolvedEmail("2", 2));
        // Attempts at about 0 s, 1 s and 3 s: killed while it waits for the fourth.
        await receiver.WaitUntilAsync(r => r.Count >= 3, TimeSpan.FromSeconds(60), "three failed attempts");
        first.Process.Kill(); // SIGKILL: no cleanup
        await first.Process.WaitForExitAsync();
        var failed = receiver.Received.Count;
        Volatile.Write(ref failing, false);

        var second = await StartServeAsync(db);
        var expected = await ExpectedAsync(db);
        await receiver.WaitUntilAsync(r => r.Count(x => x.Answered == 200) >= expected.Count, TimeSpan.FromSeconds(90), "every change after the restart");
        var delivered = receiver.Delivered("/hook");
        Assert.Equal(expected.Select(m => m.Id), delivered.Select(r => r.Id));
        Assert.Equal(expected.Select(m => Convert.ToHexString(m.Envelope())), delivered.Select(r => Convert.ToHexString(r.Body)));
        Assert.All(receiver.Received, r => Assert.True(r.SignedWith(secret)));
        Assert.All(receiver.Received.Take(failed + 1), r => Assert.Equal(expected[0].Id, r.Id)); // nothing later went first

        // The attempts made before the kill survived it.
        var deliveries = (await GetJsonAsync(second, token, $"/api/v2/webhooks/{id}/deliveries"))["deliveries"]!.AsArray().Reverse().ToList();
        Assert.True(deliveries.Count >= expected.Count + failed - 1, deliveries.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.All(deliveries.Take(failed - 1), d =>
        {
            Assert.Equal(expected[0].Id, d!["change_id"]!.GetValue<long>());
            Assert.Equal(500, d["status"]!.GetValue<int>());
            Assert.Equal("retrying", d["outcome"]!.GetValue<string>());
        });
        Assert.Equal("delivered", deliveries[^1]!["outcome"]!.GetValue<string>());
    }

    private async Task<string?> PostgresDbAsync()
    {
        if (PostgresServer is null)
        {
            Assert.False(TestEnvironment.PostgresRequired, "PostgreSQL is required but OMNIREPORT_TEST_POSTGRES is not set");
            return null;
        }

        _schema = $"webhooks_{Guid.NewGuid():N}";
        await using (var c = new NpgsqlConnection(PostgresServer))
        {
            await c.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE SCHEMA {_schema}", c);
            await cmd.ExecuteNonQueryAsync();
        }

        // Generous timeouts: under a full test run the machine is loaded, and a server that cannot connect in 15 s fails the test.
        return new NpgsqlConnectionStringBuilder(PostgresServer) { SearchPath = _schema, Timeout = 120, CommandTimeout = 120 }.ConnectionString;
    }

    private static async Task<string> NewAccountAsync(string db)
    {
        Assert.Equal(0, (await Run("accounts", "create", "acme", "--db", db)).Code);
        var (code, token, _) = await Run("tokens", "create", "--account", "acme", "--db", db);
        Assert.Equal(0, code);
        return token.Trim();
    }

    /// <summary>Every change of the account, as the webhook must have received them (it was created before any), but those superseded since.</summary>
    private static async Task<IReadOnlyList<ChangeMessage>> ExpectedAsync(string db)
    {
        await using var store = await StoreFactory.OpenAsync(db, TimeProvider.System);
        var account = (await store.FindAccountAsync("acme"))!;
        return (await ChangeMessage.ReadAsync(store, account.Id, 0, 10_000)).Where(m => !m.Superseded).ToList();
    }

    private sealed record Serve(Process Process, HttpClient Client);

    private async Task<Serve> StartServeAsync(string db)
    {
        var port = FreePort();
        var dll = Path.Combine(AppContext.BaseDirectory, "omnireport.dll");
        var process = Process.Start(new ProcessStartInfo("dotnet", [dll, "serve", "--db", db, "--urls", $"http://127.0.0.1:{port}",
            "--webhook-targets", "any", "--rate-limit", "0", "--log-level", "warning"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        _processes.Add(process);
        _ = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
        for (var i = 0; i < 600; i++)
        {
            if (process.HasExited)
            {
                Assert.Fail("serve exited: " + await errors);
            }

            try
            {
                using var r = await client.GetAsync("/healthz");
                if (r.IsSuccessStatusCode)
                {
                    return new Serve(process, client);
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        Assert.Fail("serve did not answer /healthz within 60 s");
        return null!;
    }

    private static async Task<JsonNode> SendAsync(Serve serve, string token, HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await serve.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    private static Task<JsonNode> GetJsonAsync(Serve serve, string token, string path) => SendAsync(serve, token, HttpMethod.Get, path);

    private static async Task<(string Id, string Secret)> CreateWebhookAsync(Serve serve, string token, string url)
    {
        var created = await SendAsync(serve, token, HttpMethod.Post, "/api/v2/webhooks", new JsonObject { ["url"] = url }.ToJsonString());
        return (created["id"]!.GetValue<string>(), created["secret"]!.GetValue<string>());
    }

    private static Task IngestAsync(Serve serve, string token, IEnumerable<string> events) =>
        SendAsync(serve, token, HttpMethod.Post, "/api/v2/events", "[" + string.Join(",", events) + "]");

    private static string Ev(string id, string type, string at, string interaction, string fields = "") =>
        $"{{\"id\":\"{id}\",\"type\":\"{type}\",\"occurred_at\":\"{at}\",\"interaction_id\":\"{interaction}\"{fields}}}";

    private static IEnumerable<string> SolvedEmail(string interaction, int minute) =>
    [
        Ev($"{interaction}-1", "interaction.created", $"2026-05-04T09:{minute:00}:00Z", interaction, ",\"channel\":\"email\""),
        Ev($"{interaction}-2", "assignment.changed", $"2026-05-04T09:{minute:00}:10Z", interaction, ",\"agent_id\":\"7\",\"agent_name\":\"Ana\""),
        Ev($"{interaction}-3", "status.changed", $"2026-05-04T09:{minute:00}:50Z", interaction, ",\"status\":\"solved\""),
    ];

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    private static async Task<(int Code, string Stdout, string Stderr)> Run(params string[] args)
    {
        using var stdout = new MemoryStream();
        using var stderr = new StringWriter();
        var code = await CommandLine.RunAsync(args, new Terminal(stdout, stderr), TimeProvider.System);
        return (code, Encoding.UTF8.GetString(stdout.ToArray()), stderr.ToString());
    }
}
