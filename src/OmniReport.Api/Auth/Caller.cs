using System.Reflection;
using OmniReport.Storage;

namespace OmniReport.Api.Auth;

/// <summary>The authenticated token of the request; handlers take it as a parameter.</summary>
/// <param name="Identity">The account, token and scopes.</param>
public sealed record Caller(TokenIdentity Identity)
{
    /// <summary>The caller's account.</summary>
    public long AccountId => Identity.AccountId;

    /// <summary>Minimal-API binding: the identity <see cref="TokenAuthentication"/> stored.</summary>
    public static ValueTask<Caller?> BindAsync(HttpContext context, ParameterInfo parameter)
    {
        ArgumentNullException.ThrowIfNull(context);
        var identity = context.Features.Get<TokenIdentity>()
            ?? throw new InvalidOperationException("no authenticated caller: the endpoint is outside /api/v2");
        return ValueTask.FromResult<Caller?>(new Caller(identity));
    }
}
