using OmniReport.Storage;

namespace OmniReport.Api.Auth;

/// <summary>Endpoint metadata: the scope a token needs for the endpoint (SPEC §5.1).</summary>
/// <param name="Scope">The scope.</param>
internal sealed record RequiredScope(Scopes Scope)
{
    /// <summary>The scope's wire name.</summary>
    public string Name => Scope switch
    {
        Scopes.EventsWrite => "events:write",
        Scopes.ReportsRead => "reports:read",
        Scopes.Admin => "admin",
        _ => Scope.ToString(),
    };
}

/// <summary>Declares scopes on endpoints.</summary>
internal static class RequiredScopeExtensions
{
    /// <summary>Tokens need <paramref name="scope"/> for these endpoints.</summary>
    public static TBuilder RequireScope<TBuilder>(this TBuilder builder, Scopes scope)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new RequiredScope(scope));
}
