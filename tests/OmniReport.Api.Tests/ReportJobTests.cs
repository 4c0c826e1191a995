using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Logging;
using OmniReport.Core.Reports;
using OmniReport.Core.Settings;
using OmniReport.Storage;
using OmniReport.TestSupport;

namespace OmniReport.Api.Tests;

/// <summary>Report jobs over HTTP (SPEC §5.4): the whole lifecycle, every format, the files, restarts and errors.</summary>
public sealed class ReportJobTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private static readonly string[] DefaultSettingScenarios = ["messaging-basic", "transfers", "voice-calls", "report-fields", "reassignment-and-removal", "inactivity-timeout", "pending-start-and-reopen"];

    public static TheoryData<string, string, string> Kinds()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var type in new[] { "erc_omnichannel_report", "engagements" })
        {
            foreach (var format in new[] { "json", "json_bulk", "csv" })
            {
                foreach (var zone in new[] { "UTC", "Europe/Lisbon" })
                {
                    data.Add(type, format, zone);
                }
            }
        }

        return data;
    }

    public static TheoryData<string> Names => Scenarios.Names();

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_job_goes_created_to_done_and_its_file_is_what_derive_writes(string type, string format, string zone)
    {
        var tenant = await fixture.Server.NewAccountAsync();
        fixture.Server.Clock.Set(DateTimeOffset.Parse("2026-06-01T00:00:00Z", CultureInfo.InvariantCulture));
        var lines = DefaultSettingScenarios.SelectMany(n => Scenarios.ByName(n).EventsNdjson().Split('\n', StringSplitOptions.RemoveEmptyEntries)).ToList();
        await tenant.PostEventsAsync(string.Join('\n', lines), "application/x-ndjson");

        var (created, job) = await CreateAsync(tenant, type, $$$"""{"name":"March","timezone":"{{{zone}}}","format":"{{{format}}}","timespan":{"from":"2026-03-01 00:00:00","to":"2026-04-01 00:00:00"}}""");
        Assert.Equal(HttpStatusCode.Accepted, created);
        Assert.Equal("March", job["name"]!.GetValue<string>());
        Assert.Equal(zone, job["timezone"]!.GetValue<string>());
        Assert.Equal(format, job["format"]!.GetValue<string>());
        Assert.Equal("2026-03-01 00:00:00", job["timespan"]!["from"]!.GetValue<string>());
        Assert.Contains(job["status"]!.GetValue<string>(), new[] { "created", "processing", "done" });
        var id = job["id"]!.GetValue<string>();
        Assert.EndsWith($"/data/reports/{type}/jobs/{id}", job["_links"]!["self"]!["href"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.EndsWith($"/data/reports/{type}/files/{id}", job["_links"]!["files"]!["href"]!.GetValue<string>(), StringComparison.Ordinal);

        var file = await DownloadWhenDoneAsync(tenant, type, id);
        var derived = ReportFiles.Load(lines).Run(AccountSettings.Default, ReportFiles.Ms("2026-06-01T00:00:00Z"));
        Assert.Equal(ReportFiles.Write(derived, Type(type), Format(format), zone), file);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Every_scenarios_interaction_records_come_through_a_job_in_utc_and_in_a_zone_with_daylight_saving(string name)
    {
        var s = Scenarios.ByName(name);
        var tenant = await fixture.Server.NewAccountAsync();
        if (s.Settings.Count > 0)
        {
            await tenant.PutSettingsAsync(s.Settings.ToJsonString());
        }

        fixture.Server.Clock.Set(DateTimeOffset.Parse(s.Now, CultureInfo.InvariantCulture));
        await tenant.PostEventsAsync(s.Events.ToJsonString());
        foreach (var type in new[] { "erc_omnichannel_report", "engagements" })
        {
            var (_, utc) = await CreateAsync(tenant, type, """{"format":"json","timespan":{"from":"2026-01-01T00:00:00Z","to":"2026-12-31T00:00:00Z"}}""");
            var entries = JsonNode.Parse(await DownloadWhenDoneAsync(tenant, type, utc["id"]!.GetValue<string>()))!["entries"]!.AsArray();
            Assert.Null(Scenarios.FirstDifference(entries, type == "engagements" ? s.ExpectedEngagements : s.ExpectedInteractions));

            var (_, ny) = await CreateAsync(tenant, type, """{"format":"csv","timezone":"America/New_York","timespan":{"from":"2026-01-01 00:00:00","to":"2026-12-31 00:00:00"}}""");
            var derived = ReportFiles.Load(s.Events.Select(e => e!.ToJsonString())).Run(ReportFiles.Settings(s.Settings), ReportFiles.Ms(s.Now));
            Assert.Equal(ReportFiles.Write(derived, Type(type), ReportFormat.Csv, "America/New_York"),
                await DownloadWhenDoneAsync(tenant, type, ny["id"]!.GetValue<string>()));
        }
    }

    [Fact]
    public async Task Local_times_in_the_timespan_are_read_in_the_jobs_zone()
    {
        var tenant = await fixture.Server.NewAccountAsync();
        fixture.Server.Clock.Set(DateTimeOffset.Parse("2026-06-01T00:00:00Z", CultureInfo.InvariantCulture));
        await tenant.PostEventsAsync(Scenarios.ByName("voice-calls").Events.ToJsonString());
        // c-1 starts 11:00:00Z = 06:00 in New York (EST, UTC−5 on 2026-03-02); c-2 at 11:01:40Z, c-3 at 11:03:20Z.
        var (_, job) = await CreateAsync(tenant, "erc_omnichannel_report",
            """{"format":"json","timezone":"America/New_York","timespan":{"from":"2026-03-02T06:00:00","to":"2026-03-02 06:03:20"}}""");
        var entries = JsonNode.Parse(await DownloadWhenDoneAsync(tenant, "erc_omnichannel_report", job["id"]!.GetValue<string>()))!["entries"]!.AsArray();
        Assert.Equal(["c-1", "c-2"], entries.Select(e => e!["interaction_id"]!.GetValue<string>()));
        Assert.Equal("2026-03-02 06:00:00", entries[0]!["start_date-time"]!.GetValue<string>());
    }

    [Fact]
    public async Task Jobs_are_listed_newest_first_with_page_and_per_page()
    {
        var tenant = await fixture.Server.NewAccountAsync();
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var (_, job) = await CreateAsync(tenant, "engagements", """{"format":"json","timespan":{"from":"2026-01-01T00:00:00Z","to":"2026-01-02T00:00:00Z"}}""");
            ids.Add(job["id"]!.GetValue<string>());
            fixture.Server.Clock.Advance(TimeSpan.FromSeconds(1));
        }

        var page = await tenant.GetJsonAsync("/data/reports/engagements/jobs?page=1&per_page=2");
        Assert.Equal(3, page["total"]!.GetValue<int>());
        Assert.Equal(1, page["page"]!.GetValue<int>());
        Assert.Equal(2, page["per_page"]!.GetValue<int>());
        Assert.Equal([ids[2], ids[1]], page["_embedded"]!["jobs"]!.AsArray().Select(j => j!["id"]!.GetValue<string>()));
        var other = await tenant.GetJsonAsync("/data/reports/erc_omnichannel_report/jobs");
        Assert.Equal(0, other["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task Delete_cancels_a_queued_job_then_deletes_it()
    {
        await using var server = await ApiServer.StartAsync(new ApiOptions { RateLimitPerMinute = 0, ReportWorkers = 0 });
        var tenant = await server.NewAccountAsync();
        var (_, job) = await CreateAsync(tenant, "engagements", """{"format":"csv","timespan":{"from":"2026-01-01T00:00:00Z","to":"2026-01-02T00:00:00Z"}}""");
        var path = $"/data/reports/engagements/jobs/{job["id"]!.GetValue<string>()}";
        using (var deleted = await tenant.SendAsync(HttpMethod.Delete, path))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        Assert.Equal("canceled", (await tenant.GetJsonAsync(path))["job"]!["status"]!.GetValue<string>());
        using (var file = await tenant.GetAsync(path.Replace("/jobs/", "/files/", StringComparison.Ordinal)))
        {
            Assert.Equal(HttpStatusCode.NotFound, file.StatusCode);
        }

        using (var again = await tenant.SendAsync(HttpMethod.Delete, path))
        {
            Assert.Equal(HttpStatusCode.NoContent, again.StatusCode);
        }

        using var gone = await tenant.GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        using var twice = await tenant.SendAsync(HttpMethod.Delete, path);
        Assert.Equal(HttpStatusCode.NotFound, twice.StatusCode);
    }

    [Fact]
    public async Task Delete_of_a_done_job_removes_it_and_its_file()
    {
        var tenant = await fixture.Server.NewAccountAsync();
        var (_, job) = await CreateAsync(tenant, "engagements", """{"format":"csv","timespan":{"from":"2026-01-01T00:00:00Z","to":"2026-01-02T00:00:00Z"}}""");
        var id = job["id"]!.GetValue<string>();
        Assert.StartsWith("engagement_id,ticket_id,", await DownloadWhenDoneAsync(tenant, "engagements", id), StringComparison.Ordinal);
        using (var deleted = await tenant.SendAsync(HttpMethod.Delete, $"/data/reports/engagements/jobs/{id}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        using var file = await tenant.GetAsync($"/data/reports/engagements/files/{id}");
        Assert.Equal(HttpStatusCode.NotFound, file.StatusCode);
    }

    [Fact]
    public async Task Another_account_never_sees_a_job()
    {
        var owner = await fixture.Server.NewAccountAsync();
        var stranger = await fixture.Server.NewAccountAsync();
        var (_, job) = await CreateAsync(owner, "engagements", """{"format":"json","timespan":{"from":"2026-01-01T00:00:00Z","to":"2026-01-02T00:00:00Z"}}""");
        var id = job["id"]!.GetValue<string>();
        await DownloadWhenDoneAsync(owner, "engagements", id);
        foreach (var path in new[] { $"/data/reports/engagements/jobs/{id}", $"/data/reports/engagements/files/{id}" })
        {
            using var r = await stranger.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, r.StatusCode);
        }

        using var d = await stranger.SendAsync(HttpMethod.Delete, $"/data/reports/engagements/jobs/{id}");
        Assert.Equal(HttpStatusCode.NotFound, d.StatusCode);
        Assert.Equal(0, (await stranger.GetJsonAsync("/data/reports/engagements/jobs"))["total"]!.GetValue<int>());
    }

    public static TheoryData<string, string> BadBodies() => new()
    {
        { """{"timespan":{"from":"2026-01-01T00:00:00Z","to":"2026-01-02T00:00:00Z"}}""", "format" },
        { """{"format":"pdf","timespan":{"from":"2026-01-01T00:00:00Z","to":"2026-01-02T00:00:00Z"}}""", "format" },
        { """{"format":"csv","timezone":"Europe/Atlantis","timespan":{"from":"2026-01-01T00:00:00Z","to":"2026-01-02T00:00:00Z"}}""", "timezone" },
        { """{"format":"csv"}""", "timespan" },
        { """{"format":"csv","timespan":{"from":"01/01/2026","to":"2026-01-02T00:00:00Z"}}""", "timespan.from" },
        { """{"format":"csv","timespan":{"from":"2026-01-01T00:00:00Z"}}""", "timespan.to" },
        { """{"format":"csv","timespan":{"from":"2026-01-01T00:00:00Z","to":"2027-01-03T00:00:00Z"}}""", "timespan" },
        { """not json""", "body" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task A_bad_body_is_400_naming_the_field(string body, string field)
    {
        var tenant = await fixture.Server.NewAccountAsync();
        using var r = await tenant.SendAsync(HttpMethod.Post, "/data/reports/erc_omnichannel_report/jobs", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        var error = JsonNode.Parse(await r.Content.ReadAsStringAsync())!;
        Assert.Equal("bad_request", error["code"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(error["message"]!.GetValue<string>()));
        Assert.Contains(field, error["description"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains(error["fields"]!.AsArray(), f => f!["name"]!.GetValue<string>() == field);
    }

    [Fact]
    public async Task Errors_under_data_speak_the_talkdesk_dialect()
    {
        var server = fixture.Server;
        var tenant = await server.NewAccountAsync();
        var writer = await server.NewAccountAsync(Scopes.EventsWrite);
        await Expect(await server.Client.GetAsync("/data/reports/engagements/jobs"), HttpStatusCode.Unauthorized, "unauthorized");
        await Expect(await tenant.SendAsync(HttpMethod.Get, "/data/reports/engagements/jobs", token: "nope"), HttpStatusCode.Unauthorized, "unauthorized");
        await Expect(await writer.GetAsync("/data/reports/engagements/jobs"), HttpStatusCode.Forbidden, "forbidden");
        await Expect(await tenant.GetAsync("/data/reports/calls/jobs"), HttpStatusCode.NotFound, "not_found");
        await Expect(await tenant.GetAsync("/data/reports/engagements/jobs/0123456789abcdef0123456789abcdef"), HttpStatusCode.NotFound, "not_found");
        await Expect(await tenant.GetAsync("/data/reports/engagements/files/0123456789abcdef0123456789abcdef"), HttpStatusCode.NotFound, "not_found");
        await Expect(await tenant.GetAsync("/data/nothing/here"), HttpStatusCode.NotFound, "not_found");
        await Expect(await tenant.SendAsync(HttpMethod.Put, "/data/reports/engagements/jobs"), HttpStatusCode.MethodNotAllowed, "method_not_allowed");
        await Expect(await tenant.GetAsync("/data/reports/engagements/jobs?per_page=1000"), HttpStatusCode.BadRequest, "bad_request");

        static async Task Expect(HttpResponseMessage r, HttpStatusCode status, string code)
        {
            using (r)
            {
                var text = await r.Content.ReadAsStringAsync();
                Assert.True(status == r.StatusCode, $"{(int)r.StatusCode} {text}");
                var e = JsonNode.Parse(text)!;
                Assert.Equal(code, e["code"]!.GetValue<string>());
                Assert.NotNull(e["message"]);
                Assert.NotNull(e["description"]);
                Assert.NotNull(e["fields"]!.AsArray());
            }
        }
    }

    [Fact]
    public async Task A_job_queued_when_the_server_stops_finishes_after_a_restart()
    {
        var dir = Directory.CreateTempSubdirectory("omnireport-restart-").FullName;
        var db = Path.Combine(dir, "store.db");
        var clock = new ManualClock(DateTimeOffset.Parse("2026-06-01T00:00:00Z", CultureInfo.InvariantCulture));
        string token, id;
        await using (var first = await Host.StartAsync(db, clock, workers: 0))
        {
            var account = await first.Store.CreateAccountAsync("acme");
            token = await first.Store.CreateTokenAsync(account.Id, Scopes.All);
            await Post(first.Client, token, "/api/v2/events", Scenarios.ByName("transfers").Events.ToJsonString());
            var created = await Post(first.Client, token, "/data/reports/engagements/jobs", """{"format":"json","timespan":{"from":"2026-03-01T00:00:00Z","to":"2026-04-01T00:00:00Z"}}""");
            id = JsonNode.Parse(created)!["job"]!["id"]!.GetValue<string>();
        }

        await using (var second = await Host.StartAsync(db, clock, workers: 1))
        {
            var file = await Wait(second.Client, token, id);
            Assert.Equal(3, JsonNode.Parse(file)!["total"]!.GetValue<int>());
            var job = await second.Store.GetReportJobAsync((await second.Store.FindAccountAsync("acme"))!.Id, ReportType.Engagements, id);
            Assert.Equal((ReportJobStatus.Done, 1), (job!.Status, job.Attempt)); // ran once
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public async Task A_job_running_when_the_server_dies_is_taken_up_when_it_starts_again_and_finishes_once()
    {
        var dir = Directory.CreateTempSubdirectory("omnireport-restart-").FullName;
        var db = Path.Combine(dir, "store.db");
        var clock = new ManualClock(DateTimeOffset.Parse("2026-06-01T00:00:00Z", CultureInfo.InvariantCulture));
        string token, id;
        var gate = new SemaphoreSlim(0);
        await using (var first = await Host.StartAsync(db, clock, workers: 1, wrap: s => new StallingStore(s, gate)))
        {
            var account = await first.Store.CreateAccountAsync("acme");
            token = await first.Store.CreateTokenAsync(account.Id, Scopes.All);
            await Post(first.Client, token, "/api/v2/events", Scenarios.ByName("voice-calls").Events.ToJsonString());
            var created = await Post(first.Client, token, "/data/reports/erc_omnichannel_report/jobs", """{"format":"csv","timespan":{"from":"2026-03-01T00:00:00Z","to":"2026-04-01T00:00:00Z"}}""");
            id = JsonNode.Parse(created)!["job"]!["id"]!.GetValue<string>();
            await gate.WaitAsync(TimeSpan.FromSeconds(30)); // the worker is inside the job, holding its claim
            var running = JsonNode.Parse(await Get(first.Client, token, $"/data/reports/erc_omnichannel_report/jobs/{id}"))!;
            Assert.Equal("processing", running["job"]!["status"]!.GetValue<string>());
        } // the server dies with the job half-written, its lease far from over (the clock does not move)

        await using (var second = await Host.StartAsync(db, clock, workers: 1))
        {
            var file = await Wait(second.Client, token, id, "erc_omnichannel_report");
            var lines = file.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(4, lines.Length); // header and c-1, c-2, c-3, each once
            var job = await second.Store.GetReportJobAsync((await second.Store.FindAccountAsync("acme"))!.Id, ReportType.Interactions, id);
            Assert.Equal((ReportJobStatus.Done, 2), (job!.Status, job.Attempt));
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public async Task A_failed_job_says_why_through_the_API()
    {
        var dir = Directory.CreateTempSubdirectory("omnireport-failure-").FullName;
        var clock = new ManualClock(DateTimeOffset.Parse("2026-06-01T00:00:00Z", CultureInfo.InvariantCulture));
        await using (var host = await Host.StartAsync(Path.Combine(dir, "store.db"), clock, workers: 1, wrap: s => new FailingStore(s)))
        {
            var account = await host.Store.CreateAccountAsync("acme");
            var token = await host.Store.CreateTokenAsync(account.Id, Scopes.All);
            var created = await Post(host.Client, token, "/data/reports/erc_omnichannel_report/jobs", """{"format":"csv","timespan":{"from":"2026-03-01T00:00:00Z","to":"2026-04-01T00:00:00Z"}}""");
            var id = JsonNode.Parse(created)!["job"]!["id"]!.GetValue<string>();
            Assert.Null(JsonNode.Parse(created)!["job"]!["failure"]);
            JsonNode? job = null;
            for (var i = 0; i < 600 && job?["status"]?.GetValue<string>() != "failed"; i++)
            {
                await Task.Delay(20);
                job = JsonNode.Parse(await Get(host.Client, token, $"/data/reports/erc_omnichannel_report/jobs/{id}"))!["job"];
            }

            Assert.Equal("failed", job!["status"]!.GetValue<string>());
            Assert.Equal("the report could not be written: the disk is on fire", job["failure"]!.GetValue<string>());
            Assert.Equal(["id", "name", "timezone", "status", "failure", "format", "timespan", "_links"], job.AsObject().Select(p => p.Key));
            var list = JsonNode.Parse(await Get(host.Client, token, "/data/reports/erc_omnichannel_report/jobs"))!;
            Assert.Equal("the report could not be written: the disk is on fire", list["_embedded"]!["jobs"]![0]!["failure"]!.GetValue<string>());
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public async Task Report_work_runs_off_the_thread_pool_so_requests_never_wait_for_it()
    {
        var dir = Directory.CreateTempSubdirectory("omnireport-threads-").FullName;
        var clock = new ManualClock(DateTimeOffset.Parse("2026-06-01T00:00:00Z", CultureInfo.InvariantCulture));
        var seen = new ThreadRecordingStore[1];
        // One worker: with two, one may wait for the other's write lock and go on where that lock was released.
        await using (var host = await Host.StartAsync(Path.Combine(dir, "store.db"), clock, workers: 1, wrap: s => seen[0] = new ThreadRecordingStore(s)))
        {
            var account = await host.Store.CreateAccountAsync("acme");
            var token = await host.Store.CreateTokenAsync(account.Id, Scopes.All);
            await Post(host.Client, token, "/api/v2/events", Scenarios.ByName("report-fields").Events.ToJsonString());
            for (var i = 0; i < 4; i++)
            {
                var created = await Post(host.Client, token, "/data/reports/erc_omnichannel_report/jobs", """{"format":"csv","timespan":{"from":"2026-01-01T00:00:00Z","to":"2027-01-01T00:00:00Z"}}""");
                await Wait(host.Client, token, JsonNode.Parse(created)!["job"]!["id"]!.GetValue<string>(), "erc_omnichannel_report");
            }

            var threads = seen[0].Threads;
            Assert.Equal(4, threads.Count);
            Assert.All(threads, t => Assert.False(t.Pool, $"a report read ran on a pool thread ({t.Name})"));
            Assert.All(threads, t => Assert.StartsWith("report-worker-", t.Name, StringComparison.Ordinal));
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(dir, recursive: true);
    }

    /// <summary>Records the thread each report read starts on.</summary>
    private sealed class ThreadRecordingStore(IStore inner) : StoreDecorator(inner)
    {
        public List<(bool Pool, string? Name)> Threads { get; } = [];

        public override IAsyncEnumerable<InteractionRow> InteractionsByStartAsync(long accountId, long fromMs, long toMs, CancellationToken ct = default)
        {
            lock (Threads)
            {
                Threads.Add((Thread.CurrentThread.IsThreadPoolThread, Thread.CurrentThread.Name));
            }

            return base.InteractionsByStartAsync(accountId, fromMs, toMs, ct);
        }
    }

    /// <summary>A store whose interaction reads fail: the job fails with that reason.</summary>
    private sealed class FailingStore(IStore inner) : StoreDecorator(inner)
    {
        public override IAsyncEnumerable<InteractionRow> InteractionsByStartAsync(long accountId, long fromMs, long toMs, CancellationToken ct = default) =>
            throw new IOException("the disk is on fire");
    }

    internal static async Task<(HttpStatusCode Status, JsonObject Job)> CreateAsync(Tenant tenant, string type, string body)
    {
        using var r = await tenant.SendAsync(HttpMethod.Post, $"/data/reports/{type}/jobs", new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == HttpStatusCode.Accepted, $"{(int)r.StatusCode} {text}");
        return (r.StatusCode, JsonNode.Parse(text)!["job"]!.AsObject());
    }

    /// <summary>Polls the job as a Talkdesk client does until it answers 303, then follows Location.</summary>
    internal static async Task<string> DownloadWhenDoneAsync(Tenant tenant, string type, string id)
    {
        for (var i = 0; i < 600; i++)
        {
            using var r = await tenant.GetAsync($"/data/reports/{type}/jobs/{id}");
            var body = JsonNode.Parse(await r.Content.ReadAsStringAsync())!;
            if (r.StatusCode == HttpStatusCode.SeeOther)
            {
                Assert.Equal("done", body["job"]!["status"]!.GetValue<string>());
                var location = r.Headers.Location!.ToString();
                Assert.Equal($"/data/reports/{type}/files/{id}", location);
                using var file = await tenant.GetAsync(location);
                Assert.Equal(HttpStatusCode.OK, file.StatusCode);
                return Encoding.UTF8.GetString(await file.Content.ReadAsByteArrayAsync());
            }

            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            Assert.NotEqual("failed", body["job"]!["status"]!.GetValue<string>());
            await Task.Delay(50);
        }

        throw new TimeoutException($"job {id} did not finish");
    }

    private static ReportType Type(string name) => ReportNames.TryType(name, out var t) ? t : throw new ArgumentException(name);

    private static ReportFormat Format(string name) => ReportNames.TryFormat(name, out var f) ? f : throw new ArgumentException(name);

    private static async Task<string> Post(HttpClient client, string token, string path, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var r = await client.SendAsync(request);
        var text = await r.Content.ReadAsStringAsync();
        Assert.True(r.IsSuccessStatusCode, $"POST {path}: {(int)r.StatusCode} {text}");
        return text;
    }

    private static async Task<string> Get(HttpClient client, string token, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var r = await client.SendAsync(request);
        return await r.Content.ReadAsStringAsync();
    }

    private static async Task<string> Wait(HttpClient client, string token, string id, string type = "engagements")
    {
        for (var i = 0; i < 600; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/data/reports/{type}/jobs/{id}");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var r = await client.SendAsync(request);
            if (r.StatusCode == HttpStatusCode.SeeOther)
            {
                return await Get(client, token, r.Headers.Location!.ToString());
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"job {id} did not finish");
    }

    /// <summary>A server over a given database file, so that a test can stop it and start another on the same data.</summary>
    private sealed class Host : IAsyncDisposable
    {
        private Host(IStore store, WebApplication app)
        {
            Store = store;
            App = app;
            Client = app.GetTestClient();
        }

        public IStore Store { get; }

        public WebApplication App { get; }

        public HttpClient Client { get; }

        public static async Task<Host> StartAsync(string db, TimeProvider clock, int workers, TimeSpan? lease = null, Func<IStore, IStore>? wrap = null)
        {
            var real = await TestStores.OpenSqliteAsync(db, clock);
            var store = wrap is null ? real : wrap(real);
            var app = ApiHost.Build(store, new ApiOptions { RateLimitPerMinute = 0, ReportWorkers = workers, ReportJobLease = lease ?? TimeSpan.FromSeconds(30) },
                time: clock, configure: b =>
                {
                    b.Logging.ClearProviders();
                    b.WebHost.UseTestServer();
                });
            await app.StartAsync();
            return new Host(store, app);
        }

        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            using (var abrupt = new CancellationTokenSource(TimeSpan.FromMilliseconds(100)))
            {
                await App.StopAsync(abrupt.Token);
            }

            await App.DisposeAsync();
            await Store.DisposeAsync();
        }
    }

    /// <summary>A store whose interaction reads stop after the first record until the test is over: a worker dies mid-job.</summary>
    private sealed class StallingStore(IStore inner, SemaphoreSlim started) : StoreDecorator(inner)
    {
        public override async IAsyncEnumerable<InteractionRow> InteractionsByStartAsync(long accountId, long fromMs, long toMs, [EnumeratorCancellation] CancellationToken ct = default)
        {
            await foreach (var row in base.InteractionsByStartAsync(accountId, fromMs, toMs, ct))
            {
                yield return row;
                started.Release();
                await Task.Delay(Timeout.Infinite, ct);
            }
        }
    }
}
