using System.Globalization;
using System.Text;
using NodaTime;

namespace OmniReport.Cli.Commands;

/// <summary>What <c>omnireport demo</c> prints once the server listens: where, the token, and curl commands to paste.</summary>
internal static class DemoBanner
{
    /// <summary>The line before the commands; the demo test reads the commands from here to <see cref="End"/>.</summary>
    public const string Start = "Paste these into another shell:";

    /// <summary>The line after the commands.</summary>
    public const string End = "# (end of the commands)";

    public static string Text(string url, string token, string db, string engagementId, LocalDate from, LocalDate to, DateTimeOffset now)
    {
        var auth = $"-H \"Authorization: Bearer {token}\"";
        var json = "-H \"Content-Type: application/json\"";
        var span = $"\"timespan\":{{\"from\":\"{from:yyyy'-'MM'-'dd}T00:00:00\",\"to\":\"{to.PlusDays(1):yyyy'-'MM'-'dd}T00:00:00\"}}";
        const string jobId = "sed -E 's/^[{]\"job\":[{]\"id\":\"([^\"]+)\".*/\\1/'";
        var b = new StringBuilder();
        b.Append(CultureInfo.InvariantCulture, $"""

            Dashboard: {DashboardLink(url, token)}
                         (open it in a browser: the token rides in the fragment, which is never sent to the server)

            OmniReport demo is running (Ctrl+C stops it).

              URL:       {url}
              token:     {token}
                         (account "{DemoCommand.AccountName}", scopes events:write, reports:read, admin)
              database:  {db}
              data:      {from:yyyy'-'MM'-'dd} to {to:yyyy'-'MM'-'dd} (UTC), business hours Mon-Fri 08-20, Sat 09-13
              API docs:  README.md, docs/api.md; OpenAPI at {url}/openapi/v1.json

            {Start}

            # health (no token needed)
            curl -s {url}/healthz; echo
            # engagements, 5 a page; "next_page_url" is the next page
            curl -s {auth} "{url}/api/v2/engagements?page_size=5"; echo
            # one engagement
            curl -s {auth} {url}/api/v2/engagements/{engagementId}; echo
            # the account's settings (PUT takes any subset of them)
            curl -s {auth} {url}/api/v2/settings; echo
            # send events: a chat answered by an agent and solved (a JSON array; {"{"}"events": [...]{"}"} and NDJSON work too)
            curl -s {auth} {json} -d '{SampleEvents(now)}' {url}/api/v2/events; echo
            # a report job: the Customer Omnichannel Report (interaction records) of the demo period, as CSV
            JOB=$(curl -s {auth} {json} -d '{"{"}"name":"demo interactions","timezone":"UTC","format":"csv",{span}{"}"}' {url}/data/reports/erc_omnichannel_report/jobs | {jobId}); echo "job $JOB"
            # its status: 200 with the job while it runs, 303 to its file once done
            curl -s -o /dev/null -w '%{"{"}http_code{"}"} %{"{"}redirect_url{"}"}\n' {auth} {url}/data/reports/erc_omnichannel_report/jobs/$JOB
            # wait until it is done
            until [ "$(curl -s -o /dev/null -w '%{"{"}http_code{"}"}' {auth} {url}/data/reports/erc_omnichannel_report/jobs/$JOB)" = 303 ]; do sleep 1; done; echo "job $JOB done"
            # the file (-L follows the 303)
            curl -s -L {auth} {url}/data/reports/erc_omnichannel_report/jobs/$JOB | head -5
            # an engagements report job, as JSON: create, poll, download
            EJOB=$(curl -s {auth} {json} -d '{"{"}"name":"demo engagements","timezone":"UTC","format":"json",{span}{"}"}' {url}/data/reports/engagements/jobs | {jobId}); echo "job $EJOB"
            until [ "$(curl -s -o /dev/null -w '%{"{"}http_code{"}"}' {auth} {url}/data/reports/engagements/jobs/$EJOB)" = 303 ]; do sleep 1; done; echo "job $EJOB done"
            curl -s {auth} {url}/data/reports/engagements/files/$EJOB | head -c 600; echo
            # the jobs of a report type, newest first
            curl -s {auth} "{url}/data/reports/erc_omnichannel_report/jobs?page=1&per_page=10"; echo
            {End}

            More: README.md (every endpoint), docs/configuration.md, docs/operations.md.

            """);
        return b.ToString();
    }

    /// <summary>The dashboard (SPEC §8) with the token in the URL fragment: the page keeps it and clears the address bar.</summary>
    public static string DashboardLink(string url, string token) => $"{url}/#token={Uri.EscapeDataString(token)}";

    /// <summary>A small valid batch: an inbound chat, the customer's message, an offer accepted, the agent's reply, solved.</summary>
    private static string SampleEvents(DateTimeOffset now)
    {
        var t0 = now.ToUnixTimeSeconds() - 1800;
        var id = $"demo-chat-{t0}";
        string At(int seconds) => DateTimeOffset.FromUnixTimeSeconds(t0 + seconds).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        return "[" + string.Join(",",
            $$"""{"id":"{{id}}-1","type":"interaction.created","occurred_at":"{{At(0)}}","interaction_id":"{{id}}","channel":"chat","requester":{"id":"9001","name":"Ana Demo","contact":"ana@example.com"},"group_id":"1","group_name":"Support"}""",
            $$"""{"id":"{{id}}-2","type":"message.created","occurred_at":"{{At(5)}}","interaction_id":"{{id}}","author_type":"end_user"}""",
            $$"""{"id":"{{id}}-3","type":"offer.created","occurred_at":"{{At(20)}}","interaction_id":"{{id}}","agent_id":"7001","agent_name":"Demo Agent"}""",
            $$"""{"id":"{{id}}-4","type":"offer.accepted","occurred_at":"{{At(32)}}","interaction_id":"{{id}}","agent_id":"7001","agent_name":"Demo Agent"}""",
            $$"""{"id":"{{id}}-5","type":"message.created","occurred_at":"{{At(75)}}","interaction_id":"{{id}}","author_type":"agent","author_id":"7001"}""",
            $$"""{"id":"{{id}}-6","type":"status.changed","occurred_at":"{{At(300)}}","interaction_id":"{{id}}","status":"solved"}""") + "]";
    }
}
