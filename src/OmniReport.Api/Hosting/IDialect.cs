using OmniReport.Api.OAuth;
using OmniReport.Api.Talkdesk;
using OmniReport.Api.Zendesk;

namespace OmniReport.Api.Hosting;

/// <summary>
/// The wire dialect of a request — Zendesk under <c>/api/v2</c>, Talkdesk under <c>/data</c> — chosen once from its
/// path (<see cref="DialectErrors"/>, the first middleware after logging) and read by everything that answers an
/// error, so no call site picks between the dialects itself.
/// </summary>
public interface IDialect
{
    /// <summary>Whether the paths of the dialect need a token (<see cref="Auth.TokenAuthentication"/>).</summary>
    bool RequiresToken { get; }

    /// <summary>The error a status code gives when nothing more specific was said (404, 405, 413, 500, …).</summary>
    IResult ForStatus(int status);

    /// <summary>401: no token, or a token that is not valid.</summary>
    IResult Unauthorized(string description);

    /// <summary>403: the token lacks the scope.</summary>
    IResult Forbidden(string description);

    /// <summary>429 with <c>Retry-After</c>.</summary>
    IResult RateLimited(int limit, int retryAfterSeconds);
}

/// <summary>Which dialect governs a path.</summary>
internal static class Dialects
{
    private static readonly (string Prefix, IDialect Dialect)[] ByPrefix =
    [
        (TalkdeskDialect.Prefix, TalkdeskDialect.Instance),
        (Dialect.Prefix, Dialect.Instance),
        (OAuthDialect.Prefix, OAuthDialect.Instance),
    ];

    /// <summary>The dialect of <paramref name="request"/>'s path, or null outside them (health, OpenAPI).</summary>
    public static IDialect? Choose(HttpRequest request)
    {
        foreach (var (prefix, dialect) in ByPrefix)
        {
            if (request.Path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return dialect;
            }
        }

        return null;
    }

    /// <summary>The dialect chosen for this request (null outside them).</summary>
    public static IDialect? Of(HttpContext context) => context.Features.Get<IDialect>();
}
