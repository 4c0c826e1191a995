namespace OmniReport.Api.Auth;

/// <summary>
/// Endpoint metadata: the token may also come as the <c>access_token</c> query parameter (RFC 6750 §2.3), for
/// browsers' <c>EventSource</c>, which cannot send an <c>Authorization</c> header. Only where a page has no other way:
/// a URL is easier to leak than a header (the request log writes the path without the query string).
/// </summary>
internal sealed class QueryToken
{
    /// <summary>The parameter's name.</summary>
    public const string Parameter = "access_token";

    public static QueryToken Instance { get; } = new();

    /// <summary>The token of the query string, or null.</summary>
    public static string? From(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<QueryToken>() is not null
        && context.Request.Query[Parameter] is { Count: 1 } values && !string.IsNullOrEmpty(values[0])
            ? values[0]
            : null;
}

/// <summary>Declares <see cref="QueryToken"/> on endpoints.</summary>
internal static class QueryTokenExtensions
{
    /// <summary>The endpoint accepts <c>?access_token=</c> when no Authorization header is sent.</summary>
    public static TBuilder AllowQueryToken<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(QueryToken.Instance);
}
