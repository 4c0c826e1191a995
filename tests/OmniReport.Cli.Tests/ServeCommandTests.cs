using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;

namespace OmniReport.Cli.Tests;

/// <summary><c>omnireport serve</c>: its arguments, and a real process that serves and stops on SIGTERM.</summary>
public sealed class ServeCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("omnireport-serve-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("--rate-limit", "many")]
    [InlineData("--rate-limit", "-5")]
    [InlineData("extra")]
    [InlineData("--port", "80")]
    public async Task Bad_arguments_exit_2(params string[] args)
    {
        var (code, _, stderr) = await Run(["serve", .. args]);
        Assert.Equal(2, code);
        Assert.Contains("serve", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_exits_0()
    {
        var (code, stdout, _) = await Run("serve", "--help");
        Assert.Equal(0, code);
        Assert.Contains("--rate-limit", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("text")]
    public async Task Serve_answers_with_a_token_of_the_database_and_stops_cleanly_on_SIGTERM(string? logFormat)
    {
        var db = Path.Combine(_dir, "serve.db");
        Assert.Equal(0, (await Run("accounts", "create", "acme", "--db", db)).Code);
        var (code, token, _) = await Run("tokens", "create", "--account", "acme", "--db", db);
        Assert.Equal(0, code);
        var port = FreePort();
        var dll = Path.Combine(AppContext.BaseDirectory, "omnireport.dll");
        string[] format = logFormat is null ? [] : ["--log-format", logFormat];
        using var process = Process.Start(new ProcessStartInfo("dotnet", [dll, "serve", "--db", db, "--urls", $"http://127.0.0.1:{port}", "--rate-limit", "50", .. format])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
            await WaitForHealthAsync(client, process, errors);
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v2/engagements");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Trim());
            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("50", Assert.Single(response.Headers.GetValues("X-Rate-Limit")));
        }
        finally
        {
            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(timeout.Token);
        }

        Assert.Equal(0, process.ExitCode);
        var log = await output;
        if (logFormat is null)
        {
            // Not a terminal: JSON lines, for a collector.
            Assert.Contains("\"Path\":\"/api/v2/engagements\"", log, StringComparison.Ordinal);
        }
        else
        {
            // Short human lines, as on a terminal.
            Assert.Contains("GET /api/v2/engagements answered 200", log, StringComparison.Ordinal);
            Assert.DoesNotContain(log.Split('\n'), l => l.StartsWith('{'));
        }

        Assert.Contains("Application is shutting down", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_made_by_clients_create_gets_a_token_from_serve_that_reads_reports()
    {
        var db = Path.Combine(_dir, "oauth.db");
        Assert.Equal(0, (await Run("accounts", "create", "acme", "--db", db)).Code);
        var (code, created, _) = await Run("clients", "create", "--account", "acme", "--scopes", "reports:read", "--db", db);
        Assert.Equal(0, code);
        var (id, secret) = ClientsCommandTests.ParseCreated(created);
        var port = FreePort();
        var dll = Path.Combine(AppContext.BaseDirectory, "omnireport.dll");
        using var process = Process.Start(new ProcessStartInfo("dotnet", [dll, "serve", "--db", db, "--urls", $"http://127.0.0.1:{port}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        _ = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
            await WaitForHealthAsync(client, process, errors);
            using var tokenRequest = new HttpRequestMessage(HttpMethod.Post, "/oauth/token?grant_type=client_credentials");
            tokenRequest.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.ASCII.GetBytes($"{id}:{secret}")));
            using var tokenResponse = await client.SendAsync(tokenRequest);
            var body = await tokenResponse.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, tokenResponse.StatusCode);
            var json = System.Text.Json.Nodes.JsonNode.Parse(body)!;
            Assert.Equal("reports:read data-reports:read data-reports:write", json["scope"]!.GetValue<string>());

            using var jobs = new HttpRequestMessage(HttpMethod.Get, "/data/reports/erc_omnichannel_report/jobs");
            jobs.Headers.Authorization = new AuthenticationHeaderValue("Bearer", json["access_token"]!.GetValue<string>());
            using var jobsResponse = await client.SendAsync(jobs);
            Assert.Equal(HttpStatusCode.OK, jobsResponse.StatusCode);
        }
        finally
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    private static async Task WaitForHealthAsync(HttpClient client, Process process, Task<string> errors)
    {
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
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        Assert.Fail("serve did not answer /healthz within 30 s");
    }

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
