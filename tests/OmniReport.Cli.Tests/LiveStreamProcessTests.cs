using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Npgsql;
using OmniReport.TestSupport;

namespace OmniReport.Cli.Tests;

/// <summary>
/// GET /api/v2/stream across real processes (SPEC §9): two <c>serve</c> processes on one PostgreSQL database, a client on
/// each, ingest through one; and on SQLite, an <c>import</c> into the file a running <c>serve</c> streams from.
/// </summary>
public sealed class LiveStreamProcessTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly string _dir = Directory.CreateTempSubdirectory("omnireport-live-").FullName;
    private string? _schema;

    private static string? PostgresServer => TestEnvironment.PostgresServer;

    private static bool PostgresRequired => TestEnvironment.PostgresRequired;

    public void Dispose()
    {
        Directory.Delete(_dir, recursive: true);
        if (_schema is not null)
        {
            NpgsqlConnection.ClearAllPools();
            using var c = new NpgsqlConnection(PostgresServer);
            c.Open();
            using var cmd = new NpgsqlCommand($"DROP SCHEMA {_schema} CASCADE", c);
            cmd.ExecuteNonQuery();
        }
    }

    [Fact]
    public async Task Two_PostgreSQL_serve_processes_each_stream_every_change_ingested_through_one()
    {
        if (PostgresServer is null)
        {
            Assert.False(PostgresRequired, "PostgreSQL is required but OMNIREPORT_TEST_POSTGRES is not set");
            return; // nothing to run against outside CI
        }

        _schema = $"live_{Guid.NewGuid():N}";
        using (var c = new NpgsqlConnection(PostgresServer))
        {
            c.Open();
            using var cmd = new NpgsqlCommand($"CREATE SCHEMA {_schema}", c);
            cmd.ExecuteNonQuery();
        }

        var db = new NpgsqlConnectionStringBuilder(PostgresServer) { SearchPath = _schema }.ConnectionString;
        var token = await AccountAndTokenAsync(db);
        await using var a = await Server.StartAsync(db);
        await using var b = await Server.StartAsync(db);
        await using var onA = await SseClient.OpenAsync(a.Client, token);
        await using var onB = await SseClient.OpenAsync(b.Client, token);

        var events = Scenarios.All().SelectMany(s => s.Events.Select(e => Tagged(e!, s.Name))).ToList();
        for (var i = 0; i < events.Count; i += 7)
        {
            await PostAsync(a.Client, token, "[" + string.Join(",", events.Skip(i).Take(7)) + "]");
        }

        await PostAsync(a.Client, token, Marker);
        var fromA = await UntilMarkerAsync(onA);
        var fromB = await UntilMarkerAsync(onB);
        // At least one message per engagement and record the scenarios give, and the marker's.
        var least = Scenarios.All().Sum(s => s.ExpectedEngagements.Count + s.ExpectedInteractions.Count) + 1;
        Assert.True(fromA.Count >= least, $"{fromA.Count} changes, expected at least {least}");
        Assert.True(fromB.Count >= least, $"{fromB.Count} changes, expected at least {least}");
        // Each message carries its object as it is when it is sent (decisions.md, issue 10: the change log keeps no
        // copy), so the two processes may send one change with different versions, and a change whose object has
        // gone by then is passed over; applied in order (ids increasing), both streams end at the same objects.
        var (mirrorA, mirrorB) = (new StreamMirror(unloggedMustBeLogged: false), new StreamMirror(unloggedMustBeLogged: false));
        fromA.ForEach(mirrorA.Apply);
        fromB.ForEach(mirrorB.Apply);
        Assert.Equal(mirrorA.Engagements, mirrorB.Engagements);
        Assert.Equal(mirrorA.Records, mirrorB.Records);

        // And the other way round: ingest through b reaches a's client.
        await PostAsync(b.Client, token, """[{"id":"via-b","type":"interaction.created","occurred_at":"2026-06-01T00:00:00Z","interaction_id":"via-b","channel":"email"}]""");
        var m = await onA.NextEventAsync(Patience);
        Assert.Equal("via-b", JsonNode.Parse(m!.Data)!["interaction_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_import_into_the_SQLite_file_reaches_the_stream_of_the_running_server()
    {
        var db = Path.Combine(_dir, "live.db");
        Assert.Equal(0, (await Run("accounts", "create", "acme", "--db", db)).Code);
        var (code, token, _) = await Run("tokens", "create", "--account", "acme", "--db", db);
        Assert.Equal(0, code);
        token = token.Trim();
        await using var server = await Server.StartAsync(db);
        await using var stream = await SseClient.OpenAsync(server.Client, token);

        var file = Path.Combine(_dir, "events.ndjson");
        var s = Scenarios.ByName("transfers");
        await File.WriteAllTextAsync(file, s.EventsNdjson());
        var import = await Run("import", file, "--account", "acme", "--db", db);
        Assert.True(import.Code == 0, import.Stderr);

        // Every engagement the server now serves arrives on the stream, though another process wrote it.
        var engagements = new HashSet<string>();
        while (engagements.Count < s.ExpectedEngagements.Count)
        {
            var m = await stream.NextEventAsync(Patience);
            if (m!.Type == "engagement.logged")
            {
                engagements.Add(JsonNode.Parse(m.Data)!["engagement_id"]!.GetValue<string>());
            }
        }

        Assert.Equal(s.ExpectedEngagements.Select(e => e!["engagement_id"]!.GetValue<string>()).ToHashSet(), engagements);
    }

    private const string Marker = """[{"id":"marker","type":"interaction.created","occurred_at":"2026-06-01T00:00:00Z","interaction_id":"marker","channel":"email"}]""";

    /// <summary>The scenario's event with ids made unique across scenarios.</summary>
    private static string Tagged(JsonNode e, string scenario)
    {
        var copy = e.DeepClone();
        copy["id"] = scenario + "/" + copy["id"]!.GetValue<string>();
        copy["interaction_id"] = scenario + "/" + copy["interaction_id"]!.GetValue<string>();
        return copy.ToJsonString();
    }

    private static async Task<List<SseMessage>> UntilMarkerAsync(SseClient stream)
    {
        var all = new List<SseMessage>();
        while (true)
        {
            var m = await stream.NextEventAsync(Patience) ?? throw new InvalidOperationException("the stream ended");
            all.Add(m);
            if (m.Type == "interaction.updated" && JsonNode.Parse(m.Data)!["interaction_id"]!.GetValue<string>() == "marker")
            {
                return all;
            }
        }
    }

    private async Task<string> AccountAndTokenAsync(string db)
    {
        Assert.Equal(0, (await Run("accounts", "create", "acme", "--db", db)).Code);
        var (code, token, _) = await Run("tokens", "create", "--account", "acme", "--db", db);
        Assert.Equal(0, code);
        return token.Trim();
    }

    private static async Task PostAsync(HttpClient client, string token, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v2/events") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        using var r = await client.SendAsync(request);
        Assert.True(r.IsSuccessStatusCode, await r.Content.ReadAsStringAsync());
    }

    private static async Task<(int Code, string Stdout, string Stderr)> Run(params string[] args)
    {
        using var stdout = new MemoryStream();
        using var stderr = new StringWriter();
        var code = await CommandLine.RunAsync(args, new Terminal(stdout, stderr), TimeProvider.System);
        return (code, Encoding.UTF8.GetString(stdout.ToArray()), stderr.ToString());
    }

    /// <summary>An <c>omnireport serve</c> process on a free port.</summary>
    private sealed class Server : IAsyncDisposable
    {
        private readonly Process _process;

        private Server(Process process, HttpClient client)
        {
            _process = process;
            Client = client;
        }

        public HttpClient Client { get; }

        public static async Task<Server> StartAsync(string db)
        {
            int port;
            using (var l = new TcpListener(IPAddress.Loopback, 0))
            {
                l.Start();
                port = ((IPEndPoint)l.LocalEndpoint).Port;
            }

            var dll = Path.Combine(AppContext.BaseDirectory, "omnireport.dll");
            var process = Process.Start(new ProcessStartInfo("dotnet", [dll, "serve", "--db", db, "--urls", $"http://127.0.0.1:{port}", "--rate-limit", "0", "--log-level", "warning"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            _ = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = Timeout.InfiniteTimeSpan };
            for (var i = 0; i < 300; i++)
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
                        return new Server(process, client);
                    }
                }
                catch (HttpRequestException)
                {
                }

                await Task.Delay(100);
            }

            process.Kill();
            throw new TimeoutException("serve did not answer /healthz within 30 s");
        }

        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            if (!_process.HasExited)
            {
                _process.Kill();
                await _process.WaitForExitAsync();
            }

            _process.Dispose();
        }
    }
}
