using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace OmniReport.Api.Dashboard;

/// <summary>
/// The dashboard (SPEC §8): <c>GET /</c> serves its page and <c>GET /dashboard/{file}</c> its script and style, without
/// a token (they hold no account data); the page reads the APIs with the token the user gives it. A content security
/// policy lets the page reach nothing but this server.
/// </summary>
public static class DashboardApi
{
    /// <summary>
    /// What the page may load and call: this origin only (SPEC §8: no external network request). The browser enforces
    /// it, so a slip in the page cannot reach out either.
    /// </summary>
    internal const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>Maps the page and its files.</summary>
    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder app)
    {
        // Two parameters, so that the handler is a Delegate described in OpenAPI, not a bare RequestDelegate.
        app.MapGet("/", (HttpContext context, CancellationToken _) => Serve(context, "index.html"))
            .WithTags("Dashboard").WithName("Dashboard")
            .WithSummary("The dashboard page (no token)")
            .WithDescription("One HTML page (SPEC §8) that reads the APIs with a token the user types or gives as /#token=…; "
                + "Brotli or gzip by Accept-Encoding, ETag, Content-Security-Policy 'self'.")
            .Produces(StatusCodes.Status200OK, typeof(string), "text/html");
        app.MapGet("/dashboard/{file}", (HttpContext context, string file) => Serve(context, file))
            .WithTags("Dashboard").WithName("DashboardFile")
            .WithSummary("A file of the dashboard (no token): dashboard.js, dashboard.css")
            .Produces(StatusCodes.Status200OK, typeof(string), "text/javascript", "text/css")
            .Produces(StatusCodes.Status404NotFound, typeof(string), "text/plain");
        return app;
    }

    private static async Task Serve(HttpContext context, string name)
    {
        var response = context.Response;
        if (DashboardAssets.Find(name) is not { } asset)
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            response.ContentType = "text/plain; charset=utf-8";
            await response.WriteAsync($"No dashboard file {name}.", context.RequestAborted).ConfigureAwait(false);
            return;
        }

        var headers = response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-cache"; // revalidate: a new binary may serve a new page
        headers.ETag = asset.ETag;
        headers.Vary = HeaderNames.AcceptEncoding;
        if (context.Request.Headers.IfNoneMatch == asset.ETag)
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        var accepts = context.Request.Headers.AcceptEncoding;
        var body = asset.Identity;
        if (Accepts(accepts, "br"))
        {
            body = asset.Brotli;
            headers.ContentEncoding = "br";
        }
        else if (Accepts(accepts, "gzip"))
        {
            body = asset.Gzip;
            headers.ContentEncoding = "gzip";
        }

        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = asset.ContentType;
        response.ContentLength = body.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
        }
    }

    private static bool Accepts(StringValues header, string coding)
    {
        if (!StringWithQualityHeaderValue.TryParseList(header, out var list))
        {
            return false;
        }

        return list.Any(v => string.Equals(v.Value.Value, coding, StringComparison.OrdinalIgnoreCase) && (v.Quality ?? 1) > 0);
    }
}
