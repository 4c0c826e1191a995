using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using OmniReport.Core.Reports;
using OmniReport.Core.Settings;
using OmniReport.Storage;
using OmniReport.TestSupport;

namespace OmniReport.Api.Tests;

/// <summary>
/// A Talkdesk Explore client, replayed byte for byte against a real socket (SPEC §5.5): what Airbyte's
/// source-talkdesk-explore connector sends (github.com/airbytehq/airbyte,
/// airbyte-integrations/connectors/source-talkdesk-explore/source_talkdesk_explore/): <c>talkdesk_auth.py</c> POSTs to
/// the AUTH_URL, whose documented form (<c>spec.json</c>) is <c>…/oauth/token?grant_type=client_credentials</c>, with
/// <c>Authorization: Basic base64(API_KEY)</c>, <c>Content-Type: application/x-www-form-urlencoded</c> and no body
/// (python-requests then sends <c>Content-Length: 0</c>); <c>streams.py</c> creates the job with
/// <c>{"format": "json", "timespan": {"from", "to", "timezone"}}</c> (no name; <c>json.dumps</c> spacing), polls the
/// job until the answer is no longer a job, following the 303 with the same Authorization, and reads <c>entries</c>.
/// </summary>
public sealed class TalkdeskClientTests
{
    public const string Zone = "America/Los_Angeles";

    [Fact]
    public Task A_talkdesk_client_gets_a_token_makes_a_job_in_its_zone_and_reads_what_derive_gives_on_SQLite() => ReplayAsync(postgres: false);

    [PostgresFact]
    public Task A_talkdesk_client_gets_a_token_makes_a_job_in_its_zone_and_reads_what_derive_gives_on_PostgreSQL() => ReplayAsync(postgres: true);

