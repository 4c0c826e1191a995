using System.ComponentModel;

namespace OmniReport.Api.OAuth;

// Shapes that only describe the token endpoint in the OpenAPI document; the bodies are written by OAuthDialect.
#pragma warning disable CA1812 // never instantiated: they exist for the OpenAPI document

/// <summary>An access token (RFC 6749 §5.1).</summary>
internal sealed record AccessTokenDoc(
    [property: Description("Send it as Authorization: Bearer {access_token}.")] string AccessToken,
    [property: Description("Bearer")] string TokenType,
    [property: Description("Seconds it works for: 3600.")] int ExpiresIn,
    [property: Description("Its scopes, space-separated; with reports:read also data-reports:read data-reports:write (Talkdesk's names).")] string Scope);

/// <summary>An error (RFC 6749 §5.2).</summary>
internal sealed record OAuthErrorDoc(
    [property: Description("invalid_request, invalid_client (401), unsupported_grant_type, invalid_scope, too_many_requests (429), server_error.")] string Error,
    string ErrorDescription);
#pragma warning restore CA1812
