using System.Net;
using Microsoft.Net.Http.Headers;

namespace OmniReport.Api.Dashboard;

/// <summary>
/// What a person gets who opens an API URL in a browser without a token: a short page that says where to go, instead
/// of a bare JSON 401. Only a request that prefers HTML gets it (a browser's navigation); clients asking for JSON or
/// anything (curl's <c>*/*</c>) keep the dialect's JSON 401.
/// </summary>
internal static class BrowserAnswer
{
    /// <summary>True when the request's Accept ranks text/html above JSON (and names it).</summary>
    public static bool PrefersHtml(HttpRequest request)
    {
        if (!MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var types))
        {
            return false;
        }

        double html = -1, json = -1;
        foreach (var t in types)
        {
            var q = t.Quality ?? 1;
            if (t.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase))
            {
                html = Math.Max(html, q);
            }
            else if (t.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase))
            {
                json = Math.Max(json, q);
            }
        }

        return html > 0 && html > json;
    }

    /// <summary>401 as a page: what this URL is, and the two ways in (the dashboard, or a Bearer token).</summary>
    public static async Task WriteAsync(HttpContext context, string why)
    {
        var request = context.Request;
        var path = WebUtility.HtmlEncode(request.Path.ToString());
        var why1 = WebUtility.HtmlEncode(why);
        var response = context.Response;
        response.StatusCode = StatusCodes.Status401Unauthorized;
        response.ContentType = "text/html; charset=utf-8";
        response.Headers.ContentSecurityPolicy = DashboardApi.ContentSecurityPolicy;
        response.Headers.WWWAuthenticate = "Bearer";
        await response.WriteAsync($$"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>OmniReport: a token is needed</title></head>
            <body>
            <h1>This is the OmniReport API: it needs a token</h1>
            <p>{{path}} answers only requests that carry an API token. {{why1}}</p>
            <ul>
            <li>To look at your data in a browser, open the <a href="/">dashboard</a> and type your token there.</li>
            <li>From a program or curl, send the header <code>Authorization: Bearer YOUR_TOKEN</code>
            (<code>omnireport tokens create --account NAME</code> makes one).</li>
            </ul>
            </body></html>
            """, context.RequestAborted).ConfigureAwait(false);
    }
}
