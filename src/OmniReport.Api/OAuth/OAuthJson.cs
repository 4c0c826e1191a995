using System.ComponentModel;
using System.Text.Json.Serialization;
using OmniReport.Api.Hosting;

namespace OmniReport.Api.OAuth;

/// <summary>An access token (RFC 6749 §5.1): <c>{"access_token", "token_type": "Bearer", "expires_in", "scope"}</c>.</summary>
/// <param name="AccessToken">The bearer token.</param>
/// <param name="TokenType">Always Bearer.</param>
/// <param name="ExpiresIn">Seconds it works for.</param>
/// <param name="Scope">Its scopes, space-separated.</param>
public sealed record AccessTokenBody(
    [property: Description("Send it as Authorization: Bearer {access_token}.")] string AccessToken,
    [property: Description("Bearer")] string TokenType,
    [property: Description("Seconds it works for: 3600.")] int ExpiresIn,
    [property: Description("Its scopes, space-separated; with reports:read also data-reports:read data-reports:write (Talkdesk's names).")] string Scope);

/// <summary>An error (RFC 6749 §5.2): <c>{"error", "error_description"}</c>.</summary>
/// <param name="Error">The error code.</param>
/// <param name="ErrorDescription">What went wrong, for people.</param>
public sealed record OAuthErrorBody(
    [property: Description("invalid_request, invalid_client (401), unsupported_grant_type, invalid_scope, too_many_requests (429), server_error.")] string Error,
    string ErrorDescription);

/// <summary>The token endpoint's JSON, source-generated: snake_case names as RFC 6749 has them, UTF-8 text unescaped.</summary>
[JsonSerializable(typeof(AccessTokenBody))]
[JsonSerializable(typeof(OAuthErrorBody))]
internal sealed partial class OAuthJson : JsonSerializerContext
{
    /// <summary>The context with the dialect's naming and encoder.</summary>
    public static OAuthJson Wire { get; } = new(WireJson.Options());
}