    private static async Task ReplayAsync(bool postgres)
    {
        await using var server = await ApiServer.StartAsync(kestrel: true, postgres: postgres);
        server.Clock.Set(DateTimeOffset.Parse("2026-06-01T00:00:00Z", CultureInfo.InvariantCulture));
        var tenant = await server.NewAccountAsync();
        var lines = SyntheticEvents.Generate(400, seed: 14, spread: TimeSpan.FromDays(4));
        await tenant.PostEventsAsync(string.Join('\n', lines), "application/x-ndjson");
        var client = await server.Store.CreateOAuthClientAsync(tenant.Account.Id, Scopes.ReportsRead);
        var uri = server.Client.BaseAddress!;
        var host = $"{uri.Host}:{uri.Port}";

        // 1. The token (talkdesk_auth.py: request_bearer_token).
        var apiKey = Convert.ToBase64String(Encoding.ASCII.GetBytes($"{client.Client.ClientId}:{client.Secret}"));
        var tokenAnswer = await RawHttp.SendAsync(uri, RawHttp.Request($"""
            POST /oauth/token?grant_type=client_credentials HTTP/1.1
            Host: {host}
            User-Agent: python-requests/2.31.0
            Accept-Encoding: gzip, deflate
            Accept: */*
            Connection: keep-alive
            Authorization: Basic {apiKey}
            Content-Type: application/x-www-form-urlencoded
            Content-Length: 0

            """));
        Assert.True(tokenAnswer.Status == 200, tokenAnswer.Text);
        Assert.Equal("no-store", tokenAnswer.Headers["Cache-Control"]);
        var token = JsonNode.Parse(tokenAnswer.Text)!.AsObject();
        Assert.Equal(["access_token", "token_type", "expires_in", "scope"], token.Select(p => p.Key));
        Assert.Equal("Bearer", token["token_type"]!.GetValue<string>());
        Assert.Equal(3600, token["expires_in"]!.GetValue<int>());
        // source.py check_connection: the scope must name data-reports:read and data-reports:write.
        Assert.Equal("reports:read data-reports:read data-reports:write", token["scope"]!.GetValue<string>());
        var bearer = token["access_token"]!.GetValue<string>();

        // 2. The job (streams.py: GenerateReportStream.request_body_json): a day in the connector's TIMEZONE.
        const string body = $$$"""{"format": "json", "timespan": {"from": "2026-03-03T00:00:00", "to": "2026-03-04T00:00:00", "timezone": "{{{Zone}}}"}}""";
        var created = await RawHttp.SendAsync(uri, RawHttp.Request($"""
            POST /data/reports/erc_omnichannel_report/jobs HTTP/1.1
            Host: {host}
            User-Agent: python-requests/2.31.0
            Accept-Encoding: gzip, deflate
            Accept: */*
            Connection: keep-alive
            Content-Length: {Encoding.UTF8.GetByteCount(body)}
            Content-Type: application/json
            Authorization: Bearer {bearer}

            """, body));
        Assert.True(created.Status == 202, created.Text);
        var job = JsonNode.Parse(created.Text)!["job"]!;
        Assert.Equal(Zone, job["timezone"]!.GetValue<string>());
        Assert.Equal("erc_omnichannel_report", job["name"]!.GetValue<string>());
        var id = job["id"]!.GetValue<string>();

        // 3. Polling (streams.py: ReadReportStream.should_retry) until the 303, then the file at its Location.
        string? location = null;
        for (var attempt = 0; location is null; attempt++)
        {
            Assert.True(attempt < 600, "the job did not finish");
            var poll = await RawHttp.SendAsync(uri, Get($"/data/reports/erc_omnichannel_report/jobs/{id}", host, bearer));
            if (poll.Status == 303)
            {
                location = poll.Headers["Location"];
            }
            else
            {
                Assert.True(poll.Status == 200, poll.Text);
                Assert.NotEqual("failed", JsonNode.Parse(poll.Text)!["job"]!["status"]!.GetValue<string>());
                await Task.Delay(50);
            }
        }

        Assert.Equal($"/data/reports/erc_omnichannel_report/files/{id}", location);
        var file = await RawHttp.SendAsync(uri, Get(location, host, bearer));
        Assert.True(file.Status == 200, file.Text);
        var entries = JsonNode.Parse(file.Text)!["entries"]!.AsArray();

        // What derive writes in that zone, for the records that start in that local day.
        var derived = ReportFiles.Load(lines).Run(AccountSettings.Default, ReportFiles.Ms("2026-06-01T00:00:00Z"));
        var all = ReportFiles.Entries(ReportFiles.Write(derived, ReportType.Interactions, ReportFormat.Json, Zone));
        var expected = new JsonArray(all.Where(e => string.CompareOrdinal(Start(e), "2026-03-03 00:00:00") >= 0 && string.CompareOrdinal(Start(e), "2026-03-04 00:00:00") < 0)
            .Select(e => e!.DeepClone()).ToArray());
        Assert.True(expected.Count > 50, $"only {expected.Count} records in the day: the test data does not cover it");
        Assert.Equal(expected.ToJsonString(), entries.ToJsonString());

        // The same day read in UTC (the zone ignored, as before SPEC §5.5) is another set of records.
        var utc = ReportFiles.Entries(ReportFiles.Write(derived, ReportType.Interactions, ReportFormat.Json, "UTC"))
            .Count(e => string.CompareOrdinal(Start(e), "2026-03-03 00:00:00") >= 0 && string.CompareOrdinal(Start(e), "2026-03-04 00:00:00") < 0);
        Assert.NotEqual(expected.Count, utc);
    }

    private static string Start(JsonNode? entry) => entry!["start_date-time"]!.GetValue<string>();

    private static byte[] Get(string path, string host, string bearer) => RawHttp.Request($"""
        GET {path} HTTP/1.1
        Host: {host}
        User-Agent: python-requests/2.31.0
        Accept-Encoding: gzip, deflate
        Accept: */*
        Connection: keep-alive
        Authorization: Bearer {bearer}

        """);
}
